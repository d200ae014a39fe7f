/**
 * The holes a printing thread leaves for relative TCP numbers, filled by the reading thread,
 * give exactly the text one thread prints: whatever the slices, with text that is not ASCII
 * before a hole (where characters and bytes part ways), and when a layer above TCP speaks
 * for a packet whose numbers still count.
 */
import { defaultRegistry, HeaderLayer, parseCapture, TcpFlags, TcpSequenceBases, TextBuffer, type CaptureRecord, type Protocol, type Tcp } from '@pcap/decode';
import pc from 'picocolors';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linePrinter } from '../format/printers.js';
import { decodeRecord as tree } from '../records.js';
import { REPO } from '../test/run-cli.js';
import { DeferredSequence, fillHoles } from './tcp-numbers.js';

const colors = pc.createColors(false);
const decoded = (file: string): CaptureRecord[] => [...parseCapture(readFileSync(join(REPO, 'fixtures', file)))];

type Extra = (i: number) => string | undefined;

/** What one thread prints: each packet's line, and after some packets a line of other text. */
function oneThread(packets: CaptureRecord[], extra: Extra): string {
  const print = linePrinter({ colors, tcpSequence: new TcpSequenceBases() });
  const out = new TextBuffer(64);
  packets.forEach((r, i) => {
    print(r, out);
    const x = extra(i);
    if (x !== undefined) out.line(x);
  });
  return new TextDecoder().decode(out.take());
}

/** The same through holes: slices of `size` packets printed apart, then filled in order. */
async function throughHoles(packets: CaptureRecord[], extra: Extra, size: number, Counter: typeof DeferredSequence = DeferredSequence): Promise<{ text: string; holes: number }> {
  const counter = new TcpSequenceBases();
  const out = new TextBuffer(64);
  let holes = 0;
  for (let start = 0; start < packets.length; start += size) {
    // A fresh thread's state for every slice, as slices go to threads in turn.
    const slice = new TextBuffer(64);
    const deferred = new Counter(slice);
    const print = linePrinter({ colors, tcpSequence: deferred });
    packets.slice(start, start + size).forEach((r, k) => {
      print(r, slice);
      const x = extra(start + k);
      if (x !== undefined) slice.line(x);
    });
    const found = deferred.take();
    holes += found.holes.length / 9;
    await fillHoles(slice.contents().slice(), found, counter, out, () => undefined);
  }
  return { text: new TextDecoder().decode(out.take()), holes };
}

const none = (): undefined => undefined;

describe('relative TCP numbers through holes', () => {
  const packets = decoded('http-keepalive.pcap');

  it('fill in to what one thread prints, for any slice size', async () => {
    const expected = oneThread(packets, none);
    expect(expected).toMatch(/seq 1:\d+, ack 1,/);
    const holes = new Map<number, number>();
    for (const size of [1, 2, 3, 7, packets.length]) {
      const got = await throughHoles(packets, none, size);
      expect(got.text, `slices of ${size}`).toBe(expected);
      holes.set(size, got.holes);
    }
    // Alone in its slice, every packet that counts leaves its numbers to the reading thread;
    // in one slice, the printing thread counts from each SYN itself and notes only the SYNs.
    const synAcks = packets.map(tree).filter((p) => (p.layer<Tcp>('tcp')?.flags ?? 0) & TcpFlags.SYN && p.layer<Tcp>('tcp')!.flags & TcpFlags.ACK).length;
    expect(synAcks).toBeGreaterThan(0);
    expect(holes.get(1)).toBeGreaterThan(packets.length / 2);
    expect(holes.get(packets.length)).toBe(synAcks);
  });

  it('keep conversations apart whose hashes are the same', async () => {
    // Every conversation of several TCP sessions given one hash: only the keys tell them apart.
    class Colliding extends DeferredSequence {
      protected override locatedHash(): number {
        return 7;
      }
    }
    const sessions = decoded('tcp-reassembly.pcap');
    const expected = oneThread(sessions, none);
    expect(new Set(expected.match(/ > [\d.]+\.\d+:/g)).size).toBeGreaterThan(4);
    for (const size of [3, sessions.length]) expect((await throughHoles(sessions, none, size, Colliding)).text, `slices of ${size}`).toBe(expected);
  });

  it('land at the right bytes after text that is not ASCII', async () => {
    const extra = (i: number): string | undefined => (i % 3 === 0 ? `ssid "café ☕ 𝄞" ${i}` : undefined);
    const expected = oneThread(packets, extra);
    for (const size of [2, 5, packets.length]) expect((await throughHoles(packets, extra, size)).text).toBe(expected);
  });

  it('count a segment whose line a protocol above TCP speaks, without printing its numbers', async () => {
    // A protocol on the web port that speaks for every segment with data: its lines carry no
    // TCP numbers, yet the first of them starts its conversation's count.
    class Note extends HeaderLayer {
      readonly protocol = 'note';
      constructor(bytes: Uint8Array, offset: number, end: number) {
        super(bytes, offset, end, end);
      }
    }
    const note: Protocol<Note> = { name: 'note', decode: (bytes, offset, end) => new Note(bytes, offset, end), summary: () => 'NOTE' };
    defaultRegistry().register('tcp.port', 80, note);
    // Without the handshake, a segment with data is the first of its conversation.
    const all = decoded('http-keepalive.pcap');
    const packets = all.slice(all.findIndex((r) => tree(r).layer('note') !== undefined));
    const expected = oneThread(packets, none);
    expect(expected.split('\n')[0]).toMatch(/ NOTE$/);
    // The first line TCP speaks for counts from that segment: its numbers are relative.
    const firstAck = expected.split('\n').find((l) => l.includes('Flags [.]'));
    expect(firstAck).toMatch(/, ack \d{1,4}, /);
    for (const size of [1, 3, packets.length]) expect((await throughHoles(packets, none, size)).text, `slices of ${size}`).toBe(expected);
    expect(tree(packets[0]!).layer<Tcp>('tcp')!.flags & TcpFlags.ACK).toBeTruthy();
  });
});
