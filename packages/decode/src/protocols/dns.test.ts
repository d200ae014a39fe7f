import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import { FieldSelector } from '../fields.js';
import { decodePacket, type Packet } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { Dns } from './dns.js';

// 14:20:22.773904 IP 127.0.0.1.46227 > 127.0.0.1.53: 48879+ [1au] A? www.example.test. (45)
const QUERY = fromHex(`
  000000000000 000000000000 0800
  450000 49529740004011ea0a7f0000017f000001
  b49300350035fe48
  beef01000001000000000001 03777777076578616d706c650474657374000001 0001
  00002904d0000080000000`);

// 14:20:22.775321 IP 127.0.0.1.53 > 127.0.0.1.46227: 48879 3/0/1 CNAME web.example.test., A 192.0.2.80,
//   TXT "v=spf1 -all" "tab^Ihere" (172)
const RESPONSE = fromHex(`
  000000000000 000000000000 0800
  450000c8529840004011e98a7f0000017f000001
  0035b49300b4fec7
  beef81800001000300000001
  03777777076578616d706c650474657374 00 0001 0001
  03777777076578616d706c650474657374 00 0005 0001 0000012c 0012 03776562076578616d706c650474657374 00
  03776562076578616d706c650474657374 00 0001 0001 0000012c 0004 c0000250
  03776562076578616d706c650474657374 00 0010 0001 0000012c 0015 0b763d73706631202d616c6c 087461620968657265
  00 0029 04d0 00008000 0000`);

// 14:20:22.983451 IP 127.0.0.1.53 > 127.0.0.1.44282: Flags [P.], seq 1:146, ack 35, win 64, options [nop,nop,TS val
//   825524419 ecr 825524418], length 145 -- two length-prefixed messages in one segment
const TCP_TWO = fromHex(`
  000000000000 000000000000 0800
  450000c518e14000400623507f0000017f000001
  0035acfaa85ee244cf39524780180040feb900000101080a313480c325f4b599
  004a 0101818000010001000000000161076578616d706c65047465737400001c0001
       0161076578616d706c65047465737400001c00010000003c001020010db8000000000000000000000001
  0043 0102818000010001000000000162076578616d706c65047465737400000f0001
       0162076578616d706c65047465737400000f00010000003c0009000a046d61696cc00e`);

const record = (data: Uint8Array): CaptureRecord => ({ data }) as unknown as CaptureRecord;
const fields = (names: string[], pkt: Packet): string[] => new FieldSelector(names).values(record(pkt.data), pkt);

/** `msg` as the payload of UDP from port 53 over IPv4 over Ethernet (checksums zero, as tshark does not check them). */
function udp53(msg: Uint8Array, dport = 40000, sport = 53): Uint8Array {
  const ulen = 8 + msg.length;
  const ip = [0x45, 0, (20 + ulen) >> 8, (20 + ulen) & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  const u = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, ulen >> 8, ulen & 0xff, 0, 0];
  return new Uint8Array([...QUERY.subarray(0, 14), ...ip, ...u, ...msg]);
}

const HEADER_1Q = '1234 8180 0001 0000 0000 0000';

/** `seg` as the payload of the first segment of TCP_TWO (IP total length adjusted). */
function overTcp(seg: readonly number[]): Uint8Array {
  const tcp = TCP_TWO.subarray(0, 66);
  const total = 20 + 32 + seg.length;
  const ip = tcp.slice(14, 34);
  ip[2] = total >> 8;
  ip[3] = total & 0xff;
  return new Uint8Array([...tcp.subarray(0, 14), ...ip, ...tcp.subarray(34), ...seg]);
}

describe('dns', () => {
  it('decodes a query with EDNS as tcpdump prints it', () => {
    const pkt = decodePacket(QUERY, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'dns']);
    const d = pkt.layer<Dns>('dns')!;
    expect([d.id, d.flags, d.isResponse, d.opcode, d.questionCount, d.additionalCount]).toEqual([0xbeef, 0x0100, false, 0, 1, 1]);
    expect(d.questions).toEqual([{ name: 'www.example.test', type: 1, class: 1, unicastResponse: false }]);
    expect(d.edns).toEqual({ udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: true, options: [] });
    expect(fields(['dns.id', 'dns.flags', 'dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.resp.type'], pkt)).toEqual([
      '0xbeef',
      '0x0100',
      '0',
      'www.example.test',
      '1',
      '41',
    ]);
  });

  it('decodes every section of a response, with tshark formatting and tcpdump summary', () => {
    const pkt = decodePacket(RESPONSE, 1);
    const d = pkt.layer<Dns>('dns')!;
    expect(d.answers.map((r) => [r.name, r.type, r.ttl, r.data])).toEqual([
      ['www.example.test', 5, 300, { kind: 'name', name: 'web.example.test' }],
      ['web.example.test', 1, 300, { kind: 'A', address: '192.0.2.80' }],
      ['web.example.test', 16, 300, { kind: 'TXT', strings: ['v=spf1 -all', 'tab\there'] }],
    ]);
    expect(d.authorities).toEqual([]);
    expect(d.additionals.map((r) => [r.name, r.type, r.class])).toEqual([['<Root>', 41, 1232]]);
    expect(d.error).toBeUndefined();
    expect(fields(['dns.count.answers', 'dns.resp.type', 'dns.a', 'dns.cname', 'dns.txt'], pkt)).toEqual([
      '3',
      '5,1,16,41',
      '192.0.2.80',
      'web.example.test',
      'v=spf1 -all,tab\\there',
    ]);
    expect(summarize(pkt)).toBe(
      'IP 127.0.0.1.53 > 127.0.0.1.46227: 48879 3/0/1 CNAME web.example.test., A 192.0.2.80, TXT "v=spf1 -all" "tab^Ihere" (172)',
    );
  });

  it('decodes every message of a TCP segment after its length prefix', () => {
    const pkt = decodePacket(TCP_TWO, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'tcp', 'dns', 'dns']);
    const [a, b] = pkt.layers.slice(3) as Dns[];
    expect([a!.transport, a!.declaredLength, b!.declaredLength]).toEqual(['tcp', 74, 67]);
    expect(a!.answers[0]!.data).toEqual({ kind: 'AAAA', address: '2001:db8::1' });
    expect(b!.answers[0]!.data).toEqual({ kind: 'MX', preference: 10, exchange: 'mail.example.test' });
    expect(fields(['dns.id', 'dns.aaaa', 'dns.mx.mail_exchange'], pkt)).toEqual(['0x0101,0x0102', '2001:db8::1', 'mail.example.test']);
    expect(summarize(pkt)).toMatch(/length 145 257 1\/0\/0 AAAA 2001:db8::1 \(74\)$/);
  });

  it('spans a TCP message from its length prefix, with its header and message after the prefix', () => {
    const pkt = decodePacket(TCP_TWO, 1);
    const [a, b] = pkt.layers.slice(3) as Dns[];
    // Segment bytes 66..211: prefix 0x004a, 74-byte message, prefix 0x0043, 67-byte message.
    expect([a!.offset, a!.messageOffset, a!.payloadOffset, a!.payloadEnd]).toEqual([66, 68, 142, 211]);
    expect(a!.header).toEqual(TCP_TWO.subarray(68, 80));
    expect(a!.message).toEqual(TCP_TWO.subarray(68, 142));
    expect(a!.payload).toEqual(TCP_TWO.subarray(142));
    expect([b!.offset, b!.messageOffset, b!.payloadOffset, b!.payloadEnd]).toEqual([142, 144, 211, 211]);
    expect(b!.header).toEqual(TCP_TWO.subarray(144, 156));
  });

  it('spans a UDP message over the whole datagram payload', () => {
    const d = decodePacket(QUERY, 1).layer<Dns>('dns')!;
    expect([d.offset, d.messageOffset, d.payloadOffset, d.payloadEnd]).toEqual([42, 42, QUERY.length, QUERY.length]);
    expect(d.header).toEqual(QUERY.subarray(42, 54));
    expect(d.message).toEqual(QUERY.subarray(42));
    expect(d.payload).toHaveLength(0);
  });

  it('shows the header fields progressively and sections only when whole, for every truncation', () => {
    for (const cut of prefixes(RESPONSE)) {
      if (cut.length < 42) continue;
      const pkt = decodePacket(cut, 1);
      const n = cut.length - 42;
      const [id, answers, names, types] = fields(['dns.id', 'dns.count.answers', 'dns.qry.name', 'dns.resp.type'], pkt);
      expect(id).toBe(n >= 4 ? '0xbeef' : '');
      expect(answers).toBe(n >= 8 ? '3' : '');
      // The question shows once its name, type and class are all there (bytes 12..33).
      expect(names).toBe(n >= 34 ? 'www.example.test' : '');
      // A record shows once all its RDLENGTH bytes are there.
      const ends = [80, 112, 161];
      expect(types).toBe(['5', '1', '16'].filter((_, i) => n >= ends[i]!).join(','));
      if (n >= 4 && n < 172) expect(summarize(pkt)).toContain('[|domain]');
    }
  });

  it('names a looping compression pointer as tshark does and stops', () => {
    // A name that points at itself.
    const self = decodePacket(udp53(fromHex(`${HEADER_1Q} c00c 0001 0001`)), 1).layer<Dns>('dns')!;
    expect(self.questions.map((q) => [q.name, q.type])).toEqual([['<Name contains a pointer that loops>', 1]]);
    // A pointer to just past the two bytes after it: tshark's quick loop test fires.
    const near = decodePacket(udp53(fromHex(`${HEADER_1Q} c010 0000 0100 00`)), 1).layer<Dns>('dns')!;
    expect(near.questions[0]!.name).toBe('<Name contains a pointer that loops>');
    // Two names pointing at each other, through a label.
    const pair = decodePacket(udp53(fromHex(`${HEADER_1Q} 0161c00c 0001 0001`)), 1).layer<Dns>('dns')!;
    expect(pair.questions[0]!.name).toBe('<Name contains a pointer that loops>');
  });

  it('follows up to 255 pointers and calls one more a loop', () => {
    const chain = (pointers: number): Uint8Array => {
      // The question is a pointer to the end of a chain of pointers, each to the one before it.
      const body = [0x01, 0x7a, 0x00];
      let prev = 18;
      let pos = 21;
      for (let i = 0; i < pointers - 1; i++) {
        body.push(0xc0 | (prev >> 8), prev & 0xff);
        prev = pos;
        pos += 2;
      }
      return udp53(new Uint8Array([...fromHex(HEADER_1Q), 0xc0 | (prev >> 8), prev & 0xff, 0, 1, 0, 1, ...body]));
    };
    expect(decodePacket(chain(255), 1).layer<Dns>('dns')!.questions[0]!.name).toBe('z');
    expect(decodePacket(chain(256), 1).layer<Dns>('dns')!.questions[0]!.name).toBe('<Name contains a pointer that loops>');
  });

  it('follows forward pointers, and names longer than 253 characters are too long', () => {
    const fwd = decodePacket(udp53(fromHex(`${HEADER_1Q} c012 0001 0001 016200`)), 1).layer<Dns>('dns')!;
    expect(fwd.questions[0]!.name).toBe('b');
    const label = (n: number): string => n.toString(16).padStart(2, '0') + '61'.repeat(n);
    const ok = decodePacket(udp53(fromHex(`${HEADER_1Q} ${label(63).repeat(3)}${label(61)}00 0001 0001`)), 1).layer<Dns>('dns')!;
    expect(ok.questions[0]!.name).toHaveLength(253);
    const long = decodePacket(udp53(fromHex(`${HEADER_1Q} ${label(63).repeat(3)}${label(62)}00 0001 0001`)), 1).layer<Dns>('dns')!;
    expect(long.questions[0]!.name).toBe('<Name too long>');
  });

  it('escapes names and TXT strings exactly as tshark prints them', () => {
    const msg = fromHex(`1234 8180 0001 0001 0000 0000 03 61095c 02 c3a9 00 0010 0001 c00c 0010 0001 00000000 000d 03 610a62 03 80780a 04 78007968`);
    const pkt = decodePacket(udp53(msg), 1);
    // Names: control bytes as C escapes, UTF-8 kept, backslash left alone. TXT: cut at NUL, high bytes as U+FFFD.
    expect(fields(['dns.qry.name', 'dns.txt'], pkt)).toEqual(['a\\t\\.\u00e9', 'a\\nb,\ufffdx\\n,x']);
  });

  it('stops at an overrunning TXT string but keeps the strings before it, as tshark does', () => {
    const msg = fromHex(`1234 8180 0001 0002 0000 0000 0161 00 0001 0001 c00c 0010 0001 00000000 0003 0568656c6c6f c00c 0001 0001 00000000 0004 05060708`);
    const d = decodePacket(udp53(msg), 1).layer<Dns>('dns')!;
    expect(d.answers.map((r) => r.data)).toEqual([{ kind: 'TXT', strings: ['hello'] }]);
    expect(d.error).toMatchObject({ what: 'TXT string' });
  });

  it('reads A records four bytes long whatever RDLENGTH says, like tshark', () => {
    const msg = fromHex(`1234 8180 0001 0002 0000 0000 0161 00 0001 0001 c00c 0001 0001 00000000 0002 0102 c00c 0001 0001 00000000 0004 05060708`);
    expect(fields(['dns.a', 'dns.resp.type'], decodePacket(udp53(msg), 1))).toEqual(['1.2.192.12,5.6.7.8', '1,1']);
  });

  it('lists NSEC bitmap types under dns.resp.type, as tshark does', () => {
    const msg = fromHex(`1234 8180 0001 0001 0000 0000 0161 00 0001 0001 c00c 002f 0001 00000000 0007 00 0004 62000008`);
    const pkt = decodePacket(udp53(msg), 1);
    expect(pkt.layer<Dns>('dns')!.answers[0]!.data).toEqual({ kind: 'NSEC', next: '<Root>', types: [1, 2, 6, 28] });
    expect(fields(['dns.resp.type'], pkt)).toEqual(['47,1,2,6,28']);
  });

  it('decodes MX, SRV, SOA, CAA, HTTPS and URI records', () => {
    const rr = (type: string, rdata: string): string => `c00c ${type} 0001 00000e10 ${(rdata.replace(/\s/g, '').length / 2).toString(16).padStart(4, '0')} ${rdata}`;
    const msg = fromHex(`1234 8180 0001 0006 0000 0000 076578616d706c65 00 00ff 0001
      ${rr('000f', '000a 046d61696c c00c')}
      ${rr('0021', '0001 0002 01bb 03737276 c00c')}
      ${rr('0006', '026e73 c00c 0561646d696e c00c 00000001 00000e10 00000384 00093a80 0000012c')}
      ${rr('0101', '00 05 6973737565 6c65742e6f7267')}
      ${rr('0041', '0001 00 0001 0003 026832 0003 0002 01bb')}
      ${rr('0100', '000a 0001 68747470733a2f2f782f')}`);
    const d = decodePacket(udp53(msg), 1).layer<Dns>('dns')!;
    expect(d.error).toBeUndefined();
    expect(d.answers.map((r) => r.data)).toEqual([
      { kind: 'MX', preference: 10, exchange: 'mail.example' },
      { kind: 'SRV', priority: 1, weight: 2, port: 443, target: 'srv.example' },
      { kind: 'SOA', mname: 'ns.example', rname: 'admin.example', serial: 1, refresh: 3600, retry: 900, expire: 604800, minimum: 300 },
      { kind: 'CAA', flags: 0, tag: 'issue', value: 'let.org' },
      {
        kind: 'SVCB',
        priority: 1,
        target: '<Root>',
        params: [
          { key: 1, value: fromHex('026832') },
          { key: 3, value: fromHex('01bb') },
        ],
      },
      { kind: 'URI', priority: 10, weight: 1, target: 'https://x/' },
    ]);
  });

  it('decodes mDNS with its cache-flush and unicast-response bits', () => {
    const msg = fromHex(`0000 8400 0001 0001 0000 0000 056c6f63616c 00 00ff 8001 c00c 0001 8001 00000078 0004 c0a80001`);
    const pkt = decodePacket(udp53(msg, 5353, 5353), 1);
    const d = pkt.layer<Dns>('dns')!;
    expect(d.flavor).toBe('mdns');
    expect(d.questions[0]).toMatchObject({ class: 1, unicastResponse: true });
    expect(d.answers[0]).toMatchObject({ class: 1, cacheFlush: true, data: { kind: 'A', address: '192.168.0.1' } });
  });

  it('skips TCP messages too short to show and goes on to the next, as tshark does', () => {
    const msg = fromHex(`${HEADER_1Q} 0161 00 0001 0001`);
    const pkt = decodePacket(overTcp([0, 0, 0, 1, 0x21, 0, msg.length, ...msg]), 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'tcp', 'dns']);
    expect(fields(['dns.qry.name'], pkt)).toEqual(['a']);
    // The layer starts at the length prefix of the message shown, past the skipped ones.
    expect(pkt.layer<Dns>('dns')!.offset).toBe(66 + 5);
    expect(pkt.layer<Dns>('dns')!.messageOffset).toBe(66 + 5 + 2);
  });

  it('fails at the end of a segment whose last skipped message runs past it', () => {
    // A 1-byte message, then one announcing 3 bytes of which 1 is there: the next prefix would be 2 bytes past the end.
    for (const seg of [
      [0, 1, 0x21, 0, 3, 0xaa],
      [0, 3, 1],
    ]) {
      const pkt = decodePacket(overTcp(seg), 1);
      expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'tcp', '_failure']);
      expect(pkt.failure).toMatchObject({ layer: 'dns', offset: pkt.data.length, required: 2, actual: 0, reason: 'length prefix' });
      expect(pkt.failure!.header).toHaveLength(0);
    }
    // A prefix cut in half fails where it starts.
    const half = decodePacket(overTcp([0, 1, 0x21, 0]), 1);
    expect(half.failure).toMatchObject({ layer: 'dns', offset: 69, required: 2, actual: 1, reason: 'length prefix' });
  });

  it('never throws on any single-byte change of a response', () => {
    for (let i = 42; i < RESPONSE.length; i++) {
      for (const v of [0x00, 0x3f, 0x40, 0x80, 0xc0, 0xff]) {
        const b = RESPONSE.slice();
        b[i] = v;
        const pkt = decodePacket(b, 1);
        const d = pkt.layer<Dns>('dns')!;
        expect(() => [d.questions, d.records, d.edns, summarize(pkt), fields(['dns.qry.name', 'dns.resp.type', 'dns.txt'], pkt)]).not.toThrow();
      }
    }
  });
});
