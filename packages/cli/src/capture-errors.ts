import { listDevices, PcapError } from '@pcap/native';
import { CliError, ExitCode } from './errors.js';

/** What lets a non-root user capture: capabilities on the real node binary, not on a symlink to it. */
export const PERMISSION_HINT =
  'run as root, or let node capture: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(command -v node)")"';

/** For root without CAP_NET_RAW/CAP_NET_ADMIN, where setcap on node would not help. */
export const ROOT_PERMISSION_HINT =
  'running as root without CAP_NET_RAW and CAP_NET_ADMIN (dropped by a container or service manager): ' +
  'grant them, e.g. docker run --cap-add=NET_RAW --cap-add=NET_ADMIN';

/** The names of the devices libpcap can open, or a note that they cannot be listed. */
function deviceNames(): string {
  try {
    const names = listDevices().map((d) => d.name);
    return names.length ? names.join(', ') : 'none found';
  } catch {
    return 'unknown (the device list cannot be read)';
  }
}

/** The library's limits, said in the flags and units the command line uses. */
const FLAG_LIMITS: Record<string, string> = {
  bufferSize: '--buffer-size is too large: at most 2097151 KiB (2 GiB)',
  snaplen: '--snaplen is too large: at most 2147483647 bytes (libpcap keeps at most 262144 anyway)',
  timeout: '--timeout is too large: at most 2147483647 milliseconds',
};

/** "option bufferSize must be ..." names a library option; say it as the flag the user typed. */
function flagMessage(message: string): string {
  const name = /^option (\w+) must be/.exec(message)?.[1];
  return (name !== undefined && FLAG_LIMITS[name]) || message;
}

/**
 * One line saying what went wrong while opening or reading a capture through libpcap, and
 * what to do about it. A bad filter or option is a usage error; the rest are runtime errors.
 */
export function describeCaptureError(e: unknown, what: { device?: string; file?: string }): Error {
  if (!(e instanceof PcapError)) return e instanceof Error ? e : new Error(String(e));
  const lib = e.pcapMessage ? ` (${e.pcapMessage})` : '';
  const dev = what.device !== undefined ? `"${what.device}"` : 'the device';
  const file = what.file === '-' ? 'standard input' : what.file;
  switch (e.code) {
    case 'EPERM':
    case 'PROMISC_EPERM':
      return new CliError(`permission denied capturing on ${dev}${lib}; ${process.getuid?.() === 0 ? ROOT_PERMISSION_HINT : PERMISSION_HINT}`);
    case 'ENODEV':
      return new CliError(`no such device ${dev}; devices: ${deviceNames()} (pcap devices lists them with their addresses)`);
    case 'IFACE_NOT_UP':
      return new CliError(`device ${dev} is down; bring it up first: ip link set ${what.device ?? 'DEV'} up`);
    case 'RFMON_NOTSUP':
      return new CliError(`device ${dev} cannot capture in monitor mode${lib}; use a Wi-Fi adapter whose driver supports it, or leave out --monitor`);
    case 'BAD_FILTER':
      return new CliError(`invalid filter ${JSON.stringify(e.filter ?? '')}: ${e.pcapMessage ?? e.message}`, ExitCode.USAGE);
    case 'BAD_OPTION':
      return new CliError(flagMessage(e.message), ExitCode.USAGE);
    case 'ENOENT':
      return new CliError(`${file ?? 'file'}: no such file`);
    case 'EACCES':
      return new CliError(`${file ?? 'file'}: permission denied`);
    case 'EISDIR':
      return new CliError(`${file ?? 'file'}: is a directory, not a capture file`);
    case 'BAD_FILE':
      return new CliError(`${file ?? 'file'}: not a capture file libpcap can read: ${e.pcapMessage ?? e.message}`);
    case 'READ_ERROR':
      return new CliError(`${file ?? dev}: ${e.pcapMessage ?? e.message}`);
    default:
      return new CliError(file !== undefined ? `${file}: ${e.pcapMessage ?? e.message}` : e.message);
  }
}
