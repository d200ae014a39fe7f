import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, and the built `pcap` command (the oracle for what the page must show). */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url));
export const fixture = (name: string): string => `${REPO}fixtures/${name}`;

function pcap(args: string[]): string {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (pnpm turbo run build --filter @pcap/cli)`);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`pcap ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0);

export interface ExpectedSession {
  stream: number;
  client: string;
  server: string;
  close: string;
  c2s: { packets: number; streamBytes: number; retransmissions: number };
  s2c: { packets: number; streamBytes: number; retransmissions: number };
}

export interface ExpectedExchange {
  stream: number;
  method: string | null;
  host: string | null;
  url: string | null;
  status: number | null;
}

/** What `pcap read`, `pcap tcp` and `pcap http` say about a file (with a BPF filter, if given). */
export function expectedFor(file: string, filter?: string): { packets: number; bytes: number; sessions: ExpectedSession[]; exchanges: ExpectedExchange[] } {
  const f = filter !== undefined ? ['-f', filter] : [];
  const lens = lines(pcap(['read', ...f, '--fields', 'frame.len', file])).map(Number);
  return {
    packets: lens.length,
    bytes: lens.reduce((a, b) => a + b, 0),
    sessions: lines(pcap(['tcp', '--json', ...f, file])).map((l) => JSON.parse(l) as ExpectedSession),
    exchanges: lines(pcap(['http', '--json', ...f, file])).map((l) => JSON.parse(l) as ExpectedExchange),
  };
}

/** `pcap stats --json`: protocol hierarchy and conversations. */
export function statsFor(file: string): {
  packets: number;
  bytesOnWire: number;
  hierarchy: Array<{ path: string; packets: number; bytes: number }>;
  conversations: Array<{ kind: string; a: string; b: string; packets: number; bytes: number }>;
} {
  return JSON.parse(pcap(['stats', '--json', '--top', '1000', file]));
}
