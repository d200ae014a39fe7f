/**
 * Reassembly throughput: `pnpm --filter @pcap/tcp bench [FILE] [--packets N]`.
 *
 * With a capture file, reads it; without one, builds an in-memory capture of N packets
 * (default 1,000,000): 2,000 concurrent connections with handshakes, data both ways,
 * 1% of segments swapped out of order, 0.5% retransmitted, and FINs. Prints capture MB/s,
 * packets/s and reassembled MB/s for reading + decoding alone and with the tracker, and
 * the tracker's share. A report, not a test: there is no pass/fail.
 */
import { readFileSync } from 'node:fs';
import { decodePacket, readCapture } from '@pcap/decode';
import { TcpTracker } from '../src/index.js';
import { F, fastFrame, pcapFile } from '../src/test/packets.js';

interface Pass {
  seconds: number;
  packets: number;
  bytes: number;
  streamBytes: number;
}

async function pass(capture: Uint8Array, track: boolean): Promise<Pass> {
  const tracker = new TcpTracker();
  let streamBytes = 0;
  if (track) tracker.on('data', (_s, d) => (streamBytes += d.bytes.length));
  let packets = 0;
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for await (const rec of readCapture(capture)) {
    packets++;
    bytes += rec.capturedLength;
    if (track) tracker.addRecord(rec);
    else decodePacket(rec.data, rec.linkType);
  }
  tracker.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, packets, bytes, streamBytes };
}

/** A synthetic capture of about `n` packets. */
function synthesize(n: number): Uint8Array {
  const CONNS = 2000;
  const payload = new Uint8Array(512).map((_, i) => (i * 31) & 0xff);
  const frames: Array<{ bytes: Uint8Array; time: { seconds: number; nanoseconds: number } }> = [];
  const server = 0xc0000201;
  const state = Array.from({ length: CONNS }, (_, i) => ({ c: 0x0a000000 + i + 1, port: 20000 + i, cseq: 1000 + i * 7919, sseq: 900000 + i * 104729, sent: 0, open: false }));
  let t = 0;
  let rnd = 12345;
  const rand = () => ((rnd = (rnd * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const push = (bytes: Uint8Array) => {
    t += 2000;
    frames.push({ bytes, time: { seconds: 1_700_000_000 + Math.floor(t / 1e9), nanoseconds: t % 1e9 } });
  };
  let held: Uint8Array | undefined;
  for (let k = 0; frames.length < n; k++) {
    const s = state[k % CONNS]!;
    if (!s.open) {
      push(fastFrame(s.c, server, s.port, 80, s.cseq, 0, F.SYN));
      push(fastFrame(server, s.c, 80, s.port, s.sseq, s.cseq + 1, F.SYN | F.ACK));
      s.cseq++;
      s.sseq++;
      push(fastFrame(s.c, server, s.port, 80, s.cseq, s.sseq, F.ACK));
      s.open = true;
      continue;
    }
    if (s.sent >= 200) {
      push(fastFrame(s.c, server, s.port, 80, s.cseq, s.sseq, F.FIN | F.ACK));
      push(fastFrame(server, s.c, 80, s.port, s.sseq, s.cseq + 1, F.FIN | F.ACK));
      push(fastFrame(s.c, server, s.port, 80, s.cseq + 1, s.sseq + 1, F.ACK));
      s.cseq += 1000;
      s.sseq += 1000;
      s.sent = 0;
      s.open = false;
      s.port = s.port >= 60000 ? 20000 : s.port + CONNS;
      continue;
    }
    const fromServer = s.sent % 4 !== 0;
    const seg = fromServer
      ? fastFrame(server, s.c, 80, s.port, s.sseq, s.cseq, F.ACK | F.PSH, payload)
      : fastFrame(s.c, server, s.port, 80, s.cseq, s.sseq, F.ACK | F.PSH, payload);
    if (fromServer) s.sseq = (s.sseq + payload.length) >>> 0;
    else s.cseq = (s.cseq + payload.length) >>> 0;
    s.sent++;
    const r = rand();
    if (r < 0.01 && !held) {
      held = seg; // sent after the next packet: out of order
      continue;
    }
    push(seg);
    if (held) {
      push(held);
      held = undefined;
    }
    if (r > 0.995) push(seg); // retransmission
    if (fromServer && s.sent % 2 === 0) push(fastFrame(s.c, server, s.port, 80, s.cseq, s.sseq, F.ACK));
  }
  return pcapFile(frames);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--packets');
const capture = file ? new Uint8Array(readFileSync(file)) : synthesize(Number(arg('--packets') ?? 1_000_000));
const label = file ?? `synthetic capture (${capture.length} bytes)`;

const mb = (b: number, s: number) => (b / 1e6 / s).toFixed(1);
const rate = (p: number, s: number) => Math.round(p / s).toLocaleString('en-US');

console.log(`reassembly throughput: ${label}`);
await pass(capture, true); // warm-up
const base = await pass(capture, false);
const full = await pass(capture, true);
console.log(`  read + decode:          ${base.seconds.toFixed(3)} s  ${mb(base.bytes, base.seconds)} MB/s  ${rate(base.packets, base.seconds)} packets/s`);
console.log(
  `  read + decode + track:  ${full.seconds.toFixed(3)} s  ${mb(full.bytes, full.seconds)} MB/s  ${rate(full.packets, full.seconds)} packets/s  (${mb(full.streamBytes, full.seconds)} MB/s reassembled)`,
);
const own = Math.max(full.seconds - base.seconds, 1e-9);
console.log(`  tracker alone (difference): ${mb(full.bytes, own)} MB/s  ${rate(full.packets, own)} packets/s`);
console.log(`  ${full.packets} packets, ${full.bytes} captured bytes, ${full.streamBytes} stream bytes delivered`);
