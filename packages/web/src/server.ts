import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createAdaptorServer } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AggregatorOptions } from './aggregator.js';
import { loadAssets } from './assets.js';
import type { WorkerConfig } from './capture-worker.js';
import { Latest } from './latest.js';
import type { FromWorker, PacketDetail, Snapshot, SourceView, ToWorker } from './snapshot.js';
import type { ServeSource } from './source.js';

/** How `startServer` captures and serves. */
export interface ServeOptions {
  /** A live device or a capture file to replay. */
  source: ServeSource;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1 (this machine only). */
  host?: string;
  /** When set, every request must carry it: `?token=...`, `Authorization: Bearer ...` or `X-Pcap-Token`. */
  token?: string;
  /** Milliseconds between updates of the page (at most one snapshot each); default 300, at least 100. */
  interval?: number;
  /** What the tables and lists keep (see `AggregatorOptions`). */
  limits?: AggregatorOptions;
}

/** A running `pcap serve`. */
export interface TrafficServer {
  /** The page's address, with the token when there is one. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** What is captured, as the page shows it. */
  readonly source: SourceView;
  /** The newest snapshot, once the worker has sent one. */
  latest(): Snapshot | undefined;
  /** Stops the capture, ends the worker and closes the server. Safe to call twice. */
  close(): Promise<void>;
}

/** The server could not start: the capture could not be opened, or the port could not be bound. */
export class ServeError extends Error {
  override readonly name = 'ServeError';
  constructor(
    message: string,
    /** libpcap's error code when the capture could not be opened (`BAD_FILTER`, `EPERM`, `ENODEV`, ...), or `EADDRINUSE`. */
    readonly code?: string,
  ) {
    super(message);
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function sameSecret(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function hostOf(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(1, header.indexOf(']'));
  const i = header.lastIndexOf(':');
  return i >= 0 ? header.slice(0, i) : header;
}

/** Starts the capture worker and waits until it has opened the source (or says why it cannot). */
function startWorker(config: WorkerConfig): Promise<{ worker: Worker; source: SourceView }> {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: config });
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromWorker): void => {
      if (m.type === 'ready') {
        cleanup();
        resolve({ worker, source: m.source });
      } else if (m.type === 'fatal') {
        cleanup();
        void worker.terminate();
        reject(new ServeError(m.error, m.code));
      }
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new ServeError(`the capture worker exited (${code}) before it started`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * Captures (or replays a file) in a worker thread and serves a page that shows the traffic
 * live: rates, protocols, talkers, conversations, TCP sessions, an HTTP timeline and the
 * newest packets. The page gets aggregated snapshots as Server-Sent Events, a few per
 * second whatever the packet rate.
 *
 * ```ts
 * const server = await startServer({ source: { kind: 'file', path: 'trace.pcap', speed: 'max' } });
 * console.log(server.url);
 * ```
 */
export async function startServer(options: ServeOptions): Promise<TrafficServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token || undefined;
  const interval = Math.max(100, options.interval ?? 300);
  const assets = loadAssets();
  const config: WorkerConfig = { source: options.source, interval };
  if (options.limits) config.limits = options.limits;
  const { worker, source } = await startWorker(config);

  const latest = new Latest();
  let snapshot: Snapshot | undefined;
  let closing = false;
  let nextId = 0;
  const pending = new Map<number, (m: FromWorker) => void>();
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'snapshot') {
      snapshot = m.snapshot;
      latest.set(JSON.stringify(m.snapshot));
    } else if ((m.type === 'filter' || m.type === 'detail') && pending.has(m.id)) {
      pending.get(m.id)!(m);
      pending.delete(m.id);
    }
  });
  const workerGone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (e) => {
    if (snapshot) latest.set(JSON.stringify({ ...snapshot, state: 'failed', error: `capture worker failed: ${e.message}` }));
  });
  /** Sends a request to the worker and waits for its answer (or gives up after 10 s). */
  const ask = (make: (id: number) => ToWorker): Promise<FromWorker | undefined> => {
    const id = ++nextId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(undefined);
      }, 10_000);
      pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.postMessage(make(id));
    });
  };

  const app = new Hono();
  const loopbackOnly = LOOPBACK.test(host);
  app.use('*', async (c, next) => {
    // Bound to this machine, answer only requests addressed to it: a web page elsewhere
    // cannot then reach the API through a DNS name that resolves to 127.0.0.1.
    if (loopbackOnly && !LOOPBACK.test(hostOf(c.req.header('host')))) return c.text('forbidden host\n', 403);
    if (token) {
      const auth = c.req.header('authorization');
      const given = c.req.query('token') ?? c.req.header('x-pcap-token') ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
      if (!sameSecret(given, token)) return c.text('a valid token is required (?token=…)\n', 401);
    }
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    return undefined;
  });
  const file = (c: Context, name: string): Response => {
    const a = assets.get(name)!;
    return c.body(a.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': a.type, 'Cache-Control': 'no-cache' });
  };
  // The page asks for its script and stylesheet with the token too: every route requires it.
  const html = assets.get('index.html')!;
  const page = token ? new TextEncoder().encode(Buffer.from(html.body).toString('utf8').replace(/"(assets\/app\.(?:js|css))"/g, `"$1?token=${encodeURIComponent(token)}"`)) : html.body;
  app.get('/', (c) => c.body(page as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': html.type, 'Cache-Control': 'no-cache' }));
  app.get('/assets/app.js', (c) => file(c, 'app.js'));
  app.get('/assets/app.css', (c) => file(c, 'app.css'));
  app.get('/api/snapshot', (c) => (latest.json ? c.body(latest.json, 200, { 'Content-Type': 'application/json' }) : c.json({ error: 'no snapshot yet' }, 503)));
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let seen = 0;
      let aborted = false;
      let wakeAbort: () => void = () => {};
      const abort = new Promise<void>((resolve) => (wakeAbort = resolve));
      stream.onAbort(() => {
        aborted = true;
        wakeAbort();
      });
      while (!aborted && !closing) {
        if (latest.version > seen && latest.json) {
          seen = latest.version;
          await stream.writeSSE({ event: 'snapshot', data: latest.json, id: String(seen) });
        } else {
          await Promise.race([latest.changed(), abort]);
        }
      }
    }),
  );
  app.post('/api/filter', async (c) => {
    let filter: unknown;
    try {
      filter = ((await c.req.json()) as { filter?: unknown }).filter;
    } catch {
      return c.json({ ok: false, error: 'send {"filter": "…"} as JSON' }, 400);
    }
    if (typeof filter !== 'string' || filter.length > 4096) return c.json({ ok: false, error: 'filter must be a string (BPF, tcpdump syntax)' }, 400);
    const m = await ask((id) => ({ type: 'filter', id, filter }));
    if (!m || m.type !== 'filter') return c.json({ ok: false, error: 'the capture did not answer' }, 503);
    return m.ok ? c.json({ ok: true, filter: m.filter }) : c.json({ ok: false, error: m.error }, 400);
  });
  app.get('/api/packets/:number', async (c) => {
    const number = Number(c.req.param('number'));
    if (!Number.isInteger(number) || number < 1) return c.json({ error: 'packet numbers start at 1' }, 400);
    const m = await ask((id) => ({ type: 'detail', id, number }));
    const detail: PacketDetail | null | undefined = m?.type === 'detail' ? m.detail : undefined;
    if (!detail) return c.json({ error: `packet ${number} is no longer among the newest kept` }, 404);
    return c.json(detail);
  });

  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    await Promise.race([workerGone, new Promise((r) => setTimeout(r, 2000))]);
    await worker.terminate();
    const err = e as NodeJS.ErrnoException;
    throw new ServeError(err.code === 'EADDRINUSE' ? `port ${options.port} on ${host} is in use (--port 0 picks a free one)` : `cannot listen on ${host}:${options.port ?? 0}: ${err.message}`, err.code);
  }
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shown}:${addr.port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    host: addr.address,
    port: addr.port,
    source,
    latest: () => snapshot,
    close(): Promise<void> {
      closed ??= (async () => {
        closing = true;
        latest.wake();
        worker.postMessage({ type: 'stop' } satisfies ToWorker);
        // The worker ends once its capture is closed; a stuck one is terminated.
        const stuck = setTimeout(() => void worker.terminate(), 2000);
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([done, workerGone]);
        clearTimeout(stuck);
      })();
      return closed;
    },
  };
}
