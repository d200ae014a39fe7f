import { describe, expect, it } from 'vitest';
import { Reassembler, type GapReason, type ReassemblySink } from './reassembler.js';
import { at } from './test/packets.js';

type Event = { data: string; at: number } | { gap: number; at: number; reason: GapReason } | { conflict: number; at: number } | { fin: true };

function recorder(history = 4096) {
  const events: Event[] = [];
  const sink: ReassemblySink = {
    data: (b, offset) => events.push({ data: new TextDecoder().decode(b), at: offset }),
    gap: (offset, size, reason) => events.push({ gap: size, at: offset, reason }),
    conflict: (offset, size) => events.push({ conflict: size, at: offset }),
    finished: () => events.push({ fin: true }),
  };
  const r = new Reassembler(sink, history);
  const enc = new TextEncoder();
  const t = at(0);
  return {
    r,
    events,
    /** Adds `text` at sequence number `seq`. */
    seg(seq: number, text: string, o: { syn?: boolean; fin?: boolean; length?: number } = {}) {
      const b = enc.encode(text);
      return r.segment(seq >>> 0, o.syn ?? false, o.fin ?? false, b, o.length ?? b.length, t);
    },
    ack(n: number) {
      r.acked(n >>> 0, t);
    },
    close() {
      r.close(t);
    },
    text() {
      return events.map((e) => ('data' in e ? e.data : 'gap' in e ? `[${e.gap}]` : '')).join('');
    },
  };
}

describe('Reassembler', () => {
  it('delivers in-order segments as they come, offsets counted from after the SYN', () => {
    const x = recorder();
    expect(x.seg(100, '', { syn: true })).toBe('empty');
    expect(x.seg(101, 'hello ')).toBe('in-order');
    expect(x.seg(107, 'world')).toBe('in-order');
    expect(x.events).toEqual([
      { data: 'hello ', at: 0 },
      { data: 'world', at: 6 },
    ]);
  });

  it('holds a segment that arrives before the one preceding it, then delivers both in order', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    expect(x.seg(6, 'world')).toBe('out-of-order');
    expect(x.events).toEqual([]);
    expect(x.r.heldBytes).toBe(5);
    expect(x.seg(1, 'hello')).toBe('in-order');
    expect(x.text()).toBe('helloworld');
    expect(x.r.heldBytes).toBe(0);
  });

  it('delivers three segments received in reverse order once the first arrives', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(9, 'ccc');
    x.seg(5, 'bbbb');
    expect(x.text()).toBe('');
    x.seg(1, 'aaaa');
    expect(x.text()).toBe('aaaabbbbccc');
  });

  it('counts an exact retransmission once and keeps the stream unchanged', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(1, 'abc');
    expect(x.seg(1, 'abc')).toBe('retransmission');
    x.seg(4, 'def');
    expect(x.text()).toBe('abcdef');
    expect(x.events.some((e) => 'conflict' in e)).toBe(false);
  });

  it('keeps the first copy when a retransmission carries different bytes, and reports the overlap', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(1, 'GET /a');
    expect(x.seg(1, 'GET /b')).toBe('retransmission');
    expect(x.events).toEqual([
      { data: 'GET /a', at: 0 },
      { conflict: 1, at: 5 },
    ]);
  });

  it('takes only the new tail of a segment that overlaps the stream end, checking the overlapped part', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(1, 'abcd');
    expect(x.seg(3, 'XDef')).toBe('retransmission');
    expect(x.text()).toBe('abcdef');
    expect(x.events).toContainEqual({ conflict: 2, at: 2 });
  });

  it('reports an overlap between two held segments when the later one is reached', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(5, 'EFGH'); // offsets 4..7
    x.seg(3, 'cdXY'); // offsets 2..5, disagrees at 4..5
    x.seg(1, 'ab');
    // The segment that reaches the stream's end is taken whole (Follow TCP Stream's rule),
    // then the rest of the other one; the disagreement is reported.
    expect(x.text()).toBe('abcdXYGH');
    expect(x.events).toContainEqual({ conflict: 2, at: 4 });
  });

  it('prefers the earlier arrival among held segments that start at the same point', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(3, 'first');
    x.seg(3, 'other');
    x.seg(1, 'ab');
    expect(x.text()).toBe('abfirst');
    expect(x.events).toContainEqual({ conflict: 5, at: 2 });
  });

  it('reports a hole the receiver acknowledged as a gap with its size, and continues after it', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(1, 'aaaa');
    x.seg(9, 'cccc'); // 'bbbb' at 5 was lost by the capture
    expect(x.text()).toBe('aaaa');
    x.ack(5); // acknowledges only what we have: no gap
    expect(x.text()).toBe('aaaa');
    x.ack(13);
    expect(x.events).toContainEqual({ gap: 4, at: 4, reason: 'acked' });
    expect(x.text()).toBe('aaaa[4]cccc');
    x.seg(13, 'dd');
    expect(x.text()).toBe('aaaa[4]ccccdd');
  });

  it('gives up holes that never fill when the stream closes, delivering what was held', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(1, 'aa');
    x.seg(7, 'cc');
    x.seg(11, 'ee');
    x.close();
    expect(x.text()).toBe('aa[4]cc[2]ee');
    expect(x.events.filter((e) => 'gap' in e).map((e) => (e as { reason: string }).reason)).toEqual(['close', 'close']);
  });

  it('follows sequence numbers across the 2^32 wrap', () => {
    const x = recorder();
    const isn = 0xfffffffa;
    x.seg(isn, '', { syn: true });
    x.seg(0xfffffffb, 'abcd'); // ends at 0xffffffff
    x.seg(0x00000003, 'ijkl'); // held: after 'efgh'
    x.seg(0xffffffff, 'efgh'); // spans the wrap
    x.seg(0x00000003, 'ijkl'); // retransmission after the wrap
    expect(x.text()).toBe('abcdefghijkl');
    expect(x.r.next).toBe(12);
    x.ack(0x00000007);
    expect(x.events.some((e) => 'gap' in e)).toBe(false);
  });

  it('joins a stream mid-way: the first segment seen starts it, older data is a retransmission', () => {
    const x = recorder();
    expect(x.seg(5000, 'middle')).toBe('in-order');
    expect(x.seg(4990, 'before....')).toBe('retransmission');
    x.seg(5006, '-end');
    expect(x.text()).toBe('middle-end');
  });

  it('reports the tail a snapshot length cut as a gap and keeps going', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(1, 'abc', { length: 10 }); // 10 bytes on the wire, 3 captured
    x.seg(11, 'xyz');
    expect(x.text()).toBe('abc[7]xyz');
    expect(x.events[1]).toEqual({ gap: 7, at: 3, reason: 'truncated' });
  });

  it('finishes at the FIN only once every byte before it is in', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(4, 'def', { fin: true });
    expect(x.r.finished).toBe(false);
    x.seg(1, 'abc');
    expect(x.r.finished).toBe(true);
    expect(x.events.at(-1)).toEqual({ fin: true });
  });

  it('treats a one-byte probe just before the stream end as a keep-alive, not a conflict', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(1, 'abc');
    expect(x.seg(3, 'Z')).toBe('keepalive');
    expect(x.events.some((e) => 'conflict' in e)).toBe(false);
  });

  it('drops an exact duplicate of a held segment instead of holding it twice', () => {
    const x = recorder();
    x.seg(0, '', { syn: true });
    x.seg(10, 'held');
    expect(x.seg(10, 'held')).toBe('retransmission');
    expect(x.r.heldSegments).toBe(1);
  });

  it('charges held bytes, per-segment overhead and the overlap window in its cost', () => {
    const x = recorder(0);
    x.seg(0, '', { syn: true });
    x.seg(10, 'abcd');
    expect(x.r.cost).toBe(4 + 64);
    const y = recorder(2048);
    y.seg(0, '', { syn: true });
    y.seg(1, 'a');
    expect(y.r.cost).toBe(2048); // the window, capped at its limit
  });

  it('checks overlaps only within the kept window and never reads outside it', () => {
    const x = recorder(1024);
    x.seg(0, '', { syn: true });
    const big = 'x'.repeat(5000);
    x.seg(1, big);
    expect(x.r.cost).toBe(1024);
    x.seg(1, 'y'.repeat(3000)); // differs, but lies before the window (last 1024 bytes): not checkable
    expect(x.events.some((e) => 'conflict' in e)).toBe(false);
    x.seg(4001, 'y'.repeat(1000)); // inside the window: reported
    expect(x.events).toContainEqual({ conflict: 1000, at: 4000 });
  });

  it('rebuilds a stream exactly from random segments in random order with duplicates and overlaps (200 runs)', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    for (let run = 0; run < 200; run++) {
      const len = 1 + rnd(3000);
      const data = new Uint8Array(len).map(() => rnd(256));
      const isn = run % 3 === 0 ? 0xffffffff - rnd(2000) : rnd(2 ** 32);
      const segs: Array<[number, number]> = [];
      for (let at = 0; at < len; ) {
        const n = 1 + rnd(200);
        segs.push([at, Math.min(len, at + n)]);
        at += n;
      }
      // Overlapping copies of random spans, and plain duplicates.
      for (let k = rnd(10); k > 0; k--) {
        const a = rnd(len);
        segs.push([a, Math.min(len, a + 1 + rnd(300))]);
      }
      for (let k = rnd(5); k > 0; k--) segs.push(segs[rnd(segs.length)]!);
      for (let i = segs.length - 1; i > 0; i--) {
        const j = rnd(i + 1);
        [segs[i], segs[j]] = [segs[j]!, segs[i]!];
      }
      const out: number[] = [];
      let gaps = 0;
      let conflicts = 0;
      const r = new Reassembler(
        {
          data: (b, offset) => {
            expect(offset).toBe(out.length);
            out.push(...b);
          },
          gap: () => gaps++,
          conflict: () => conflicts++,
          finished: () => {},
        },
        4096,
      );
      const t = at(0);
      r.segment(isn, true, false, new Uint8Array(0), 0, t);
      for (const [a, b] of segs) r.segment((isn + 1 + a) >>> 0, false, false, data.subarray(a, b), b - a, t);
      r.close(t);
      expect(gaps).toBe(0);
      expect(conflicts).toBe(0);
      expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    }
  });
});
