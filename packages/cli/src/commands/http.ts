import { formatEpoch } from '@pcap/decode';
import { HttpTracker, type HttpExchange, type HttpMessage } from '@pcap/http';
import { TcpTracker, type PacketTime } from '@pcap/tcp';
import { colorsFor } from '../colors.js';
import { endpoint } from '../format/endpoints.js';
import type { Io } from '../io.js';
import { LineWriter } from '../output.js';
import { checkInput, feedPackets, finishInput, type InputOptions } from '../packet-input.js';
import { clockTime } from '../time.js';

export interface HttpOptions extends InputOptions {
  json?: boolean;
}

const ms = (a: PacketTime | undefined, b: PacketTime | undefined): number | undefined =>
  a && b ? (b.seconds - a.seconds) * 1e3 + (b.nanoseconds - a.nanoseconds) / 1e6 : undefined;
const epoch = (t: PacketTime | undefined): string | null => (t ? formatEpoch(t.seconds, t.nanoseconds) : null);
const round3 = (n: number | undefined): number | null => (n === undefined ? null : Math.round(n * 1000) / 1000);

/** When an exchange began: its request, or its response when the request was not captured. */
function startOf(x: HttpExchange): PacketTime {
  const t = x.timing;
  return t.requestStart ?? t.responseStart ?? x.session.firstTime;
}

function messageJson(m: HttpMessage): Record<string, unknown> {
  return {
    version: m.version,
    headerBytes: m.headerBytes,
    bodySize: m.bodySize,
    contentLength: m.contentLength ?? null,
    framing: m.framing,
    missingBytes: m.missingBytes,
    incomplete: m.incomplete,
    headers: m.headers,
  };
}

/** One exchange as a JSON object with stable keys. */
function toJson(x: HttpExchange): string {
  const t = x.timing;
  const s = x.session;
  return JSON.stringify({
    stream: s.id,
    index: x.index,
    time: epoch(startOf(x)),
    client: endpoint(s, s.client),
    server: endpoint(s, s.server),
    method: x.method ?? null,
    host: x.host ?? null,
    url: x.url ?? null,
    status: x.status ?? null,
    reason: x.response?.reason ?? null,
    request: x.request ? messageJson(x.request) : null,
    response: x.response ? messageJson(x.response) : null,
    informational: x.informational.map((r) => r.status),
    timing: {
      requestStart: epoch(t.requestStart),
      requestEnd: epoch(t.requestEnd),
      responseStart: epoch(t.responseStart),
      responseEnd: epoch(t.responseEnd),
      waitMs: round3(ms(t.requestEnd, t.responseStart)),
      totalMs: round3(ms(t.requestStart, t.responseEnd)),
    },
    upgrade: x.upgrade ?? null,
    incomplete: x.incomplete,
  });
}

function duration(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 1000 ? `${(v / 1000).toFixed(3)} s` : `${v.toFixed(3)} ms`;
}

/** `TIME CLIENT METHOD HOST/URL -> STATUS REASON  req N B  resp N B  wait T  total T`. */
function toLine(x: HttpExchange, io: Io): string {
  const c = colorsFor(io.stdout as { isTTY?: boolean });
  const t = x.timing;
  const s = x.session;
  const start = startOf(x);
  const url = x.url ?? '';
  const target = url.startsWith('/') || url === '' ? `${x.host ?? endpoint(s, s.server)}${url}` : url;
  const status = x.response
    ? `${x.response.status >= 400 ? c.red(String(x.response.status)) : c.green(String(x.response.status))} ${x.response.reason}`.trimEnd()
    : c.yellow('(no response)');
  let line = `${c.dim(clockTime(start.seconds, start.nanoseconds))} ${endpoint(s, s.client)} ${c.bold(x.method ?? '?')} ${target} -> ${status}`;
  line += `  req ${x.request?.bodySize ?? 0} B  resp ${x.response?.bodySize ?? 0} B`;
  line += `  wait ${duration(ms(t.requestEnd, t.responseStart))}  total ${duration(ms(t.requestStart, t.responseEnd))}`;
  if (x.upgrade) line += `  (${x.upgrade.kind === 'connect' ? 'tunnel' : 'upgrade'}${x.upgrade.protocol ? `: ${x.upgrade.protocol}` : ''})`;
  if (x.incomplete) line += c.yellow('  (incomplete)');
  return line;
}

/**
 * `pcap http FILE|-i DEV`: one line (or JSON object) per HTTP request/response exchange.
 * From a file, in the order the exchanges began; live, as each one ends.
 */
export async function httpCommand(file: string | undefined, opts: HttpOptions, io: Io): Promise<void> {
  checkInput(file, opts);
  const tcp = new TcpTracker();
  // Bodies are only counted here, never shown: keep none of their bytes.
  const http = new HttpTracker(tcp, { maxBodyBytes: 0 });
  const out = new LineWriter(io.stdout);
  const format = (x: HttpExchange): string => (opts.json ? toJson(x) : toLine(x, io));
  const found: Array<{ start: PacketTime; stream: number; index: number; text: string }> = [];
  http.on('exchange', (x) => {
    if (file === undefined) {
      io.stdout.write(`${format(x)}\n`);
    } else {
      found.push({ start: startOf(x), stream: x.session.id, index: x.index, text: format(x) });
    }
  });
  const result = await feedPackets(file, opts, io, (rec) => tcp.addRecord(rec));
  tcp.end();
  found.sort((a, b) => a.start.seconds - b.start.seconds || a.start.nanoseconds - b.start.nanoseconds || a.stream - b.stream || a.index - b.index);
  for (const f of found) {
    const w = out.line(f.text);
    if (w) await w;
  }
  await out.flush();
  finishInput(result, io);
}
