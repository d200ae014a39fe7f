import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCapture } from '@pcap/decode';
import { TcpTracker, type PacketTime } from '@pcap/tcp';
import { describe, expect, it } from 'vitest';
import type { HttpExchange } from './exchange.js';
import { HttpTracker } from './tracker.js';

// HTTP exchanges found in the fixtures must match what tshark's http dissector reports
// (fixtures/NAME.http.tsv: frame, tcp.stream, http.request.method, http.request.uri,
// http.response.code, http.content_length; several messages in one frame are joined by ","),
// and each message must end at the capture time of the frame tshark reports it in.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(root, 'fixtures');

interface Expected {
  requests: string[];
  requestLengths: string[];
  /** Capture time of the frame that ends each message (tshark reports a message in its last frame). */
  requestEnds: string[];
  responses: string[];
  responseLengths: string[];
  responseEnds: string[];
}

const empty = (): Expected => ({ requests: [], requestLengths: [], requestEnds: [], responses: [], responseLengths: [], responseEnds: [] });

/** frame.number → frame.time_epoch from a fields golden (columns 1 and 2). */
function frameTimes(fieldsTsv: string): Map<string, string> {
  return new Map(fieldsTsv.split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 2) as [string, string]));
}

function expected(tsv: string, times: Map<string, string>): Map<number, Expected> {
  const out = new Map<number, Expected>();
  for (const line of tsv.split('\n')) {
    if (!line.trim()) continue;
    const [frame, stream, methods, uris, codes, lengths] = line.split('\t');
    const e = out.get(Number(stream)) ?? empty();
    out.set(Number(stream), e);
    const cl = lengths ? lengths.split(',') : [];
    if (methods) {
      const ms = methods.split(',');
      const us = uris!.split(',');
      ms.forEach((m, i) => {
        e.requests.push(`${m} ${us[i]}`);
        e.requestEnds.push(times.get(frame!) ?? `frame ${frame}`);
      });
      e.requestLengths.push(...cl);
    } else if (codes) {
      for (const c of codes.split(',')) {
        e.responses.push(c);
        e.responseEnds.push(times.get(frame!) ?? `frame ${frame}`);
      }
      e.responseLengths.push(...cl);
    }
  }
  return out;
}

function actual(exchanges: HttpExchange[]): Map<number, Expected> {
  const out = new Map<number, Expected>();
  for (const x of exchanges) {
    const id = x.session.id;
    const e = out.get(id) ?? empty();
    out.set(id, e);
    if (x.request) {
      e.requests.push(`${x.request.method} ${x.request.url}`);
      e.requestEnds.push(epoch(x.request.endTime));
      if (x.request.contentLength !== undefined) e.requestLengths.push(String(x.request.contentLength));
    }
    for (const r of [...x.informational, ...(x.response ? [x.response] : [])]) {
      e.responses.push(String(r.status));
      e.responseEnds.push(epoch(r.endTime));
      if (r.contentLength !== undefined) e.responseLengths.push(String(r.contentLength));
    }
  }
  return out;
}

function epoch(t: PacketTime | undefined): string {
  return t ? `${t.seconds}.${String(t.nanoseconds).padStart(9, '0')}` : '-';
}

async function exchangesOf(file: string): Promise<HttpExchange[]> {
  const tcp = new TcpTracker();
  const http = new HttpTracker(tcp);
  const all: HttpExchange[] = [];
  http.on('exchange', (x) => all.push(x));
  for await (const rec of readCapture(file)) tcp.addRecord(rec);
  tcp.end();
  // Exchanges are reported when they end; list them by connection and position.
  return all.sort((a, b) => a.session.id - b.session.id || a.index - b.index);
}

const cases = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => /^http-.*\.http\.tsv$/.test(f) && existsSync(join(fixtures, f.replace(/\.http\.tsv$/, '.pcap')))) : [];

describe('HTTP exchanges equal tshark http fields on fixtures/', () => {
  if (cases.length === 0) {
    it.skip('no fixtures/http-*.http.tsv yet', () => {});
    console.log('skipping HTTP fixture comparison: no fixtures/http-*.pcap with .http.tsv');
    return;
  }
  for (const tsv of cases) {
    const pcap = tsv.replace(/\.http\.tsv$/, '.pcap');
    it(pcap, async () => {
      const fields = join(fixtures, pcap.replace(/\.pcap$/, '.fields.tsv'));
      const times = existsSync(fields) ? frameTimes(readFileSync(fields, 'utf8')) : new Map<string, string>();
      const want = expected(readFileSync(join(fixtures, tsv), 'utf8'), times);
      const got = actual(await exchangesOf(join(fixtures, pcap)));
      expect(want.size).toBeGreaterThan(0);
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    });
  }
});
