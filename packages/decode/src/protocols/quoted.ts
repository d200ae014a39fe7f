import type { Layer } from '../layer.js';

/** What an ICMP or ICMPv6 error says about the datagram it quotes. */
export interface QuotedDatagram {
  /** Source address of the quoted datagram. */
  readonly src: string;
  /** Destination address of the quoted datagram. */
  readonly dst: string;
  /** Its IP protocol / IPv6 next header. */
  readonly protocolNumber: number;
  /** `udp` or `tcp` when the quoted transport header was decoded. */
  readonly transport?: 'udp' | 'tcp';
  readonly srcport?: number;
  readonly dstport?: number;
}

type Addressed = Layer & { src?: string; dst?: string; protocolNumber?: number; nextHeader?: number; srcport?: number; dstport?: number };

/** The quoted datagram after the error layer at `index`, from the layers decoded out of it. */
export function quotedDatagram(layers: readonly Layer[], index: number): QuotedDatagram | undefined {
  const ip = layers[index + 1] as Addressed | undefined;
  if (!ip || (ip.protocol !== 'ip' && ip.protocol !== 'ipv6')) return undefined;
  // A quoted header cut before its addresses tells nothing useful.
  if (ip.header.length < (ip.protocol === 'ip' ? 20 : 40)) return undefined;
  const protocolNumber = (ip.protocol === 'ip' ? ip.protocolNumber : ip.nextHeader) ?? 0;
  let transport: QuotedDatagram['transport'];
  let srcport: number | undefined;
  let dstport: number | undefined;
  // Extension headers may sit between the IP header and the transport header.
  for (let i = index + 2; i < layers.length && i < index + 12; i++) {
    const l = layers[i] as Addressed;
    if (l.protocol === 'udp' || l.protocol === 'tcp') {
      transport = l.protocol;
      srcport = l.srcport;
      dstport = l.dstport;
      break;
    }
    if (l.protocol === 'ip' || l.protocol === 'ipv6' || l.protocol === '_failure') break;
  }
  return { src: ip.src ?? '?', dst: ip.dst ?? '?', protocolNumber, transport, srcport, dstport };
}
