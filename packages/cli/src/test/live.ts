import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { BIN } from './run-cli.js';

/** A `pcap` process running in the background, as a user would start it from a shell. */
export interface Running {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `pattern` appears on the stream (rejects on exit or after `ms`). */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', ms?: number): Promise<void>;
  /** Exit status and signal. */
  exited: Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

export function startPcap(args: string[], options: { uid?: number } = {}): Running {
  const proc = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const poke = (): void => waiters.slice().forEach((w) => w());
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => ((out.stdout += d), poke()));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => ((out.stderr += d), poke()));
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (status, signal) => {
      resolve({ status, signal });
      poke();
    }),
  );
  return {
    proc,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor(pattern, stream = 'stderr', ms = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern} on ${stream}; stdout: ${out.stdout} stderr: ${out.stderr}`)), ms);
        const check = (): void => {
          if (pattern.test(out[stream])) done();
          else if (proc.exitCode !== null || proc.signalCode !== null) done(new Error(`pcap exited before ${pattern} appeared; stderr: ${out.stderr}`));
        };
        const done = (err?: Error): void => {
          clearTimeout(timer);
          const i = waiters.indexOf(check);
          if (i >= 0) waiters.splice(i, 1);
          if (err) reject(err);
          else resolve();
        };
        waiters.push(check);
        check();
      });
    },
  };
}

/** A UDP port nobody listens on, different on every run. */
export function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 40000);
}

/** Sends `count` UDP datagrams of `size` bytes to 127.0.0.1:`port`, one at a time. */
export async function sendUdp(port: number, count: number, size = 32): Promise<void> {
  const sock = createSocket('udp4');
  try {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve, reject) => sock.send(Buffer.alloc(size, 0x61 + (i % 26)), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    }
  } finally {
    sock.close();
  }
}

export const isRoot = process.getuid?.() === 0;
