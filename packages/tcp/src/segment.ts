import type { IPv4, IPv6, Layer, Packet, Tcp } from '@pcap/decode';
import { badPacket, isPacket } from './arguments.js';

/** The TCP segment of a decoded packet and the IP header that carried it. */
export interface TcpSegment {
  readonly family: 4 | 6;
  readonly ip: IPv4 | IPv6;
  readonly tcp: Tcp;
  /** Key of the sending endpoint (address and port); equal keys mean the same endpoint. */
  readonly srcKey: string;
  readonly dstKey: string;
  /** The same for both directions of a connection. */
  readonly key: string;
  /** Bytes of the IP packet as its header declares them (headers and payload, captured or not). */
  readonly ipBytes: number;
}

/**
 * Finds the TCP layer of a packet and the nearest IPv4 or IPv6 layer below it (IPv6
 * extension headers may sit between the two; in a tunnel the inner IP header is the
 * nearest). Returns undefined for packets without a whole TCP header or without IP.
 */
export function tcpSegmentOf(pkt: Packet): TcpSegment | undefined {
  if (!isPacket(pkt)) throw badPacket('tcpSegmentOf', pkt);
  const layers = pkt.layers;
  let ti = -1;
  for (let i = 0; i < layers.length; i++) {
    if (layers[i]!.protocol === 'tcp') {
      ti = i;
      break;
    }
  }
  if (ti < 0) return undefined;
  const tcp = layers[ti] as Tcp;
  // A header cut short (by the snapshot length or a bogus data offset) has no trustworthy fields.
  const headerBytes = tcp.headerEnd - tcp.offset;
  if (headerBytes < 20 || headerBytes < tcp.headerLength) return undefined;
  for (let i = ti - 1; i >= 0; i--) {
    const l: Layer = layers[i]!;
    if (l.protocol === 'ip') return build(4, l as IPv4, tcp, (l as IPv4).totalLength);
    if (l.protocol === 'ipv6') return build(6, l as IPv6, tcp, 40 + (l as IPv6).payloadLength);
  }
  return undefined;
}

function build(family: 4 | 6, ip: IPv4 | IPv6, tcp: Tcp, ipBytes: number): TcpSegment {
  // The addresses are read in place from the packet bytes.
  const h = ip.bytes;
  const o = ip.offset;
  const srcKey = family === 4 ? v4Key(h, o + 12, tcp.srcport) : v6Key(h, o + 8, tcp.srcport);
  const dstKey = family === 4 ? v4Key(h, o + 16, tcp.dstport) : v6Key(h, o + 24, tcp.dstport);
  const key = srcKey < dstKey ? `${srcKey}|${dstKey}` : `${dstKey}|${srcKey}`;
  return { family, ip, tcp, srcKey, dstKey, key, ipBytes };
}

function v4Key(h: Uint8Array, o: number, port: number): string {
  // Address and port fit one exact number (48 bits).
  const addr = ((h[o]! << 24) >>> 0) + ((h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!);
  return `4.${addr * 65536 + port}`;
}

function v6Key(h: Uint8Array, o: number, port: number): string {
  let s = '6.';
  for (let i = 0; i < 16; i += 2) s += String.fromCharCode((h[o + i]! << 8) | h[o + i + 1]!);
  return `${s}.${port}`;
}
