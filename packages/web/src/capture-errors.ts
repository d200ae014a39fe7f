import { PcapError } from '@pcap/native';

/** What lets a non-root user capture: capabilities on the real node binary. */
const PERMISSION_HINT = 'run as root, or let node capture: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(command -v node)")"';

/** One line saying what went wrong opening or reading a capture, and what to do about it. */
export function describeCaptureError(e: unknown, what: { device?: string; file?: string }): { message: string; code?: string } {
  if (!(e instanceof PcapError)) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'ENOENT' && what.file !== undefined) return { message: `${what.file}: no such file`, code: 'ENOENT' };
    return { message: err instanceof Error ? err.message : String(e), ...(err?.code ? { code: err.code } : {}) };
  }
  const dev = what.device !== undefined ? `"${what.device}"` : 'the device';
  const lib = e.pcapMessage ? ` (${e.pcapMessage})` : '';
  const say = (message: string): { message: string; code: string } => ({ message, code: e.code });
  switch (e.code) {
    case 'EPERM':
    case 'PROMISC_EPERM':
      return say(`permission denied capturing on ${dev}${lib}; ${PERMISSION_HINT}`);
    case 'ENODEV':
      return say(`no such device ${dev} (pcap devices lists them)`);
    case 'IFACE_NOT_UP':
      return say(`device ${dev} is down; bring it up first: ip link set ${what.device ?? 'DEV'} up`);
    case 'ENOENT':
      return say(`${what.file ?? 'file'}: no such file`);
    case 'BAD_FILE':
      return say(`${what.file ?? 'file'}: not a capture file libpcap can read${lib}`);
    default:
      return say(e.message);
  }
}
