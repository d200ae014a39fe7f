import { expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import { FieldSelector } from '../fields.js';
import { DecodeFailure } from '../layer.js';
import { decodePacket, type DecodeOptions } from '../packet.js';

function record(data: Uint8Array, linkType: number): CaptureRecord {
  return { seconds: 0, nanoseconds: 0, capturedLength: data.length, originalLength: data.length, linkType, interfaceId: undefined, data, number: 1 };
}

/** The fields of a packet by Wireshark name, each as tshark prints it (every occurrence, joined with `,`); absent fields are left out. */
export function fieldsOf(data: Uint8Array, linkType: number, names: readonly string[], options: DecodeOptions = {}): Record<string, string> {
  const values = new FieldSelector(names).values(record(data, linkType), decodePacket(data, linkType, options));
  const out: Record<string, string> = {};
  names.forEach((n, i) => {
    if (values[i] !== '') out[n] = values[i]!;
  });
  return out;
}

/** Protocol names of the layers of a packet, outermost first (`_failure` when decoding stopped early). */
export function layersOf(data: Uint8Array, linkType: number): string[] {
  return decodePacket(data, linkType).layers.map((l) => l.protocol);
}

/**
 * Decodes every prefix of `data` (a snaplen cut at each length) and checks what a user
 * relies on: nothing throws; the layers are the whole packet's layers up to the cut,
 * then at most a failure naming the next one; and every field shown has the whole
 * packet's value (a list field: a prefix of the whole packet's list).
 */
export function expectCleanTruncations(data: Uint8Array, linkType: number, names: readonly string[]): void {
  const whole = layersOf(data, linkType).filter((p) => p !== '_failure' && p !== 'data');
  const full = fieldsOf(data, linkType, names);
  for (let n = 0; n < data.length; n++) {
    const cut = data.subarray(0, n);
    const pkt = decodePacket(cut, linkType);
    const got = pkt.layers.map((l) => l.protocol).filter((p) => p !== '_failure' && p !== 'data');
    expect(got, `layers at ${n} bytes`).toEqual(whole.slice(0, got.length));
    const f = pkt.failure;
    if (f) {
      expect(f).toBeInstanceOf(DecodeFailure);
      expect(f.actual, `failure at ${n} bytes`).toBeLessThanOrEqual(f.required);
    }
    const fields = fieldsOf(cut, linkType, names);
    for (const [name, value] of Object.entries(fields)) {
      const whole = (full[name] ?? '').split(',');
      const part = value.split(',');
      expect(part, `${name} at ${n} bytes`).toEqual(whole.slice(0, part.length));
    }
  }
}

/** The fields of the protocols in `@pcap/decode`'s link, network and transport decoders, as in corpus/fields.tsv. */
export const WIRED_FIELDS = [
  'eth.dst',
  'eth.src',
  'eth.type',
  'ieee8021ad.id',
  'vlan.id',
  'vlan.etype',
  'llc.dsap',
  'llc.ssap',
  'llc.oui',
  'llc.type',
  'sll.pkttype',
  'sll.src.eth',
  'sll.etype',
  'sll.ifindex',
  'null.family',
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'ip.version',
  'ip.hdr_len',
  'ip.dsfield',
  'ip.len',
  'ip.id',
  'ip.flags.df',
  'ip.flags.mf',
  'ip.frag_offset',
  'ip.ttl',
  'ip.proto',
  'ip.checksum',
  'ip.src',
  'ip.dst',
  'ip.opt.type',
  'ipv6.flow',
  'ipv6.plen',
  'ipv6.nxt',
  'ipv6.hlim',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.opt.type',
  'ipv6.routing.type',
  'ipv6.fraghdr.offset',
  'ipv6.fraghdr.more',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.hdr_len',
  'tcp.flags',
  'tcp.window_size_value',
  'tcp.checksum',
  'tcp.urgent_pointer',
  'tcp.len',
  'tcp.option_kind',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.timestamp.tsval',
  'tcp.options.sack_le',
  'tcp.options.sack_re',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'udp.checksum',
] as const;

/** Fields of corpus/fields.tsv whose every occurrence is compared (mode A); the others compare their first only. */
export const ALL_OCCURRENCES: ReadonlySet<string> = new Set([
  'ieee8021ad.id',
  'vlan.id',
  'vlan.etype',
  'ip.opt.type',
  'ipv6.opt.type',
  'tcp.option_kind',
  'tcp.options.sack_le',
  'tcp.options.sack_re',
]);

/** Cuts mode-F fields at their first occurrence, as the fidelity comparison does. */
export function firstOccurrences(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = ALL_OCCURRENCES.has(k) ? v : v.split(',')[0]!;
  return out;
}

/** A packet with what tshark 4.0.17 shows of it: its `WIRED_FIELDS` (absent ones left out). */
export interface WiredCase {
  readonly name: string;
  readonly linkType: number;
  readonly bytes: Uint8Array;
  /** Layer protocols, outermost first. */
  readonly layers: readonly string[];
  readonly fields: Readonly<Record<string, string>>;
  /** Our tcpdump-like summary (the shape of `tcpdump -nn -r`'s line). */
  readonly summary?: string;
}

/** One test per case for its layers, fields and summary, and one for its every truncation. */
export function testCases(cases: readonly WiredCase[], summarize: (data: Uint8Array, linkType: number) => string): void {
  for (const c of cases) {
    it(`decodes ${c.name} into the layers and fields tshark shows`, () => {
      expect(layersOf(c.bytes, c.linkType)).toEqual(c.layers);
      expect(firstOccurrences(fieldsOf(c.bytes, c.linkType, WIRED_FIELDS))).toEqual(c.fields);
      if (c.summary !== undefined) expect(summarize(c.bytes, c.linkType)).toBe(c.summary);
    });
    it(`decodes ${c.name} cut at every length without throwing or inventing values`, () => {
      expectCleanTruncations(c.bytes, c.linkType, WIRED_FIELDS);
    });
  }
}
