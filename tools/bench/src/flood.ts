/**
 * Live capture under a UDP flood on loopback: our capture and tcpdump listen to the same
 * flood (same kernel buffer, same mode) while a bounded sender in another process sends for
 * a fixed time; we report each one's captured share and our event loop's timer lag.
 * Loopback only; needs root (or CAP_NET_RAW).
 */
import { openLive } from '@pcap/native';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';

export interface FloodResult {
  mode: 'immediate' | 'timeout 100 ms';
  sent: number;
  ours: number;
  tcpdump: number | undefined;
  lagP50Ms: number;
  lagP99Ms: number;
  drop: number;
}

const BUFFER = 32 << 20;
const SECONDS = 2;

/** Sends 64-byte datagrams to 127.0.0.1:port for `seconds`, in bursts that await the socket. */
export async function sendFlood(port: number, seconds: number): Promise<number> {
  const socket = dgram.createSocket('udp4');
  const payload = Buffer.alloc(64);
  const send = (): Promise<void> => new Promise((resolve, reject) => socket.send(payload, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  let sent = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const burst: Array<Promise<void>> = [];
    for (let i = 0; i < 64; i++) burst.push(send());
    await Promise.all(burst);
    sent += 64;
  }
  socket.close();
  return sent;
}

/** Runs in the measuring child: our capture and a 5 ms timer in this process, the sender in another. */
export async function floodRound(immediate: boolean, port: number, sender: string): Promise<FloodResult> {
  const filter = `udp dst port ${port}`;
  const capture = openLive('lo', { immediate, timeout: 100, bufferSize: BUFFER, filter });
  let ours = 0;
  capture.on('batch', (b) => (ours += b.count));
  const args = ['-i', 'lo', '-B', String(BUFFER >> 10), '-w', '/dev/null', ...(immediate ? ['--immediate-mode'] : ['--buffer-size', String(BUFFER >> 10)]), filter];
  const tcpdump = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  tcpdump.stderr.on('data', (d: Buffer) => (err += d.toString()));
  tcpdump.on('error', () => undefined);
  const started = Date.now();
  while (!/listening on/.test(err) && Date.now() - started < 5000 && tcpdump.exitCode === null) await new Promise((r) => setTimeout(r, 20));

  const lags: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(now - last - 5);
    last = now;
  }, 5);
  const child = spawn(process.execPath, [sender, 'send-flood', String(port), String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.on('close', r));
  // Let both readers drain what the kernel still holds (a buffer timeout delivers within 100 ms).
  await new Promise((r) => setTimeout(r, 400));
  clearInterval(timer);
  const drop = capture.stats().drop;
  capture.close();
  const exited = new Promise((r) => tcpdump.on('close', r));
  tcpdump.kill('SIGINT');
  await exited;
  const tcpdumpCount = Number(/(\d+) packets? captured/.exec(err)?.[1] ?? NaN);
  lags.sort((a, b) => a - b);
  return {
    mode: immediate ? 'immediate' : 'timeout 100 ms',
    sent: Number(out.trim() || 0),
    ours,
    tcpdump: Number.isFinite(tcpdumpCount) ? tcpdumpCount : undefined,
    lagP50Ms: Math.round((lags[Math.floor(lags.length / 2)] ?? 0) * 100) / 100,
    lagP99Ms: Math.round((lags[Math.floor(lags.length * 0.99)] ?? 0) * 100) / 100,
    drop,
  };
}
