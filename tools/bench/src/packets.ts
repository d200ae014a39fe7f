/** Builders for the headers of the benchmark captures. Checksums are left zero: no reader checks them. */

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const be16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v >>> 8;
  b[o + 1] = v & 0xff;
};
const be32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
};

export function mac(n: number): Uint8Array {
  return Uint8Array.of(0x02, 0x00, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** Ethernet II with optional 802.1Q/802.1ad tags (TPIDs given outermost first). */
export function ethernet(dst: Uint8Array, src: Uint8Array, type: number, tags: Array<[tpid: number, vid: number]> = []): Uint8Array {
  const h = new Uint8Array(14 + tags.length * 4);
  h.set(dst, 0);
  h.set(src, 6);
  let o = 12;
  for (const [tpid, vid] of tags) {
    be16(h, o, tpid);
    be16(h, o + 2, vid & 0x0fff);
    o += 4;
  }
  be16(h, o, type);
  return h;
}

export function ipv4(src: number, dst: number, proto: number, payloadLength: number, opts: { id?: number; ttl?: number; mf?: boolean; fragOffset?: number } = {}): Uint8Array {
  const h = new Uint8Array(20);
  h[0] = 0x45;
  be16(h, 2, 20 + payloadLength);
  be16(h, 4, opts.id ?? 0);
  be16(h, 6, (opts.mf ? 0x2000 : 0x4000 * (opts.fragOffset === undefined ? 1 : 0)) | ((opts.fragOffset ?? 0) & 0x1fff));
  h[8] = opts.ttl ?? 64;
  h[9] = proto;
  be32(h, 12, src);
  be32(h, 16, dst);
  return h;
}

export function ipv6(src: Uint8Array, dst: Uint8Array, next: number, payloadLength: number, flow = 0): Uint8Array {
  const h = new Uint8Array(40);
  be32(h, 0, 0x60000000 | (flow & 0xfffff));
  be16(h, 4, payloadLength);
  h[6] = next;
  h[7] = 64;
  h.set(src, 8);
  h.set(dst, 24);
  return h;
}

export function ipv6Addr(prefix: number, host: number): Uint8Array {
  const a = new Uint8Array(16);
  be32(a, 0, 0x20010db8);
  be32(a, 4, prefix);
  be32(a, 12, host);
  return a;
}

/** An 8-byte hop-by-hop or destination options header: router alert + PadN. */
export function ipv6Options(next: number): Uint8Array {
  return Uint8Array.of(next, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00);
}

export interface TcpSegment {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options?: Uint8Array;
}

export function tcp(s: TcpSegment): Uint8Array {
  const opts = s.options ?? new Uint8Array(0);
  const pad = (4 - (opts.length % 4)) % 4;
  const h = new Uint8Array(20 + opts.length + pad);
  be16(h, 0, s.sport);
  be16(h, 2, s.dport);
  be32(h, 4, s.seq >>> 0);
  be32(h, 8, s.ack >>> 0);
  h[12] = (h.length / 4) << 4;
  h[13] = s.flags;
  be16(h, 14, s.window);
  h.set(opts, 20);
  return h;
}

/** Linux's SYN options: MSS, SACK permitted, timestamps, NOP, window scale. */
export function synOptions(tsval: number, tsecr: number): Uint8Array {
  const o = new Uint8Array(20);
  o.set([2, 4, 0x05, 0xb4, 4, 2, 8, 10], 0);
  be32(o, 8, tsval);
  be32(o, 12, tsecr);
  o.set([1, 3, 3, 7], 16);
  return o;
}

/** Linux's data-segment options: NOP, NOP, timestamps. */
export function tsOptions(tsval: number, tsecr: number): Uint8Array {
  const o = new Uint8Array(12);
  o.set([1, 1, 8, 10], 0);
  be32(o, 4, tsval);
  be32(o, 8, tsecr);
  return o;
}

export function udp(sport: number, dport: number, payloadLength: number): Uint8Array {
  const h = new Uint8Array(8);
  be16(h, 0, sport);
  be16(h, 2, dport);
  be16(h, 4, 8 + payloadLength);
  return h;
}

export function arp(op: number, sha: Uint8Array, spa: number, tha: Uint8Array, tpa: number): Uint8Array {
  const h = new Uint8Array(28);
  be16(h, 0, 1);
  be16(h, 2, 0x0800);
  h[4] = 6;
  h[5] = 4;
  be16(h, 6, op);
  h.set(sha, 8);
  be32(h, 14, spa);
  h.set(tha, 18);
  be32(h, 24, tpa);
  return h;
}

export function icmpEcho(type: number, id: number, seq: number, payload: Uint8Array): Uint8Array {
  const h = new Uint8Array(8 + payload.length);
  h[0] = type;
  be16(h, 4, id);
  be16(h, 6, seq);
  h.set(payload, 8);
  return h;
}

function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) {
    out.push(label.length, ...Buffer.from(label, 'ascii'));
  }
  out.push(0);
  return out;
}

/** A DNS query, or its answer with compressed names (CNAME then A records) and an EDNS0 OPT record. */
export function dns(id: number, name: string, answers: number[] | undefined): Uint8Array {
  const b: number[] = [];
  const u16 = (v: number): void => void b.push(v >>> 8, v & 0xff);
  u16(id);
  u16(answers ? 0x8180 : 0x0100);
  u16(1);
  u16(answers ? answers.length + 1 : 0);
  u16(0);
  u16(1);
  b.push(...dnsName(name));
  u16(1);
  u16(1);
  if (answers) {
    // CNAME www.<name> -> <name>, both by pointer to the question (offset 12)
    b.push(0xc0, 12);
    u16(5);
    u16(1);
    u16(0);
    u16(300);
    u16(6);
    b.push(3, 0x77, 0x77, 0x77, 0xc0, 12);
    for (const a of answers) {
      b.push(0xc0, 12);
      u16(1);
      u16(1);
      u16(0);
      u16(60);
      u16(4);
      b.push(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
    }
  }
  // OPT: root name, type 41, UDP size 1232, DO bit
  b.push(0);
  u16(41);
  u16(1232);
  u16(0);
  u16(0x8000);
  u16(0);
  return Uint8Array.from(b);
}

/** A radiotap header with TSFT, flags, rate, channel and dBm antenna signal. */
export function radiotap(tsft: number, rate: number, freq: number, signal: number): Uint8Array {
  const h = new Uint8Array(8 + 8 + 1 + 1 + 4 + 1 + 1);
  h[2] = h.length;
  // present: TSFT(0) flags(1) rate(2) channel(3) dbm_antsignal(5)
  const present = 0b101111;
  h[4] = present & 0xff;
  const dv = new DataView(h.buffer);
  dv.setUint32(8, tsft >>> 0, true);
  dv.setUint32(12, Math.floor(tsft / 2 ** 32), true);
  h[16] = 0;
  h[17] = rate;
  dv.setUint16(18, freq, true);
  dv.setUint16(20, freq > 3000 ? 0x0140 : 0x00a0, true);
  h[22] = signal & 0xff;
  return h.subarray(0, 23);
}

/** An 802.11 management frame header (24 bytes). */
export function dot11Mgmt(subtype: number, da: Uint8Array, sa: Uint8Array, bssid: Uint8Array, seq: number): Uint8Array {
  const h = new Uint8Array(24);
  h[0] = subtype << 4;
  h.set(da, 4);
  h.set(sa, 10);
  h.set(bssid, 16);
  h[22] = (seq << 4) & 0xff;
  h[23] = (seq >> 4) & 0xff;
  return h;
}

/** An 802.11 data frame to the DS (ToDS), with optional QoS control, then LLC/SNAP for `ethertype`. */
export function dot11Data(bssid: Uint8Array, sa: Uint8Array, da: Uint8Array, seq: number, qos: boolean, ethertype: number): Uint8Array {
  const h = new Uint8Array(24 + (qos ? 2 : 0) + 8);
  h[0] = qos ? 0x88 : 0x08;
  h[1] = 0x01;
  h.set(bssid, 4);
  h.set(sa, 10);
  h.set(da, 16);
  h[22] = (seq << 4) & 0xff;
  h[23] = (seq >> 4) & 0xff;
  const o = 24 + (qos ? 2 : 0);
  h.set([0xaa, 0xaa, 0x03, 0, 0, 0, ethertype >> 8, ethertype & 0xff], o);
  return h;
}

/** Beacon/probe-response body: timestamp, interval, capabilities, then SSID, rates, DS, RSN, vendor WMM. */
export function beaconBody(ssid: string, channel: number, tsf: number): Uint8Array {
  const fixed = new Uint8Array(12);
  const dv = new DataView(fixed.buffer);
  dv.setUint32(0, tsf >>> 0, true);
  dv.setUint16(8, 100, true);
  dv.setUint16(10, 0x0431, true);
  const s = Buffer.from(ssid, 'utf8');
  const rsn = [1, 0, 0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 2, 0x0c, 0];
  const wmm = [0x00, 0x50, 0xf2, 0x02, 0x01, 0x01, 0x00, 0x00, 0x03, 0xa4, 0x00, 0x00, 0x27, 0xa4, 0x00, 0x00, 0x42, 0x43, 0x5e, 0x00, 0x62, 0x32, 0x2f, 0x00];
  return concat(
    fixed,
    Uint8Array.of(0, s.length, ...s),
    Uint8Array.of(1, 8, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24),
    Uint8Array.of(3, 1, channel),
    Uint8Array.of(48, rsn.length, ...rsn),
    Uint8Array.of(221, wmm.length, ...wmm),
  );
}

export function probeRequestBody(ssid: string): Uint8Array {
  const s = Buffer.from(ssid, 'utf8');
  return concat(Uint8Array.of(0, s.length, ...s), Uint8Array.of(1, 8, 0x02, 0x04, 0x0b, 0x16, 0x0c, 0x12, 0x18, 0x24));
}
