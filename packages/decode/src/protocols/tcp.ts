import { hex, u16, u32 } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';

/** One TCP option as found on the wire; `data` excludes the kind and length bytes. */
export interface TcpOption {
  readonly kind: number;
  readonly data: Uint8Array;
}

/** TCP flag bits as in the 12-bit flags field (tcp.flags). */
export const TcpFlags = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
} as const;

/** TCP header (RFC 9293), options included. */
export class Tcp implements Layer {
  readonly protocol = 'tcp';
  truncated = false;
  private opts: TcpOption[] | undefined;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
    /** Payload length as the IP header declares it (may exceed what was captured). */
    readonly declaredPayloadLength: number,
  ) {}

  get srcport(): number {
    return u16(this.header, 0);
  }
  get dstport(): number {
    return u16(this.header, 2);
  }
  get seq(): number {
    return u32(this.header, 4);
  }
  get ack(): number {
    return u32(this.header, 8);
  }
  /** Header length in bytes (data offset × 4). */
  get headerLength(): number {
    return (this.header[12]! >> 4) * 4;
  }
  /** The 12-bit flags field, reserved bits included (see `TcpFlags`). */
  get flags(): number {
    return u16(this.header, 12) & 0x0fff;
  }
  get window(): number {
    return u16(this.header, 14);
  }
  get checksum(): number {
    return u16(this.header, 16);
  }
  get urgentPointer(): number {
    return u16(this.header, 18);
  }

  /**
   * Every option in order, NOP and EOL included. The walk stops at EOL and at an option
   * whose length byte is missing, below 2 or past the header, as Wireshark's does.
   */
  get options(): readonly TcpOption[] {
    if (this.opts) return this.opts;
    const o = this.header.subarray(20);
    const out: TcpOption[] = [];
    for (let i = 0; i < o.length; ) {
      const kind = o[i]!;
      if (kind === 0 || kind === 1) {
        out.push({ kind, data: o.subarray(i + 1, i + 1) });
        i++;
        if (kind === 0) break;
        continue;
      }
      const len = o[i + 1];
      if (len === undefined || len < 2 || i + len > o.length) {
        out.push({ kind, data: o.subarray(i + 2, o.length) });
        break;
      }
      out.push({ kind, data: o.subarray(i + 2, i + len) });
      i += len;
    }
    return (this.opts = out);
  }

  option(kind: number): TcpOption | undefined {
    return this.options.find((x) => x.kind === kind);
  }

  get mss(): number | undefined {
    const o = this.option(2);
    return o && o.data.length === 2 ? u16(o.data, 0) : undefined;
  }
  get windowScale(): number | undefined {
    const o = this.option(3);
    return o && o.data.length === 1 ? o.data[0] : undefined;
  }
  get timestamp(): { tsval: number; tsecr: number } | undefined {
    const o = this.option(8);
    return o && o.data.length === 8 ? { tsval: u32(o.data, 0), tsecr: u32(o.data, 4) } : undefined;
  }
  /** SACK blocks as [left edge, right edge] sequence numbers. */
  get sackBlocks(): Array<[number, number]> {
    const blocks: Array<[number, number]> = [];
    for (const o of this.options) {
      if (o.kind !== 5) continue;
      for (let i = 0; i + 8 <= o.data.length; i += 8) blocks.push([u32(o.data, i), u32(o.data, i + 4)]);
    }
    return blocks;
  }
}

const FLAG_LETTERS: Array<[number, string]> = [
  [TcpFlags.FIN, 'F'],
  [TcpFlags.SYN, 'S'],
  [TcpFlags.RST, 'R'],
  [TcpFlags.PSH, 'P'],
  [TcpFlags.URG, 'U'],
  [TcpFlags.ECE, 'E'],
  [TcpFlags.CWR, 'W'],
];

/** tcpdump's flag text: `S`, `S.`, `P.`, `F.` … (`.` is ACK). */
export function tcpFlagText(flags: number): string {
  let s = '';
  for (const [bit, c] of FLAG_LETTERS) if (flags & bit) s += c;
  if (flags & TcpFlags.ACK) s += '.';
  return s || 'none';
}

export const tcp: Protocol<Tcp> = {
  name: 'tcp',
  decode(data, offset, ctx) {
    if (data.length < 20) return short('tcp', data, offset, 20);
    const hlen = (data[12]! >> 4) * 4;
    if (hlen < 20) return new DecodeFailure('tcp', offset, 20, hlen, 'data offset field below 5', data);
    if (data.length < hlen) return short('tcp', data, offset, hlen, 'data offset field');
    const ipPayload = declaredLength(ctx.layers, data);
    const l = new Tcp(offset, data.subarray(0, hlen), data.subarray(hlen), Math.max(0, ipPayload - hlen));
    l.truncated = ipPayload > data.length;
    return { layer: l, next: { table: 'tcp.port', keys: portOrder(l.srcport, l.dstport) } };
  },
  fields: {
    'tcp.srcport': (l, out) => out.push(String(l.srcport)),
    'tcp.dstport': (l, out) => out.push(String(l.dstport)),
    'tcp.port': (l, out) => out.push(String(l.srcport), String(l.dstport)),
    'tcp.seq_raw': (l, out) => out.push(String(l.seq)),
    'tcp.ack_raw': (l, out) => out.push(String(l.ack)),
    'tcp.hdr_len': (l, out) => out.push(String(l.headerLength)),
    'tcp.flags': (l, out) => out.push(hex(l.flags, 4)),
    'tcp.window_size_value': (l, out) => out.push(String(l.window)),
    'tcp.checksum': (l, out) => out.push(hex(l.checksum, 4)),
    'tcp.urgent_pointer': (l, out) => out.push(String(l.urgentPointer)),
    'tcp.len': (l, out) => out.push(String(l.declaredPayloadLength)),
    'tcp.option_kind': (l, out) => {
      for (const o of l.options) out.push(String(o.kind));
    },
    'tcp.options.mss_val': (l, out) => {
      const v = l.mss;
      if (v !== undefined) out.push(String(v));
    },
    'tcp.options.wscale.shift': (l, out) => {
      const v = l.windowScale;
      if (v !== undefined) out.push(String(v));
    },
    'tcp.options.timestamp.tsval': (l, out) => {
      const v = l.timestamp;
      if (v) out.push(String(v.tsval));
    },
    'tcp.options.sack_le': (l, out) => {
      for (const [le] of l.sackBlocks) out.push(String(le));
    },
    'tcp.options.sack_re': (l, out) => {
      for (const [, re] of l.sackBlocks) out.push(String(re));
    },
  },
  summary(l, ctx) {
    const ends = endpoints(ctx.layers, ctx.index, l.srcport, l.dstport);
    let s = `${ends}: Flags [${tcpFlagText(l.flags)}]`;
    const len = l.declaredPayloadLength;
    if (len > 0 || l.flags & (TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST)) s += `, seq ${l.seq}${len > 0 ? `:${(l.seq + len) >>> 0}` : ''}`;
    if (l.flags & TcpFlags.ACK) s += `, ack ${l.ack}`;
    s += `, win ${l.window}`;
    if (l.options.length > 0) s += `, options [${l.options.map(optionText).join(',')}]`;
    return `${s}, length ${len}`;
  },
};

function optionText(o: TcpOption): string {
  switch (o.kind) {
    case 0:
      return 'eol';
    case 1:
      return 'nop';
    case 2:
      return o.data.length === 2 ? `mss ${u16(o.data, 0)}` : 'mss';
    case 3:
      return o.data.length === 1 ? `wscale ${o.data[0]}` : 'wscale';
    case 4:
      return 'sackOK';
    case 5: {
      const b: string[] = [];
      for (let i = 0; i + 8 <= o.data.length; i += 8) b.push(`{${u32(o.data, i)}:${u32(o.data, i + 4)}}`);
      return `sack ${b.length} ${b.join('')}`;
    }
    case 8:
      return o.data.length === 8 ? `TS val ${u32(o.data, 0)} ecr ${u32(o.data, 4)}` : 'TS';
    case 30:
      return 'mptcp';
    case 34:
      return 'tfo';
    default:
      return `unknown-${o.kind}`;
  }
}

/** Lower port first, as Wireshark tries them. */
export function portOrder(a: number, b: number): number[] {
  return a <= b ? [a, b] : [b, a];
}

/** The length the layer below declares for `data` (its captured bytes plus what the snaplen cut off). */
export function declaredLength(layers: readonly Layer[], data: Uint8Array): number {
  return data.length + (layers[layers.length - 1]?.missing ?? 0);
}

/** `src.port > dst.port` with the nearest IP layer's addresses, tcpdump style. */
export function endpoints(layers: readonly Layer[], index: number, sport: number, dport: number): string {
  for (let i = index - 1; i >= 0; i--) {
    const l = layers[i] as Layer & { src?: string; dst?: string };
    if (l.protocol === 'ip') return `IP ${l.src}.${sport} > ${l.dst}.${dport}`;
    if (l.protocol === 'ipv6') return `IP6 ${l.src}.${sport} > ${l.dst}.${dport}`;
  }
  return `${sport} > ${dport}`;
}
