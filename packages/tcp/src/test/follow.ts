import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CaptureFileError, readCapture } from '@pcap/decode';
import type { GapReason } from '../reassembler.js';
import type { Endpoint, TcpSession } from '../session.js';
import { TcpTracker, type TcpTrackerOptions } from '../tracker.js';

/** One stream as `tshark -q -z follow,tcp,raw,N` prints it. */
export interface FollowStream {
  stream: number;
  /** `addr:port` of node 0 and node 1 (IPv6 in brackets). */
  nodes: [string, string];
  /** Bytes each node sent, without the "[N bytes missing in capture file]" records. */
  bytes: [Uint8Array, Uint8Array];
  /** Sizes of those missing-bytes records, per node. */
  missing: [number[], number[]];
}

const MISSING = /^\[(\d+) bytes missing in capture file\]\0?$/;

/** Parses one or more follow blocks. */
export function parseFollow(text: string): FollowStream[] {
  const out: FollowStream[] = [];
  let cur: { stream: number; nodes: [string, string]; parts: [Buffer[], Buffer[]]; missing: [number[], number[]] } | undefined;
  const finish = () => {
    if (cur) out.push({ stream: cur.stream, nodes: cur.nodes, bytes: [Buffer.concat(cur.parts[0]), Buffer.concat(cur.parts[1])], missing: cur.missing });
    cur = undefined;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('=====')) {
      finish();
      continue;
    }
    const f = /^Filter: tcp\.stream eq (\d+)/.exec(line);
    if (f) {
      cur = { stream: Number(f[1]), nodes: ['', ''], parts: [[], []], missing: [[], []] };
      continue;
    }
    if (!cur) continue;
    const n = /^Node ([01]): (.*)$/.exec(line);
    if (n) {
      cur.nodes[Number(n[1])] = n[2]!;
      continue;
    }
    if (line.startsWith('Follow:') || line.trim() === '') continue;
    const node = line.startsWith('\t') ? 1 : 0;
    const bytes = Buffer.from(line.trim(), 'hex');
    const m = MISSING.exec(bytes.toString('latin1'));
    if (m) cur.missing[node].push(Number(m[1]));
    else cur.parts[node].push(bytes);
  }
  finish();
  return out;
}

/** True when tshark can be run. */
export function haveTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** tshark's follow output for streams 0 … count (one past the last, to check the count). */
export function tsharkFollow(file: string, count: number): FollowStream[] {
  const args = ['-n', '-r', file, '-q'];
  for (let i = 0; i <= count; i++) args.push('-z', `follow,tcp,raw,${i}`);
  const text = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
  return parseFollow(text);
}

/** Reads follow goldens stored as `DIR/N.txt`. */
export function storedFollow(dir: string): FollowStream[] {
  const out: FollowStream[] = [];
  for (let i = 0; existsSync(`${dir}/${i}.txt`); i++) out.push(...parseFollow(readFileSync(`${dir}/${i}.txt`, 'utf8')));
  return out;
}

export type Part = { data: Uint8Array } | { gap: number; reason: GapReason };

/** What the tracker made of one stream. */
export interface TrackedStream {
  id: number;
  client: string;
  server: string;
  parts: { client: Part[]; server: Part[] };
}

function ep(s: TcpSession, e: Endpoint): string {
  return s.family === 6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/**
 * Runs a capture file through a tracker. Returns the streams, or a reason the file
 * cannot be read (a format the reader does not handle yet).
 */
export async function trackFile(file: string, options: TcpTrackerOptions = {}): Promise<TrackedStream[] | string> {
  const tracker = new TcpTracker(options);
  const streams = new Map<TcpSession, TrackedStream>();
  tracker.on('session', (s) => streams.set(s, { id: s.id, client: ep(s, s.client), server: ep(s, s.server), parts: { client: [], server: [] } }));
  tracker.on('data', (s, d) => streams.get(s)!.parts[d.side].push({ data: d.bytes.slice() }));
  tracker.on('gap', (s, g) => streams.get(s)!.parts[g.side].push({ gap: g.size, reason: g.reason }));
  try {
    for await (const rec of readCapture(file)) {
      tracker.addRecord(rec);
    }
  } catch (e) {
    if (e instanceof CaptureFileError && e.code !== 'TRUNCATED') return `${e.code}: ${e.message}`;
    if (!(e instanceof CaptureFileError)) throw e;
  }
  tracker.end();
  return [...streams.values()].sort((a, b) => a.id - b.id);
}

function concat(parts: Part[]): Uint8Array {
  return Buffer.concat(parts.flatMap((p) => ('data' in p ? [p.data] : [])));
}

/**
 * Differences between tracked streams and tshark's, as readable lines (none when equal).
 * Bytes must be equal; tshark never prints bytes held after a hole nobody acknowledged,
 * so ours may go on after a gap given up at close. Each missing-bytes record of tshark's
 * must be one of our gaps of the same size.
 */
export function compareStreams(ours: TrackedStream[], theirs: FollowStream[]): string[] {
  const problems: string[] = [];
  const real = theirs.filter((t) => t.nodes[0] !== ':0');
  if (real.length !== ours.length) problems.push(`tshark has ${real.length} streams, tracker ${ours.length}`);
  for (const t of real) {
    const o = ours.find((x) => x.id === t.stream);
    if (!o) {
      problems.push(`stream ${t.stream}: not tracked`);
      continue;
    }
    for (const node of [0, 1] as const) {
      const addr = t.nodes[node];
      const side = addr === o.client ? 'client' : addr === o.server ? 'server' : undefined;
      if (!side) {
        problems.push(`stream ${t.stream}: node ${node} ${addr} is neither ${o.client} nor ${o.server}`);
        continue;
      }
      const parts = o.parts[side];
      const mine = concat(parts);
      const want = t.bytes[node];
      if (!Buffer.from(mine).equals(Buffer.from(want))) {
        let i = 0;
        while (i < mine.length && i < want.length && mine[i] === want[i]) i++;
        // Allowed: ours continues past tshark's end only after a gap given up at close.
        let before = 0;
        let closeGapAt = -1;
        for (const p of parts) {
          if ('gap' in p && p.reason === 'close' && closeGapAt < 0) closeGapAt = before;
          if ('data' in p) before += p.data.length;
        }
        const prefixOk = i === want.length && closeGapAt >= 0 && closeGapAt <= want.length;
        if (!prefixOk) problems.push(`stream ${t.stream} ${side}: ${mine.length} bytes vs tshark ${want.length}, first difference at ${i}`);
      }
      const gaps = parts.flatMap((p) => ('gap' in p ? [p.gap] : []));
      for (const m of t.missing[node]) {
        const k = gaps.indexOf(m);
        if (k < 0) problems.push(`stream ${t.stream} ${side}: tshark reports ${m} bytes missing, tracker gaps are [${gaps.join(',')}]`);
        else gaps.splice(k, 1);
      }
    }
  }
  return problems;
}
