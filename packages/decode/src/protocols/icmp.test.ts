import { describe, expect, it } from 'vitest';
import { FieldSelector } from '../fields.js';
import { decodePacket, type Packet } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { CaptureRecord } from '../capture/record.js';
import type { Dns } from './dns.js';
import type { Icmp } from './icmp.js';

// 14:20:21.966295 IP 127.0.0.1 > 127.0.0.1: ICMP echo request, id 4660, seq 1, length 64
const ECHO = fromHex(`
  000000000000 000000000000 0800
  45000054926640004001aa407f0000017f000001
  0800eeb712340001 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637`);

// 14:20:22.368136 IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 53 unreachable, length 70
const UNREACH = fromHex(`
  000000000000 000000000000 0800
  45c0005a928200004001e95e7f0000017f000001
  0303802e00000000
  4500003e528340004011ea297f0000017f000001
  b8870035002afe3d
  12340100000100000000000003777777076578616d706c6504746573740000010001`);

const record = (data: Uint8Array): CaptureRecord => ({ data }) as unknown as CaptureRecord;
const fields = (names: string[], pkt: Packet): string[] => new FieldSelector(names).values(record(pkt.data), pkt);

describe('icmp', () => {
  it('decodes an echo request as tcpdump prints it', () => {
    const pkt = decodePacket(ECHO, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'icmp', 'data']);
    const icmp = pkt.layer<Icmp>('icmp')!;
    expect([icmp.type, icmp.code, icmp.checksum, icmp.identifier, icmp.sequence, icmp.isError]).toEqual([8, 0, 0xeeb7, 0x1234, 1, false]);
    expect(icmp.payload.length).toBe(56);
    // The fixed part is the header; the echo data runs to the end of the datagram.
    expect([icmp.offset, icmp.payloadOffset, icmp.payloadEnd]).toEqual([34, 42, 98]);
    expect(icmp.header).toEqual(ECHO.subarray(34, 42));
    expect(fields(['icmp.type', 'icmp.code', 'icmp.ident', 'icmp.seq'], pkt)).toEqual(['8', '0', '4660', '1']);
    expect(summarize(pkt)).toBe('IP 127.0.0.1 > 127.0.0.1: ICMP echo request, id 4660, seq 1, length 64');
  });

  it('decodes the datagram a port unreachable quotes through the same tables', () => {
    const pkt = decodePacket(UNREACH, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'icmp', 'ip', 'udp', 'dns']);
    expect(pkt.layer<Icmp>('icmp')!.quoted).toEqual(UNREACH.subarray(42));
    // ip.src is the outer header's; the transport and DNS fields come from the quote, as in tshark.
    expect(fields(['ip.src', 'ip.proto', 'udp.srcport', 'udp.dstport', 'dns.id', 'dns.qry.name'], pkt)).toEqual([
      '127.0.0.1,127.0.0.1',
      '1,17',
      '47239',
      '53',
      '0x1234',
      'www.example.test',
    ]);
    expect(pkt.layers[5] as Dns).toMatchObject({ id: 0x1234, isResponse: false });
    expect(summarize(pkt)).toBe('IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 53 unreachable, length 70');
  });

  it('decodes every truncation without throwing, and keeps the quote from failing the summary', () => {
    for (const cut of prefixes(UNREACH)) {
      if (cut.length < 34) continue;
      const pkt = decodePacket(cut, 1);
      const names = pkt.layers.map((l) => l.protocol);
      const icmpBytes = cut.length - 34;
      if (icmpBytes === 0) expect(names).toEqual(['eth', 'ip']);
      else if (icmpBytes < 6) {
        // tshark shows no ICMP field before it has read byte 5.
        expect(names).toEqual(['eth', 'ip', '_failure']);
        expect(pkt.failure!.layer).toBe('icmp');
      } else if (icmpBytes < 8) {
        expect(names).toEqual(['eth', 'ip', 'icmp', '_failure']);
        expect(fields(['icmp.type', 'icmp.code'], pkt)).toEqual(['3', '3']);
      } else {
        expect(names.slice(0, 3)).toEqual(['eth', 'ip', 'icmp']);
        expect(summarize(pkt)).toMatch(/^IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP .*unreachable, length 70$/);
      }
      if (icmpBytes >= 8 + 20 + 8) expect(fields(['udp.srcport'], pkt)).toEqual(['47239']);
      if (icmpBytes >= 8 + 20 + 8 + 4) expect(fields(['dns.id'], pkt)).toEqual(['0x1234']);
      else expect(fields(['dns.id'], pkt)).toEqual(['']);
    }
  });

  it('does not decode the application data a redirect quotes (tshark stops at its transport header)', () => {
    const redirect = UNREACH.slice();
    redirect[34] = 5;
    redirect[35] = 1;
    redirect.set([10, 0, 0, 9], 38);
    const pkt = decodePacket(redirect, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'icmp', 'ip', 'udp', 'data']);
    expect(pkt.layer<Icmp>('icmp')!.gateway).toBe('10.0.0.9');
    expect(summarize(pkt)).toBe('IP 127.0.0.1 > 127.0.0.1: ICMP redirect 127.0.0.1 to host 10.0.0.9, length 70');
  });

  it('stops at a quoted datagram whose IP header is cut, without blaming the packet', () => {
    const cut = UNREACH.subarray(0, 34 + 8 + 12);
    const pkt = decodePacket(cut, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'icmp', 'ip', '_failure']);
    expect(pkt.failure!.layer).toBe('ip');
    expect(fields(['ip.src', 'icmp.type'], pkt)).toEqual(['127.0.0.1', '3']);
    expect(summarize(pkt)).toBe('IP 127.0.0.1 > 127.0.0.1: ICMP ? port unreachable, length 70');
  });
});
