import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcap, REPO, tmpFile } from './test/run-cli.js';

const fixtures = join(REPO, 'fixtures');
const cases = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => /^http-.*\.http\.tsv$/.test(f) && existsSync(join(fixtures, f.replace(/\.http\.tsv$/, '.pcap')))) : [];

/** Per TCP stream: requests as `METHOD URI`, response codes, Content-Length values of each. */
interface PerStream {
  requests: string[];
  requestLengths: string[];
  responses: string[];
  responseLengths: string[];
}

const empty = (): PerStream => ({ requests: [], requestLengths: [], responses: [], responseLengths: [] });

/**
 * tshark's view (fixtures/NAME.http.tsv): frame, tcp.stream, http.request.method,
 * http.request.uri, http.response.code, http.content_length; messages sharing a frame
 * are joined by ",".
 */
function expected(tsv: string): Record<number, PerStream> {
  const out: Record<number, PerStream> = {};
  for (const line of tsv.split('\n')) {
    if (!line.trim()) continue;
    const [, stream, methods, uris, codes, lengths] = line.split('\t');
    const e = (out[Number(stream)] ??= empty());
    const cl = lengths ? lengths.split(',') : [];
    if (methods) {
      const us = uris!.split(',');
      methods.split(',').forEach((m, i) => e.requests.push(`${m} ${us[i]}`));
      e.requestLengths.push(...cl);
    } else if (codes) {
      e.responses.push(...codes.split(','));
      e.responseLengths.push(...cl);
    }
  }
  return out;
}

interface Exchange {
  stream: number;
  index: number;
  method: string | null;
  url: string | null;
  status: number | null;
  informational: number[];
  request: { contentLength: number | null } | null;
  response: { contentLength: number | null } | null;
}

function actual(stdout: string): Record<number, PerStream> {
  const xs = stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Exchange)
    .sort((a, b) => a.stream - b.stream || a.index - b.index);
  const out: Record<number, PerStream> = {};
  for (const x of xs) {
    const e = (out[x.stream] ??= empty());
    if (x.method !== null) {
      e.requests.push(`${x.method} ${x.url}`);
      if (x.request?.contentLength != null) e.requestLengths.push(String(x.request.contentLength));
    }
    e.responses.push(...x.informational.map(String));
    if (x.status !== null) {
      e.responses.push(String(x.status));
      if (x.response?.contentLength != null) e.responseLengths.push(String(x.response.contentLength));
    }
  }
  return out;
}

describe('pcap http --json equals tshark http fields on fixtures/', () => {
  it('has fixtures with http goldens', () => expect(cases.length).toBeGreaterThan(0));
  for (const tsv of cases) {
    const file = join(fixtures, tsv.replace(/\.http\.tsv$/, '.pcap'));
    it(tsv.replace(/\.http\.tsv$/, '.pcap'), () => {
      const r = pcap(['http', '--json', file]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(actual(r.stdout)).toEqual(expected(readFileSync(join(fixtures, tsv), 'utf8')));
    });
  }
});

describe('pcap http', () => {
  const variants = join(fixtures, 'http-variants.pcap');

  it('prints one line per exchange in the order they began: time, client, method, host+URL, status, sizes, timings', () => {
    const r = pcap(['http', variants]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('03:04:05.004000 192.0.2.10:50001 GET www.example.test/ -> 200 OK  req 0 B  resp 506 B  wait 1.000 ms  total 1.000 ms');
    expect(lines[2]).toMatch(/^03:04:05\.010000 192\.0\.2\.10:50001 HEAD www\.example\.test\/download\/archive\.tar -> 200 OK  req 0 B  resp 0 B /);
    expect(lines[9]).toMatch(/ POST www\.example\.test\/api\/items\?src=test -> 201 Created  req 266 B  resp 9 B /);
    const times = lines.map((l) => l.slice(0, 15));
    expect([...times].sort()).toEqual(times);
  });

  it('gives timings in JSON: wait from request end to response start, total from request start to response end', () => {
    const r = pcap(['http', '--json', join(fixtures, 'http-keepalive.pcap')]);
    const xs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(xs).toHaveLength(8);
    for (const x of xs) {
      expect(x.timing.waitMs).toBeGreaterThanOrEqual(0);
      expect(x.timing.totalMs).toBeGreaterThanOrEqual(x.timing.waitMs);
      expect(Number(x.timing.requestStart)).toBeLessThanOrEqual(Number(x.timing.responseEnd));
    }
    expect(xs.find((x) => x.status === 404)).toMatchObject({ client: '198.51.100.2:46885', server: '198.51.100.1:80', method: 'GET', url: '/missing', host: '198.51.100.1', reason: 'Not Found' });
  });

  it('keeps the exchanges before the damage of a truncated file, then one error line and status 1', () => {
    const whole = pcap(['http', '--json', variants]).stdout.trim().split('\n');
    const r = pcap(['http', '--json', join(fixtures, 'cut-mid-record.pcap')]);
    expect(r.status).toBe(1);
    const cut = r.stdout.trim().split('\n');
    expect(cut.length).toBeGreaterThanOrEqual(whole.length - 1);
    expect(cut.slice(0, 9)).toEqual(whole.slice(0, 9));
    expect(r.stderr).toMatch(/^pcap: .*cut-mid-record\.pcap: file ends inside packet/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('-f filters the packets with BPF before tracking', () => {
    const r = pcap(['http', '--json', '-f', 'host 192.0.2.13', variants]);
    expect(r.status).toBe(0);
    const xs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(xs.map((x) => `${x.method} ${x.status}`)).toEqual(['POST 201', 'DELETE 204', 'GET 200']);
  });

  it('needs a file or -i, not both and not neither', () => {
    let r = pcap(['http']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pcap: give a capture file (- for standard input) or -i DEVICE to capture live\n');
    r = pcap(['http', '-i', 'lo', variants]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pcap: give a capture file or -i DEVICE, not both\n');
  });

  it('rejects live-only options on a file', () => {
    const r = pcap(['http', '--snaplen', '100', '--no-promisc', variants]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pcap: --snaplen, --no-promisc only apply to a live capture (-i), not to a file\n');
  });

  it('reports a missing file in one line', () => {
    const r = pcap(['http', '/nonexistent/x.pcap']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('pcap: /nonexistent/x.pcap: no such file\n');
  });

  it('reports a file that is not a capture with status 1', () => {
    const r = pcap(['http', tmpFile('page.html', '<html></html>\n')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pcap: .*page\.html: not a pcap or pcapng file/);
  });
});
