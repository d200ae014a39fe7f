import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './expected.js';

/** `pcap serve` running as a user starts it, with the page's address it printed. */
export interface ServeProcess {
  proc: ChildProcess;
  url: string;
  /** The page's address with `path` (and the token, if the URL carries one). */
  at(path: string): string;
  stderr(): string;
  /** Ctrl-C, then the exit status. */
  stop(): Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(args: string[], ms = 20_000): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('close', (status, signal) => resolve({ status, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pcap serve printed no URL in ${ms} ms; stderr: ${err}`)), ms);
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^(http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(({ status }) => {
      clearTimeout(timer);
      reject(new Error(`pcap serve exited (${status}) before printing its URL; stderr: ${err}`));
    });
  });
  const u = new URL(url);
  return {
    proc,
    url,
    at: (path: string) => `${u.origin}${path}${u.search ? `${path.includes('?') ? '&' : '?'}${u.search.slice(1)}` : ''}`,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGINT');
      return exited;
    },
  };
}
