import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `pcap` executable, run as a user would run it. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function pcap(args: string[], input?: Uint8Array, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ...env },
    maxBuffer: 256 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A classic little-endian microsecond pcap holding `packets` (link type `linkType`). */
export function pcapFile(packets: Array<{ data: Uint8Array; seconds: number; micros: number; orig?: number }>, linkType = 1): Uint8Array {
  const parts: Uint8Array[] = [];
  const hdr = new DataView(new ArrayBuffer(24));
  hdr.setUint32(0, 0xa1b2c3d4, true);
  hdr.setUint16(4, 2, true);
  hdr.setUint16(6, 4, true);
  hdr.setUint32(16, 65535, true);
  hdr.setUint32(20, linkType, true);
  parts.push(new Uint8Array(hdr.buffer));
  for (const p of packets) {
    const rh = new DataView(new ArrayBuffer(16));
    rh.setUint32(0, p.seconds, true);
    rh.setUint32(4, p.micros, true);
    rh.setUint32(8, p.data.length, true);
    rh.setUint32(12, p.orig ?? p.data.length, true);
    parts.push(new Uint8Array(rh.buffer), p.data);
  }
  return Buffer.concat(parts);
}

/** Writes `bytes` to a new file `name` in a fresh temporary directory and returns its path. */
export function tmpFile(name: string, bytes: Uint8Array | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcap-cli-'));
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Whether tcpdump is installed, for tests that compare with it. */
export const haveTcpdump = spawnSync('tcpdump', ['--version']).status === 0;

/** What `tcpdump -nn -r FILE [args]` prints, times in UTC. */
export function tcpdump(file: string, ...args: string[]): string {
  return spawnSync('tcpdump', ['-nn', '-r', file, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).stdout;
}
