import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/native */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built ESM entry, which child processes and workers import. */
export const distEntry = join(packageRoot, 'dist', 'index.js');
export const distCjs = join(packageRoot, 'dist', 'index.cjs');

/** Why a test that needs the built package cannot run, or undefined. */
export function distMissing(): string | undefined {
  return existsSync(distEntry) ? undefined : `${distEntry} is missing: run \`pnpm --filter @pcap/native build\` first`;
}

export function tempDir(prefix = 'pcap-native-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (live captures in this process keep running). */
export function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A child that exits without reading stdin must not fail the test with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Runs an ES module source with node; `PCAP` is the path of the built package entry. */
export function runNode(source: string, options: { args?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number; prefix?: string[] } = {}): Promise<ChildResult> {
  const code = `const PCAP = ${JSON.stringify(distEntry)};\n${source}`;
  const nodeArgs = [...(options.args ?? []), '--input-type=module', '-e', code];
  const [cmd, ...pre] = options.prefix ?? [];
  return cmd ? run(cmd, [...pre, process.execPath, ...nodeArgs], options) : run(process.execPath, nodeArgs, options);
}

/** A minimal Ethernet/IPv4/UDP frame whose payload is `payload`. */
export function udpFrame(payload: Uint8Array, srcPort = 40000, dstPort = 40001): Uint8Array {
  const frame = new Uint8Array(14 + 20 + 8 + payload.length);
  const dv = new DataView(frame.buffer);
  frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  dv.setUint16(12, 0x0800);
  frame[14] = 0x45;
  dv.setUint16(16, 20 + 8 + payload.length);
  frame[22] = 64;
  frame[23] = 17;
  frame.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += dv.getUint16(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  dv.setUint16(24, ~sum & 0xffff);
  dv.setUint16(34, srcPort);
  dv.setUint16(36, dstPort);
  dv.setUint16(38, 8 + payload.length);
  frame.set(payload, 42);
  return frame;
}

/** A running child whose script prints a line "ready" once it is set up. */
export interface Started {
  ready: Promise<void>;
  done: Promise<ChildResult>;
  /** Writes a line to the child's stdin. */
  tell(line: string): void;
}

/** Like runNode, but resolves `ready` when the child prints a line "ready". */
export function startNode(source: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; prefix?: string[] } = {}): Started {
  const code = `const PCAP = ${JSON.stringify(distEntry)};\n${source}`;
  const nodeArgs = ['--input-type=module', '-e', code];
  const [cmd, ...pre] = options.prefix ?? [];
  const child = cmd
    ? spawn(cmd, [...pre, process.execPath, ...nodeArgs], { env: options.env ?? process.env })
    : spawn(process.execPath, nodeArgs, { env: options.env ?? process.env });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  let failReady: (e: Error) => void = () => {};
  const ready = new Promise<void>((res, rej) => {
    markReady = res;
    failReady = rej;
  });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (/^ready$/m.test(stdout)) markReady();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => {});
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      failReady(new Error(`child exited before ready (${code ?? signal}): ${stderr}`));
      resolve({ code, signal, stdout: stdout.replace(/^ready\n/m, ''), stderr });
    });
  });
  return { ready, done, tell: (line) => child.stdin.write(`${line}\n`) };
}

export const senderScript = join(packageRoot, 'src', 'test', 'udp-sender.mjs');

/** Runs the UDP generator (optionally inside a namespace) and returns how many it sent. */
export async function sendUdp(args: Record<string, string | number>, prefix: string[] = []): Promise<number> {
  const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const [cmd, ...pre] = prefix;
  const r = cmd
    ? await run(cmd, [...pre, process.execPath, senderScript, ...argv])
    : await run(process.execPath, [senderScript, ...argv]);
  if (r.code !== 0) throw new Error(`sender failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { sent: number }).sent;
}

/** Resolves when `check()` is true, polling every 10 ms, or after `ms`. */
export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

/** Sequence number the sender put in a captured Ethernet/IPv4/UDP frame, or -1. */
export function seqOf(frame: Uint8Array): number {
  if (frame.length < 42 + 9) return -1;
  const p = 42;
  if (String.fromCharCode(...frame.subarray(p, p + 5)) !== 'pcapn') return -1;
  return new DataView(frame.buffer, frame.byteOffset + p + 5, 4).getUint32(0);
}
