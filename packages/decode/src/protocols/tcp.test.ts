import { describe, expect, it } from 'vitest';
import { DecodeFailure } from '../layer.js';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { Tcp } from './tcp.js';

// 13:48:01.133843 IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495,
//   options [mss 65495,sackOK,TS val 564706255 ecr 0,nop,wscale 10], length 0
const SYN = fromHex(`
  000000000000 000000000000 0800
  4500003ce6344000400656857f0000017f000001
  e1080001d808151700000000a002ffd7fe300000 0204ffd7 0402 080a21a8bbcf00000000 01 03030a`);

// 13:48:01.133938 IP 127.0.0.1.1 > 127.0.0.1.57608: Flags [R.], seq 0, ack 3624408344, win 0, length 0
const RST = fromHex(`
  000000000000 000000000000 0800
  450000280000400040063cce7f0000017f000001
  0001e10800000000d808151850140000e3a30000`);

describe('tcp', () => {
  it('decodes a SYN with every option', () => {
    const pkt = decodePacket(SYN, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'tcp']);
    const t = pkt.layer<Tcp>('tcp')!;
    expect([t.srcport, t.dstport, t.seq, t.ack, t.headerLength, t.flags, t.window]).toEqual([57608, 1, 3624408343, 0, 40, 0x002, 65495]);
    expect(t.options.map((o) => o.kind)).toEqual([2, 4, 8, 1, 3]);
    expect([t.mss, t.windowScale, t.timestamp]).toEqual([65495, 10, { tsval: 564706255, tsecr: 0 }]);
    expect(t.declaredPayloadLength).toBe(0);
    expect(summarize(pkt)).toBe(
      'IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495, options [mss 65495,sackOK,TS val 564706255 ecr 0,nop,wscale 10], length 0',
    );
  });

  it('decodes a RST-ACK as tcpdump prints it', () => {
    expect(summarize(decodePacket(RST, 1))).toBe('IP 127.0.0.1.1 > 127.0.0.1.57608: Flags [R.], seq 0, ack 3624408344, win 0, length 0');
  });

  it('reports every truncation of the TCP header as a failure after the IP layer', () => {
    for (const cut of prefixes(SYN)) {
      if (cut.length < 34) continue;
      const pkt = decodePacket(cut, 1);
      const names = pkt.layers.map((l) => l.protocol);
      if (cut.length === 34) {
        expect(names).toEqual(['eth', 'ip']);
        continue;
      }
      expect(names).toEqual(['eth', 'ip', '_failure']);
      const f = pkt.failure!;
      expect(f).toBeInstanceOf(DecodeFailure);
      expect(f.layer).toBe('tcp');
      expect(f.offset).toBe(34);
      expect(f.actual).toBe(cut.length - 34);
      expect(f.required).toBe(cut.length - 34 < 20 ? 20 : 40);
      expect(pkt.layer('ip')!.truncated).toBe(true);
    }
  });

  it('flags a data offset below five words instead of reading it', () => {
    const bad = SYN.slice();
    bad[34 + 12] = 0x40;
    const f = decodePacket(bad, 1).failure!;
    expect([f.layer, f.reason]).toEqual(['tcp', 'data offset field below 5']);
  });

  it('stops the option walk at a zero length instead of looping', () => {
    const bad = SYN.slice();
    bad[54 + 1] = 0; // MSS option length
    const t = decodePacket(bad, 1).layer<Tcp>('tcp')!;
    expect(t.options.map((o) => o.kind)).toEqual([2]);
    expect(t.mss).toBeUndefined();
  });
});
