/**
 * The holes a printing thread leaves for relative TCP numbers, filled by the reading thread,
 * give exactly the text one thread prints: whatever the slices, and with text that is not
 * ASCII before a hole (where characters and bytes part ways).
 */
import { decodePacket, parseCapture, TcpFlags, TcpSequenceBases, TextBuffer, type CaptureRecord, type Packet, type Tcp } from '@pcap/decode';
import pc from 'picocolors';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineText } from '../format/printers.js';
import { REPO } from '../test/run-cli.js';
import { DeferredSequence, fillHoles, HoleMaker } from './tcp-numbers.js';

const colors = pc.createColors(false);
const decoded = (file: string): Array<[CaptureRecord, Packet]> =>
  [...parseCapture(readFileSync(join(REPO, 'fixtures', file)))].map((r) => [r, decodePacket(r.data, r.linkType, { originalLength: r.originalLength })]);

/** What one thread prints: each line, a line of other text after every `every`-th packet. */
function oneThread(packets: Array<[CaptureRecord, Packet]>, extra: (i: number) => string | undefined): string {
  const text = lineText({ colors, tcpSequence: new TcpSequenceBases() });
  let out = '';
  packets.forEach(([r, p], i) => {
    out += `${text(r, p)}\n`;
    const x = extra(i);
    if (x !== undefined) out += `${x}\n`;
  });
  return out;
}

/** The same through holes: slices of `size` packets printed apart, then filled in order. */
async function throughHoles(packets: Array<[CaptureRecord, Packet]>, extra: (i: number) => string | undefined, size: number): Promise<{ text: string; holes: number }> {
  const counter = new TcpSequenceBases();
  const out = new TextBuffer(64);
  let holes = 0;
  for (let start = 0; start < packets.length; start += size) {
    // A fresh thread's state for every slice, as slices go to threads in turn.
    const deferred = new DeferredSequence();
    const maker = new HoleMaker(deferred);
    const text = lineText({ colors, tcpSequence: deferred });
    packets.slice(start, start + size).forEach(([r, p], k) => {
      maker.line(text(r, p));
      const x = extra(start + k);
      if (x !== undefined) maker.line(x);
    });
    const slice = maker.take();
    holes += slice.holes.holes.length / 8;
    await fillHoles(slice.output, slice.holes, counter, out, () => undefined);
  }
  return { text: new TextDecoder().decode(out.take()), holes };
}

describe('relative TCP numbers through holes', () => {
  const packets = decoded('http-keepalive.pcap');

  it('fill in to what one thread prints, for any slice size', async () => {
    const none = (): undefined => undefined;
    const expected = oneThread(packets, none);
    expect(expected).toMatch(/seq 1:\d+, ack 1,/);
    for (const size of [1, 2, 3, 7, packets.length]) {
      const got = await throughHoles(packets, none, size);
      expect(got.text, `slices of ${size}`).toBe(expected);
      expect(got.holes).toBeGreaterThan(packets.length / 2);
    }
  });

  it('land at the right bytes after text that is not ASCII', async () => {
    const extra = (i: number): string | undefined => (i % 3 === 0 ? `ssid "café ☕ 𝄞" ${i}` : undefined);
    const expected = oneThread(packets, extra);
    for (const size of [2, 5, packets.length]) expect((await throughHoles(packets, extra, size)).text).toBe(expected);
  });

  it('refuse a line whose numbers cannot be told apart, leaving it to the reading thread', () => {
    const deferred = new DeferredSequence();
    const maker = new HoleMaker(deferred);
    const [r, p] = packets.find(([, q]) => ((q.layer<Tcp>('tcp')?.flags ?? 0) & TcpFlags.ACK) !== 0)!;
    const text = lineText({ colors, tcpSequence: deferred })(r, p);
    expect(() => maker.line(`${text} \uFFFF`)).toThrow(/told apart/);
  });
});
