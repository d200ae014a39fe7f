/** Every `code` a {@link PcapError} can carry. */
export type PcapErrorCode =
  /** No permission to capture (not root, no CAP_NET_RAW/CAP_NET_ADMIN). */
  | 'EPERM'
  /** No permission for promiscuous mode. */
  | 'PROMISC_EPERM'
  /** The device does not exist. */
  | 'ENODEV'
  /** The device cannot be put in monitor (rfmon) mode. */
  | 'RFMON_NOTSUP'
  /** An operation needs monitor mode and the capture is not in it. */
  | 'NOT_RFMON'
  /** The interface is down. */
  | 'IFACE_NOT_UP'
  /** The requested timestamp type cannot be set on this device. */
  | 'TSTAMP_TYPE_NOTSUP'
  /** Nanosecond timestamps were required and are not available. */
  | 'TSTAMP_PRECISION_NOTSUP'
  /** The capture direction cannot be set on this platform or device. */
  | 'DIRECTION_NOTSUP'
  /** The filter does not compile; the message has the filter text and libpcap's reason. */
  | 'BAD_FILTER'
  /** The file is not a capture file libpcap can read. */
  | 'BAD_FILE'
  /** The file does not exist. */
  | 'ENOENT'
  /** The file cannot be read (permissions). */
  | 'EACCES'
  /** The path is a directory. */
  | 'EISDIR'
  /** An option value has the wrong type or is out of range; the message names the option and what it takes. */
  | 'BAD_OPTION'
  /** An argument has the wrong type or is out of range (a bug in the calling code); the message names it. */
  | 'BAD_ARGUMENT'
  /** libpcap could not be loaded; the message names the package to install. */
  | 'LIBPCAP_MISSING'
  /** The compiled addon could not be loaded for this platform. */
  | 'BINDING_MISSING'
  /** The installed libpcap or platform lacks the feature. */
  | 'NOT_SUPPORTED'
  /** The capture was closed. */
  | 'CLOSED'
  /** The capture is not open. */
  | 'NOT_OPEN'
  /** The handle was opened already. */
  | 'ACTIVATED'
  | 'NOT_ACTIVATED'
  /** libpcap failed while reading packets (e.g. the interface went away). */
  | 'READ_ERROR'
  /** A borrowed packet view was used after its batch was replaced. */
  | 'BORROW_EXPIRED'
  /** Any other libpcap failure; see `pcapMessage`. */
  | 'ERROR';

/** What an operation was working on, for the error message. */
export interface PcapErrorContext {
  device?: string;
  path?: string;
  filter?: string;
}

/**
 * An error from libpcap or from this package, with a stable `code` to branch on.
 *
 * @example
 * try {
 *   openLive('eth0');
 * } catch (err) {
 *   if (err instanceof PcapError && err.code === 'EPERM') console.error(err.message);
 * }
 */
export class PcapError extends Error {
  override readonly name = 'PcapError';
  /** Stable identifier of the failure. */
  readonly code: PcapErrorCode;
  /** libpcap's own text, when libpcap produced one. */
  readonly pcapMessage: string | undefined;
  /** libpcap's numeric status (PCAP_ERROR_*), when there is one. */
  readonly status: number | undefined;
  readonly device: string | undefined;
  readonly path: string | undefined;
  readonly filter: string | undefined;

  constructor(
    code: PcapErrorCode,
    message: string,
    details: PcapErrorContext & { pcapMessage?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.pcapMessage = details.pcapMessage;
    this.status = details.status;
    this.device = details.device;
    this.path = details.path;
    this.filter = details.filter;
  }
}

/** The install hint for a missing libpcap, per platform family. */
export const LIBPCAP_INSTALL_HINT =
  'install libpcap: Debian/Ubuntu `apt-get install libpcap0.8`, Fedora/RHEL `dnf install libpcap`, ' +
  'Alpine `apk add libpcap`, Arch `pacman -S libpcap`; macOS ships it; Windows needs Npcap (https://npcap.com)';

/** `setcap` line that lets a non-root node capture. */
const SETCAP_HINT =
  'run as root, or grant the capture capabilities to node: ' +
  'sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(command -v node)")"';

/** Root can still lack the capabilities: containers and hardened services drop them. */
const ROOT_HINT =
  'this process runs as root but without the capture capabilities (containers and hardened services drop them): ' +
  'grant CAP_NET_RAW and CAP_NET_ADMIN, e.g. docker run --cap-add=NET_RAW --cap-add=NET_ADMIN, or AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN in a systemd unit';

function permissionHint(): string {
  return typeof process.getuid === 'function' && process.getuid() === 0 ? ROOT_HINT : SETCAP_HINT;
}

function describeTarget(ctx: PcapErrorContext): string {
  if (ctx.device !== undefined) return `device "${ctx.device}"`;
  if (ctx.path !== undefined) return `"${ctx.path}"`;
  return 'the capture';
}

function friendlyMessage(code: PcapErrorCode, pcapMessage: string, ctx: PcapErrorContext): string {
  const target = describeTarget(ctx);
  switch (code) {
    case 'EPERM':
      return `permission denied capturing on ${target} (${pcapMessage}): ${permissionHint()}`;
    case 'PROMISC_EPERM':
      return `permission denied for promiscuous mode on ${target} (${pcapMessage}): ${permissionHint()}`;
    case 'ENODEV':
      return `no such device ${ctx.device !== undefined ? `"${ctx.device}"` : ''} (${pcapMessage}); listDevices() lists the devices libpcap can open`;
    case 'RFMON_NOTSUP':
      return `${target} does not support monitor (rfmon) mode (${pcapMessage}); use a Wi-Fi adapter and driver that do, or capture without rfmon`;
    case 'IFACE_NOT_UP':
      return `${target} is down (${pcapMessage}); bring it up first (ip link set DEV up)`;
    case 'BAD_FILTER':
      return `invalid filter ${JSON.stringify(ctx.filter ?? '')}: ${pcapMessage}`;
    case 'BAD_FILE':
      return `${target} is not a capture file libpcap can read: ${pcapMessage}`;
    case 'ENOENT':
      return `no such file ${target}`;
    case 'EACCES':
      return `permission denied reading ${target}`;
    case 'EISDIR':
      return `${target} is a directory, not a capture file`;
    case 'LIBPCAP_MISSING':
      return `libpcap could not be loaded (${pcapMessage.replace(/;\s*$/, '')}); ${LIBPCAP_INSTALL_HINT}`;
    case 'TSTAMP_PRECISION_NOTSUP':
      return `nanosecond timestamps are not supported on ${target} (${pcapMessage}); use precision 'auto' or 'micro'`;
    default:
      return ctx.device !== undefined || ctx.path !== undefined ? `${target}: ${pcapMessage}` : pcapMessage;
  }
}

interface NativeErrorShape {
  code?: unknown;
  pcapMessage?: unknown;
  status?: unknown;
  message?: unknown;
}

/** Turns an error thrown by the addon into a PcapError with a message a user can act on. */
export function toPcapError(err: unknown, ctx: PcapErrorContext = {}): PcapError {
  if (err instanceof PcapError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as NativeErrorShape;
  if (typeof e.code !== 'string') {
    // A TypeError from argument checking in the addon, or something unexpected.
    const message = typeof e.message === 'string' ? e.message : String(err);
    return new PcapError('ERROR', message, { ...ctx, cause: err });
  }
  const code = e.code as PcapErrorCode;
  const pcapMessage = typeof e.pcapMessage === 'string' ? e.pcapMessage : String(e.message ?? '');
  const details: ConstructorParameters<typeof PcapError>[2] = { ...ctx, pcapMessage, cause: err };
  if (typeof e.status === 'number') details.status = e.status;
  return new PcapError(code, friendlyMessage(code, pcapMessage, ctx), details);
}

/** Runs an addon call, converting what it throws. */
export function native<T>(ctx: PcapErrorContext, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toPcapError(err, ctx);
  }
}
