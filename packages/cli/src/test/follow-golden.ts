import { existsSync, readFileSync } from 'node:fs';

/** One stream as `tshark -q -z follow,tcp,raw,N` prints it. */
export interface GoldenStream {
  stream: number;
  /** Node 0 (sent the first packet) and node 1, `ADDRESS:PORT`. */
  nodes: [string, string];
  /** Each node's bytes in hex, without the missing-bytes records. */
  hex: [string, string];
  /** Each node's missing-bytes records as {offset, size}, offsets counting earlier gaps. */
  gaps: [Array<{ offset: number; size: number }>, Array<{ offset: number; size: number }>];
}

const MISSING = /^\[(\d+) bytes missing in capture file\]\0?$/;

/** Parses one `N.txt` of a fixtures `NAME.follow` directory. */
export function parseFollow(text: string): GoldenStream | undefined {
  let g: GoldenStream | undefined;
  const at = [0, 0];
  for (const line of text.split('\n')) {
    const f = /^Filter: tcp\.stream eq (\d+)/.exec(line);
    if (f) {
      g = { stream: Number(f[1]), nodes: ['', ''], hex: ['', ''], gaps: [[], []] };
      continue;
    }
    if (!g || line.startsWith('=====') || line.startsWith('Follow:') || line.trim() === '') continue;
    const n = /^Node ([01]): (.*)$/.exec(line);
    if (n) {
      g.nodes[Number(n[1]) as 0 | 1] = n[2]!;
      continue;
    }
    const node = line.startsWith('\t') ? 1 : 0;
    const bytes = Buffer.from(line.trim(), 'hex');
    const m = MISSING.exec(bytes.toString('latin1'));
    if (m) {
      g.gaps[node].push({ offset: at[node]!, size: Number(m[1]) });
      at[node]! += Number(m[1]);
    } else {
      g.hex[node] += line.trim();
      at[node]! += bytes.length;
    }
  }
  return g;
}

/** Every `N.txt` of `dir`, in stream order. */
export function goldenStreams(dir: string): GoldenStream[] {
  const out: GoldenStream[] = [];
  for (let i = 0; existsSync(`${dir}/${i}.txt`); i++) {
    const g = parseFollow(readFileSync(`${dir}/${i}.txt`, 'utf8'));
    if (g) out.push(g);
  }
  return out;
}
