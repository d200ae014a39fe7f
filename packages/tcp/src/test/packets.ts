import { decodePacket, type Packet } from '@pcap/decode';
import { noise } from '@pcap/fuzz';
import type { PacketTime } from '../time.js';

/** Builds Ethernet frames holding TCP segments, for tests and benchmarks. Checksums are left zero. */

export const F = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface Seg {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags?: number;
  data?: Uint8Array | string;
  /** Captured bytes of the payload when less than all of it (snaplen cut). */
  captured?: number;
}

function v4(addr: string): number[] {
  return addr.split('.').map((x) => Number(x));
}

function v6(addr: string): number[] {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail ? tail.split(':').filter(Boolean) : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((w) => parseInt(w, 16));
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** The bytes of one frame (Ethernet + IPv4 or IPv6 + TCP + payload). */
export function frame(s: Seg): Uint8Array {
  const payload = typeof s.data === 'string' ? new TextEncoder().encode(s.data) : (s.data ?? new Uint8Array(0));
  const six = s.src.includes(':');
  const tcp = new Uint8Array(20);
  const dv = new DataView(tcp.buffer);
  dv.setUint16(0, s.sport);
  dv.setUint16(2, s.dport);
  dv.setUint32(4, s.seq >>> 0);
  dv.setUint32(8, (s.ack ?? 0) >>> 0);
  tcp[12] = 5 << 4;
  tcp[13] = s.flags ?? F.ACK;
  dv.setUint16(14, 65535);
  let ip: number[];
  if (six) {
    const plen = 20 + payload.length;
    ip = [0x60, 0, 0, 0, plen >> 8, plen & 0xff, 6, 64, ...v6(s.src), ...v6(s.dst)];
  } else {
    const total = 20 + 20 + payload.length;
    ip = [0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, 6, 0, 0, ...v4(s.src), ...v4(s.dst)];
  }
  const eth = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, six ? 0x86 : 0x08, six ? 0xdd : 0x00];
  const cap = s.captured ?? payload.length;
  const out = new Uint8Array(eth.length + ip.length + 20 + cap);
  out.set(eth, 0);
  out.set(ip, eth.length);
  out.set(tcp, eth.length + ip.length);
  out.set(payload.subarray(0, cap), eth.length + ip.length + 20);
  return out;
}

/** A decoded packet of one segment. */
export function packet(s: Seg): Packet {
  return decodePacket(frame(s), 1);
}

/** Packet time `ms` milliseconds after a fixed epoch. */
export function at(ms: number): PacketTime {
  const whole = Math.floor(ms / 1000);
  return { seconds: 1_700_000_000 + whole, nanoseconds: Math.round((ms - whole * 1000) * 1e6) };
}

/** A classic pcap file (microseconds, Ethernet) of frames with their times. */
export function pcapFile(frames: Array<{ bytes: Uint8Array; time: PacketTime }>): Uint8Array {
  let size = 24;
  for (const f of frames) size += 16 + f.bytes.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, 1, true);
  let o = 24;
  for (const f of frames) {
    dv.setUint32(o, f.time.seconds, true);
    dv.setUint32(o + 4, Math.floor(f.time.nanoseconds / 1000), true);
    dv.setUint32(o + 8, f.bytes.length, true);
    dv.setUint32(o + 12, f.bytes.length, true);
    out.set(f.bytes, o + 16);
    o += 16 + f.bytes.length;
  }
  return out;
}

/** Bytes from a hex string; whitespace is ignored so packets can be laid out by header. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Deterministic pseudo-random bytes. */
export function bytes(n: number, seed = 1): Uint8Array {
  return noise(n, seed);
}

/**
 * A conversation builder: keeps each side's next sequence number so a test reads as the
 * exchange it models.
 */
export class Conversation {
  cseq: number;
  sseq: number;
  constructor(
    readonly client = '10.0.0.1',
    readonly server = '10.0.0.2',
    readonly cport = 40000,
    readonly sport = 80,
    cisn = 1000,
    sisn = 5000,
  ) {
    this.cseq = cisn;
    this.sseq = sisn;
  }

  /** A segment from the client at `seq` (default: its next), without moving the counters. */
  c(data: Uint8Array | string = '', o: Partial<Seg> = {}): Seg {
    return { src: this.client, dst: this.server, sport: this.cport, dport: this.sport, seq: this.cseq, ack: this.sseq, flags: F.ACK, data, ...o };
  }

  s(data: Uint8Array | string = '', o: Partial<Seg> = {}): Seg {
    return { src: this.server, dst: this.client, sport: this.sport, dport: this.cport, seq: this.sseq, ack: this.cseq, flags: F.ACK, data, ...o };
  }

  /** SYN, SYN-ACK, ACK. */
  handshake(): Seg[] {
    const syn = this.c('', { flags: F.SYN, ack: 0 });
    this.cseq = (this.cseq + 1) >>> 0;
    const synAck = this.s('', { flags: F.SYN | F.ACK });
    this.sseq = (this.sseq + 1) >>> 0;
    const ack = this.c('');
    return [syn, synAck, ack];
  }

  /** A client segment at its next sequence number, then moves it on. */
  send(data: Uint8Array | string, o: Partial<Seg> = {}): Seg {
    const s = this.c(data, o);
    this.cseq = (this.cseq + len(data)) >>> 0;
    return s;
  }

  reply(data: Uint8Array | string, o: Partial<Seg> = {}): Seg {
    const s = this.s(data, o);
    this.sseq = (this.sseq + len(data)) >>> 0;
    return s;
  }
}

function len(d: Uint8Array | string): number {
  return typeof d === 'string' ? new TextEncoder().encode(d).length : d.length;
}

const TEMPLATE = frame({ src: '0.0.0.0', dst: '0.0.0.0', sport: 0, dport: 0, seq: 0 });

/**
 * An Ethernet/IPv4/TCP frame written straight into bytes (addresses as 32-bit numbers):
 * for tests that send hundreds of thousands of packets.
 */
export function fastFrame(src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, payload?: Uint8Array): Uint8Array {
  const n = payload ? payload.length : 0;
  const out = new Uint8Array(TEMPLATE.length + n);
  out.set(TEMPLATE);
  const dv = new DataView(out.buffer);
  dv.setUint16(16, 40 + n);
  dv.setUint32(26, src >>> 0);
  dv.setUint32(30, dst >>> 0);
  dv.setUint16(34, sport);
  dv.setUint16(36, dport);
  dv.setUint32(38, seq >>> 0);
  dv.setUint32(42, ack >>> 0);
  out[47] = flags;
  if (payload) out.set(payload, TEMPLATE.length);
  return out;
}
