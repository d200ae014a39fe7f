/**
 * compat's decoders on the inputs where node_pcap 3.1.0 throws, hangs or prints garbage
 * (V3-API.md §3): compat must decode them and keep v3's shape.
 */
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { PACKETS, packetWithHeader } from './test/packets';

const require = createRequire(import.meta.url);
type Any = any;
const pcapDecode = require('@pcap/compat/decode') as { decode: (pwh: unknown, emitter?: unknown, options?: unknown) => Any };

function decode(hex: string, link = 'LINKTYPE_ETHERNET'): { p: Any; events: string[] } {
  const events: string[] = [];
  const p = pcapDecode.decode(packetWithHeader(hex, link), { emit: (name: string) => events.push(name) });
  return { p, events };
}

describe('crash cases of v3 decode', () => {
  it('skips unknown TCP option kinds (MPTCP 30, TFO 34) and keeps the known ones (§3.1)', () => {
    const { p, events } = decode(PACKETS.tcpOptions);
    const tcp = p.payload.payload.payload;
    expect(tcp.constructor.name).toBe('TCP');
    expect(tcp.options).toMatchObject({ mss: 1460, window_scale: 7, sack_ok: true, sack: null, timestamp: 123, echo: 0 });
    expect(String(p)).toBe(
      'LINKTYPE_ETHERNET 02:00:00:00:00:01 -> 02:00:00:00:00:02 IPv4 192.0.2.1 -> 192.0.2.2 flags [d] TCP 40000->80 seq 1000 ack 0 flags [s] win 64240 csum 38756 [mss:1460 scale:7(128) sack_ok] len 0',
    );
    expect(events).toEqual(['tcp', 'ipv4']);
  });

  it('decodes IP-in-IP with the same IPv4 class (§3.2)', () => {
    const { p, events } = decode(PACKETS.ipInIp);
    const outer = p.payload.payload;
    const IPv4 = require('@pcap/compat/decode/ipv4');
    expect(outer.payload).toBeInstanceOf(IPv4);
    expect(outer.payload.payload.constructor.name).toBe('UDP');
    expect(String(outer)).toBe('192.0.2.1 -> 192.0.2.2 IPv4 10.0.0.1 -> 10.0.0.2 UDP UDP 5000->6000 len 13');
    expect(events).toEqual(['udp', 'ipv4', 'ipv4']);
  });

  it('decodes DNS flags and AAAA answers (§3.8, the deliberate deviation)', () => {
    const { p } = decode(PACKETS.dnsAnswer);
    const udp = p.payload.payload.payload;
    expect(String(udp)).toBe(
      'UDP 53->33333 len 106 DNS { isResponse:true opcode:0 isAuthority:true isTruncated:false isRecursionDesired:true isRecursionAvailible:true z:0 responseCode:0 }\n' +
        '  question:example.test A IN\n' +
        '  answer:example.test A IN 300 127.0.0.7, example.test AAAA IN 60 2001:0db8:0000:0000:0000:0000:0000:0007',
    );
    const DNS = require('@pcap/compat/decode/dns');
    const dns = new DNS().decode(udp.data, 0);
    expect(Object.keys(dns)).toEqual([
      'emitter', 'header', 'question', 'answer', 'authority', 'additional', '_error',
      'raw_packet', 'offset', 'id', 'qdcount', 'ancount', 'nscount', 'arcount',
    ]);
    expect(dns.id).toBe(0x1234);
    expect(dns.answer.rrs[1].rdata).toBe(dns.answer.rrs[1].data);
    expect(dns._error).toBeUndefined();
  });

  it('stops at a DNS name cut by the end of the message instead of looping (§3.3)', () => {
    const { p } = decode(PACKETS.dnsCutName);
    const udp = p.payload.payload.payload;
    const text = String(udp);
    expect(text).toBe(
      'UDP 33333->53 len 28 DNS { isResponse:false opcode:0 isAuthority:false isTruncated:false isRecursionDesired:true isRecursionAvailible:false z:0 responseCode:0 }',
    );
    const DNS = require('@pcap/compat/decode/dns');
    const dns = new DNS().decode(udp.data, 0);
    expect(dns._error).toMatch(/runs past the end/);
    expect(dns.question.rrs).toEqual([]);
  });

  it('prints 802.3/LLC frames without throwing (§3.4)', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { p } = decode(PACKETS.llc8023);
    log.mockRestore();
    expect(p.payload.ethertype).toBe(0);
    expect(p.payload.payload).toBeNull();
    expect(String(p)).toBe('LINKTYPE_ETHERNET 02:00:00:00:00:01 -> 01:80:c2:00:00:00 ethertype 0');
  });

  it('prints every byte of an SLL address (§3.5)', () => {
    const { p } = decode(PACKETS.sll, 'LINKTYPE_LINUX_SLL');
    expect(p.payload.constructor.name).toBe('SLLPacket');
    expect(p.payload.decoderName).toBe('ssl-packet');
    expect(String(p)).toBe('LINKTYPE_LINUX_SLL recv_us addrtype 772 00:00:00:00:00:00 IPv4 127.0.0.1 -> 127.0.0.1 UDP UDP 1->2 len 9');
  });

  it('decodes an 802.11 ACK, shorter than 24 bytes (§3.6)', () => {
    const { p, events } = decode(PACKETS.radiotapAck, 'LINKTYPE_IEEE802_11_RADIO');
    const radio = p.payload;
    expect(radio.fields).toEqual({ flags: 0, rate: 4, channel: { frequency: 2412, flags: 0xa0 }, antenna_signal: -40 });
    const frame = radio.ieee802_11Frame;
    expect(frame.constructor.name).toBe('RadioFrame');
    expect([frame.type, frame.subType]).toEqual([1, 13]);
    expect(String(frame.bssid)).toBe('02:00:00:00:00:0a');
    expect(frame.shost).toBeUndefined();
    expect(events).toEqual(['radio-frame', 'radio-packet']);
    expect(String(p)).toBe('LINKTYPE_IEEE802_11_RADIO [object Object]');
  });

  it('gives TCP over IPv6 the IPv6 payload length and its events (§3.7)', () => {
    const { p, events } = decode(PACKETS.ipv6Tcp);
    const tcp = p.payload.payload.payload;
    expect(tcp.dataLength).toBe(6);
    expect(tcp.data.toString()).toBe('abcdef');
    expect(String(p.payload.payload)).toBe(
      '2001:0db8:0000:0000:0000:0000:0000:0001 -> 2001:0db8:0000:0000:0000:0000:0000:0002 TCP 40001->443 seq 5 ack 0 flags [ap] win 8192 csum 27683 [.] len 6',
    );
    expect(events).toEqual(['tcp', 'ipv6']);
  });
});

describe('truncated packets', () => {
  const cases: [string, string, string][] = [
    ...Object.entries(PACKETS)
      .filter(([k]) => k !== 'sll' && k !== 'radiotapAck')
      .map(([k, hex]) => [k, hex, 'LINKTYPE_ETHERNET'] as [string, string, string]),
    ['sll', PACKETS.sll, 'LINKTYPE_LINUX_SLL'],
    ['radiotapAck', PACKETS.radiotapAck, 'LINKTYPE_IEEE802_11_RADIO'],
    ['ipInIp as raw IP', PACKETS.ipInIp.slice(28), 'LINKTYPE_RAW'],
    ['ipv6Tcp on BSD loopback', `1e000000${PACKETS.ipv6Tcp.slice(28)}`, 'LINKTYPE_NULL'],
  ];
  it.each(cases)('decodes and prints every prefix of %s', (_name, hex, link) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const full = Buffer.from(hex, 'hex');
    try {
      for (let n = 0; n <= full.length; n++) {
        const pwh = packetWithHeader(hex, link);
        pwh.header.writeUInt32LE(n, 8);
        const p = pcapDecode.decode(pwh);
        expect(typeof String(p)).toBe('string');
        expect(p.pcap_header.caplen).toBe(n);
      }
    } finally {
      log.mockRestore();
    }
  });
});

describe('radiotap headers v3 could not decode (§3.9)', () => {
  // Radiotap, two present words: word 0 = flags, antenna_signal, "radiotap namespace next",
  // "another word follows"; word 1 = antenna_signal, antenna (a second antenna's values).
  // Then an 802.11 ACK to 02:00:00:00:00:0a. (tcpdump: -50dBm signal ... Acknowledgment)
  const extended = '000010002200' + '00a0' + '20080000' + '10ce' + 'cc01' + 'd4000000' + '02000000000a';
  it('decodes the first namespace of an extended present bitmap and the frame after it', () => {
    const { p } = decode(extended, 'LINKTYPE_IEEE802_11_RADIO');
    const radio = p.payload;
    expect(radio.headerLength).toBe(16);
    expect(radio.presentFields).toBe((0x0820n << 32n) | 0x20000022n);
    expect(radio.fields).toEqual({ flags: 0x10, antenna_signal: -50 });
    expect(String(radio.ieee802_11Frame.bssid)).toBe('02:00:00:00:00:0a');
  });

  it('decodes a header whose revision is not 0', () => {
    const { p } = decode(`01${PACKETS.radiotapAck.slice(2)}`, 'LINKTYPE_IEEE802_11_RADIO');
    expect(p.payload.headerRevision).toBe(1);
    expect(p.payload.fields.antenna_signal).toBe(-40);
  });

  it('keeps the rest of a TLV header (bit 28) as fields.tlv', () => {
    // present = flags | TLV; flags 0x00, then 4 bytes of TLV data; header length 13.
    const hex = '00000d00' + '02000010' + '00' + 'deadbeef' + 'd4000000' + '02000000000a';
    const { p } = decode(hex, 'LINKTYPE_IEEE802_11_RADIO');
    expect(p.payload.fields.flags).toBe(0);
    expect(p.payload.fields.tlv.toString('hex')).toBe('deadbeef');
  });
});

describe('random bytes', () => {
  // A fixed-seed generator, so a failure can be replayed.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const links = ['LINKTYPE_ETHERNET', 'LINKTYPE_NULL', 'LINKTYPE_RAW', 'LINKTYPE_LINUX_SLL', 'LINKTYPE_IEEE802_11_RADIO'];
  it.each(links)('never throws or hangs on %s garbage, whole or built on real headers', (link) => {
    const next = rng(link.length * 7919);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      for (let i = 0; i < 1500; i++) {
        // Every other case keeps most of a real frame's first 40 bytes, so deeper layers are reached.
        const base = Buffer.from(i % 4 === 0 ? PACKETS.tcpOptions : PACKETS.dnsAnswer, 'hex');
        const len = Math.floor(next() * 160);
        const buf = Buffer.alloc(len);
        for (let j = 0; j < len; j++) buf[j] = j < 40 && i % 2 === 0 && next() < 0.9 ? base[j] ?? 0 : Math.floor(next() * 256);
        const pwh = packetWithHeader(buf.toString('hex'), link);
        const p = pcapDecode.decode(pwh, { emit: () => {} });
        expect(typeof String(p)).toBe('string');
      }
    } finally {
      log.mockRestore();
    }
  });
});
