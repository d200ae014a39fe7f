/**
 * Runs tshark and tcpdump on capture files for the tests, which compare what those tools read
 * with what ours reads. Not part of the public API.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { encoding: 'utf8' }).error === undefined;
}

/** Why a tool-backed test is skipped, or undefined when the tool is installed. */
export function missing(tool: 'tshark' | 'tcpdump'): string | undefined {
  return has(tool) ? undefined : `${tool} is not installed`;
}

let dir: string | undefined;

/** Writes `bytes` to a fresh temporary file and returns its path. */
export function tempFile(name: string, bytes: Uint8Array): string {
  dir ??= mkdtempSync(join(tmpdir(), 'pcap-decode-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Deletes the files `tempFile` wrote (call it in `afterAll`). */
export function removeTempFiles(): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

/** tshark's `-T fields` rows (one array per packet) and its stderr. */
export function tsharkFields(path: string, fields: readonly string[]): { rows: string[][]; stderr: string } {
  const r = spawnSync('tshark', ['-n', '-r', path, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  const rows = r.stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
  return { rows, stderr: r.stderr };
}

/** `tcpdump -r` output lines (with microsecond-or-nano time as tcpdump prints it), exit status and stderr. */
export function tcpdumpRead(path: string, extra: readonly string[] = []): { lines: string[]; status: number | null; stderr: string } {
  const r = spawnSync('tcpdump', ['-n', '-tt', '-r', path, ...extra], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } });
  return { lines: r.stdout.split('\n').filter((l) => l.length > 0), status: r.status, stderr: r.stderr };
}
