import { TcpTracker, type GapReason, type Side, type TcpSession } from '@pcap/tcp';
import { colorsFor } from '../colors.js';
import type { Io } from '../io.js';
import { LineWriter } from '../output.js';
import { feedPackets, finishInput } from '../packet-input.js';
import { endpoint } from '../format/endpoints.js';

export interface FollowOptions {
  /** Only this stream (tshark's tcp.stream number). */
  stream?: number;
  json?: boolean;
  /** BPF filter applied while reading the file. */
  filter?: string;
}

type Chunk = { side: Side; bytes: Uint8Array[] } | { side: Side; gap: number; offset: number; reason: GapReason };

/** One reassembled connection, as followed. */
interface Followed {
  id: number;
  client: string;
  server: string;
  /** Data and gaps in the order they were delivered; adjacent data of one side merged. */
  chunks: Chunk[];
}

const DIRECTION: Record<Side, 'c2s' | 's2c'> = { client: 'c2s', server: 's2c' };

/** The `--json` object of a stream: each direction's bytes in hex, and the gaps in them. */
function toJson(f: Followed): string {
  const hex: Record<Side, string[]> = { client: [], server: [] };
  const gaps: Array<{ direction: 'c2s' | 's2c'; offset: number; size: number; reason: GapReason }> = [];
  for (const c of f.chunks) {
    if ('gap' in c) gaps.push({ direction: DIRECTION[c.side], offset: c.offset, size: c.gap, reason: c.reason });
    else for (const b of c.bytes) hex[c.side].push(Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex'));
  }
  return JSON.stringify({ stream: f.id, client: f.client, server: f.server, c2s: hex.client.join(''), s2c: hex.server.join(''), gaps });
}

/** Printable ASCII as is, line ends kept, every other byte as `.` (Wireshark's ASCII view). */
function printable(parts: Uint8Array[]): string {
  let out = '';
  for (const b of parts) {
    for (let i = 0; i < b.length; i++) {
      const x = b[i]!;
      if (x === 0x0d && b[i + 1] === 0x0a) continue;
      out += x === 0x0a || x === 0x09 || (x >= 0x20 && x < 0x7f) ? String.fromCharCode(x) : '.';
    }
  }
  return out;
}

/** Wireshark's Follow TCP Stream as text: client data as is, server data indented by a tab, gaps marked. */
function toText(f: Followed, io: Io): string {
  const c = colorsFor(io.stdout as { isTTY?: boolean });
  const sent: Record<Side, number> = { client: 0, server: 0 };
  for (const ch of f.chunks) if (!('gap' in ch)) for (const b of ch.bytes) sent[ch.side] += b.length;
  const lines = [
    c.dim('='.repeat(67)),
    `Stream ${f.id}: ${c.red(f.client)} (client, ${sent.client} bytes) <-> ${c.blue(f.server)} (server, ${sent.server} bytes)`,
    c.dim('='.repeat(67)),
  ];
  for (const ch of f.chunks) {
    const indent = ch.side === 'server' ? '\t' : '';
    const paint = ch.side === 'server' ? c.blue : c.red;
    if ('gap' in ch) {
      lines.push(`${indent}${c.yellow(`[${ch.gap} bytes missing in capture file]`)}`);
      continue;
    }
    let text = printable(ch.bytes);
    if (text.endsWith('\n')) text = text.slice(0, -1);
    for (const l of text.split('\n')) lines.push(`${indent}${paint(l)}`);
  }
  return lines.join('\n');
}

/**
 * `pcap follow FILE`: the reassembled data of each TCP connection, numbered in order of
 * first packet as tshark's tcp.stream, printed in that order.
 */
export async function followCommand(file: string, opts: FollowOptions, io: Io): Promise<void> {
  const tracker = new TcpTracker();
  const wanted = (s: TcpSession): boolean => opts.stream === undefined || s.id === opts.stream;
  const open = new Map<TcpSession, Followed>();
  const done = new Map<number, Followed>();
  const out = new LineWriter(io.stdout);
  let next = opts.stream ?? 0;
  let finished = false;
  let pending: Promise<void> | undefined;
  const emit = (f: Followed): void => {
    const w = out.line(opts.json ? toJson(f) : toText(f, io));
    if (w) pending = pending ? pending.then(() => w) : w;
  };
  // Streams are printed in number order: a stream that ends early waits for those before it.
  const release = (): void => {
    for (let f = done.get(next); f; f = done.get(next)) {
      done.delete(next);
      emit(f);
      next++;
      if (opts.stream !== undefined) finished = true;
    }
  };
  tracker.on('session', (s) => {
    if (wanted(s)) open.set(s, { id: s.id, client: endpoint(s, s.client), server: endpoint(s, s.server), chunks: [] });
  });
  tracker.on('data', (s, d) => {
    const f = open.get(s);
    if (!f) return;
    const last = f.chunks[f.chunks.length - 1];
    const copy = d.bytes.slice();
    if (last && !('gap' in last) && last.side === d.side) last.bytes.push(copy);
    else f.chunks.push({ side: d.side, bytes: [copy] });
  });
  tracker.on('gap', (s, g) => {
    open.get(s)?.chunks.push({ side: g.side, gap: g.size, offset: g.offset, reason: g.reason });
  });
  tracker.on('close', (s) => {
    const f = open.get(s);
    if (!f) return;
    open.delete(s);
    done.set(f.id, f);
    release();
  });
  const result = await feedPackets(file, { ...(opts.filter !== undefined ? { filter: opts.filter } : {}) }, io, (rec) => tracker.addRecord(rec), () => finished);
  tracker.end();
  // Anything still waiting goes out in number order.
  for (const id of [...done.keys()].sort((a, b) => a - b)) {
    emit(done.get(id)!);
    done.delete(id);
  }
  if (pending) await pending;
  await out.flush();
  finishInput(result, io);
}
