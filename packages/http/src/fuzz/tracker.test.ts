import { existsSync, readFileSync } from 'node:fs';
import { applyMutations, captureFiles, fuzz, mutations, runsFor, SEED_DIRS, STALL_MS, timeoutFor, Watchdog } from '@pcap/fuzz';
import { parseCapture } from '@pcap/decode';
import { TcpTracker, type Side } from '@pcap/tcp';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { looksLike } from '../parser.js';
import { Wire } from '../test/wire.js';

// Never crash, HTTP: request and response byte streams (from the fixture and corpus
// captures, reassembled, and hand-made ones covering every framing) mutated, split at
// arbitrary points, interleaved, cut by gaps and ended by FINs or not, through HttpTracker
// with small and default limits: no exception, output bounded by the bytes fed, no hang.

const FILE = 'packages/http/src/fuzz/tracker.test.ts';

/** Longest stream taken from a capture. */
const MAX_STREAM = 12 * 1024;

interface Stream {
  readonly origin: string;
  readonly bytes: Uint8Array;
}

const HAND_MADE: Array<[request: string, response: string]> = [
  ['GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'],
  ['POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n'],
  ['HEAD / HTTP/1.0\r\n\r\nGET /a HTTP/1.1\r\n\r\n', 'HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n'],
  ['GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi'],
  ['CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n\x16\x03\x01', 'HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03'],
  ['GET /x HTTP/1.1\r\nFolded: a\r\n b\r\n\r\n', 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until the end'],
  ['PUT /u HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 400 Bad\r\nContent-Length: 99999999999999\r\n\r\nx'],
];

/** Both directions of every connection in the captures that starts like HTTP. */
function streams(): { requests: Stream[]; responses: Stream[] } {
  const requests: Stream[] = HAND_MADE.map(([q], i) => ({ origin: `hand-made #${i}`, bytes: Buffer.from(q, 'latin1') }));
  const responses: Stream[] = HAND_MADE.map(([, r], i) => ({ origin: `hand-made #${i}`, bytes: Buffer.from(r, 'latin1') }));
  for (const dir of SEED_DIRS) {
    if (!existsSync(dir)) console.log(`fuzz: no captures in ${dir} (absent); using the others and the hand-made streams`);
    for (const path of captureFiles(dir)) {
      const tcp = new TcpTracker();
      const got = new Map<number, Record<Side, number[]>>();
      tcp.on('data', (s, d) => {
        let g = got.get(s.id);
        if (!g) got.set(s.id, (g = { client: [], server: [] }));
        const into = g[d.side];
        for (let i = 0; i < d.bytes.length && into.length < MAX_STREAM; i++) into.push(d.bytes[i]!);
      });
      try {
        for (const r of parseCapture(new Uint8Array(readFileSync(path)))) tcp.addRecord(r);
      } catch {
        // A damaged capture still gives its whole packets.
      }
      tcp.end();
      for (const [id, g] of got) {
        const q = Uint8Array.from(g.client);
        const r = Uint8Array.from(g.server);
        if (!looksLike(q, 'request') && !looksLike(r, 'response')) continue;
        if (q.length) requests.push({ origin: `${path} stream ${id} client`, bytes: q });
        if (r.length) responses.push({ origin: `${path} stream ${id} server`, bytes: r });
      }
    }
  }
  return { requests, responses };
}

const { requests, responses } = streams();
const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

/** A stream, mutated or not, cut at up to 12 points. */
function pieces(seeds: readonly Stream[]) {
  return fc.record({ seed: fc.nat(seeds.length - 1), mutate: fc.option(mutations, { freq: 4, nil: undefined }), cuts: fc.array(fc.nat(), { maxLength: 12 }) }).map(({ seed, mutate, cuts }) => {
    const s = seeds[seed]!;
    const bytes = mutate ? applyMutations(s.bytes, mutate, [], MAX_STREAM + 256) : s.bytes;
    const at = [...new Set([0, bytes.length, ...cuts.map((c) => c % (bytes.length + 1))])].sort((a, b) => a - b);
    const parts: Uint8Array[] = [];
    for (let i = 1; i < at.length; i++) parts.push(bytes.subarray(at[i - 1]!, at[i]!));
    return { origin: `${s.origin}${mutate ? ` mutated ${JSON.stringify(mutate)}` : ''}`, bytes, parts };
  });
}

type Step = { side: Side; part: Uint8Array } | { side: Side; gap: number } | { side: Side; fin: true };

/** Two directions interleaved, with gaps and FINs, under some limits. */
class Conversation {
  constructor(
    readonly client: { origin: string; bytes: Uint8Array },
    readonly server: { origin: string; bytes: Uint8Array },
    readonly steps: Step[],
    readonly limits: { maxHeaderBytes: number; maxBodyBytes: number },
    readonly port: number,
    readonly closed: boolean,
  ) {}

  [fc.toStringMethod](): string {
    const steps = this.steps.map((s) => ('part' in s ? `${s.side} ${Buffer.from(s.part).toString('hex')}` : 'gap' in s ? `${s.side} gap ${s.gap}` : `${s.side} FIN`));
    return `client ${this.client.origin}, server ${this.server.origin}, limits ${JSON.stringify(this.limits)}, port ${this.port}${this.closed ? ', closed' : ''}:\n  ${steps.join('\n  ')}`;
  }
}

const conversation = fc
  .record({
    client: pieces(requests),
    server: pieces(responses),
    order: fc.array(fc.boolean(), { maxLength: 40 }),
    gaps: fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.oneof(fc.integer({ min: 1, max: 64 }), fc.nat(1 << 20))), { maxLength: 3 }),
    fins: fc.tuple(fc.boolean(), fc.boolean()),
    closed: fc.boolean(),
    limits: fc.oneof(fc.constant({ maxHeaderBytes: 65536, maxBodyBytes: 1 << 20 }), fc.record({ maxHeaderBytes: fc.integer({ min: 1, max: 512 }), maxBodyBytes: fc.nat(256) })),
    port: fc.constantFrom(80, 8080, 12345),
  })
  .map((r) => {
    const steps: Step[] = [];
    let c = 0;
    let s = 0;
    for (let k = 0; c < r.client.parts.length || s < r.server.parts.length; k++) {
      const clientFirst = r.order[k] ?? k % 2 === 0;
      if ((clientFirst && c < r.client.parts.length) || s >= r.server.parts.length) steps.push({ side: 'client', part: r.client.parts[c++]! });
      else steps.push({ side: 'server', part: r.server.parts[s++]! });
    }
    for (const [at, client, size] of r.gaps) steps.splice(at % (steps.length + 1), 0, { side: client ? 'client' : 'server', gap: size });
    if (r.fins[0]) steps.push({ side: 'client', fin: true });
    if (r.fins[1]) steps.push({ side: 'server', fin: true });
    return new Conversation(r.client, r.server, steps, r.limits, r.port, r.closed);
  });

describe('never crash: HTTP', () => {
  it('has request and response streams to start from', () => {
    expect(requests.length).toBeGreaterThan(HAND_MADE.length);
    expect(responses.length).toBeGreaterThan(HAND_MADE.length);
  });

  const runs = runsFor(0.5);
  const name = `parses ${runs} generated conversations within bounds`;
  it(
    name,
    () => {
      let exchanges = 0;
      fuzz({ name, file: FILE, arbitrary: conversation, runs, watch: (x) => ({ bytes: x.client.bytes, tag: x.steps.length }) }, watchdog, (x) => {
        const wire = new Wire(x.limits, { client: 40000, server: x.port });
        let fed = 0;
        let skipped = 0;
        wire.http.on('skipped', (_s, _side, n) => void (skipped += n));
        let t = 0;
        for (const step of x.steps) {
          if ('part' in step) {
            fed += step.part.length;
            wire.send(step.side, step.part, t++);
          } else if ('gap' in step) wire.gap(step.side, step.gap, t++);
          else wire.fin(step.side, t++);
        }
        if (x.closed) wire.close(t);
        const problems: string[] = [];
        let body = 0;
        let heads = 0;
        for (const e of wire.exchanges) {
          for (const m of [e.request, e.response, ...e.informational]) {
            if (!m) continue;
            if (m.body.length > x.limits.maxBodyBytes) problems.push(`a body of ${m.body.length} bytes kept, the limit is ${x.limits.maxBodyBytes}`);
            body += m.body.length;
            heads += m.headerBytes;
            if (m.headers.length + m.trailers.length > fed) problems.push(`${m.headers.length} headers from ${fed} bytes`);
          }
        }
        if (body > fed) problems.push(`${body} body bytes kept from ${fed} bytes fed`);
        if (heads > fed) problems.push(`${heads} header bytes parsed from ${fed} bytes fed`);
        // The shortest message ("HTTP/1.1 200\n\n", "A / HTTP/1.1\n\n") takes 14 bytes.
        if (wire.exchanges.length > fed / 7 + 2) problems.push(`${wire.exchanges.length} exchanges from ${fed} bytes`);
        exchanges += wire.exchanges.length;
        if (problems.length) throw new Error(problems.slice(0, 3).join('; '));
      });
      console.log(`fuzz: HTTP: ${exchanges} exchanges from ${requests.length} request and ${responses.length} response streams`);
    },
    timeoutFor(runs),
  );
});
