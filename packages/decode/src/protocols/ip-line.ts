import type { TextBuffer } from '../text-buffer.js';

/**
 * tcpdump's line for an IP datagram whose payload no decoder reads:
 * `IP 10.0.0.1 > 10.0.0.2: ip-proto-47 20` (`IP6` for IPv6).
 */
export function writeIpProtoLine(out: TextBuffer, name: 'IP' | 'IP6', src: string, dst: string, protocol: number, length: number): void {
  out.text(name);
  out.byte(0x20);
  out.text(src);
  out.text(' > ');
  out.text(dst);
  out.text(': ip-proto-');
  out.decimal(protocol);
  out.byte(0x20);
  out.decimal(length);
}
