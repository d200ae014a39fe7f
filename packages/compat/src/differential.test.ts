/**
 * Differential test against node_pcap 3.1.0 from npm (its decoders are plain JavaScript; the
 * native part is not built). Every packet of our fixtures and of ../shared/corpus is decoded
 * by both; trees (class names, own enumerable fields in order, Buffers as bytes, toString()),
 * emitted events and console lines must be identical, except for the excuses listed below.
 */
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { captureFiles, corpusDir, fixturesDir, records, toPacketWithHeader, type PacketWithHeader } from './test/captures';
import { firstDiff, serialise, walk, type Node } from './test/tree';

const require = createRequire(import.meta.url);
type Decode = (pwh: PacketWithHeader, emitter?: object) => object;
const v3Decode = (require('pcap/decode') as { decode: Decode }).decode;
const compatDecode = (require('@pcap/compat/decode') as { decode: Decode }).decode;
const V3DNS = require('pcap/decode/dns') as new () => { decode(b: Buffer, o: number): object };
const CompatDNS = require('@pcap/compat/decode/dns') as new () => { decode(b: Buffer, o: number): object };

/**
 * Whole-packet crashes of v3 (decode or toString threw or hung), by V3-API.md §3 item. A v3
 * failure matching none of these fails the test.
 */
const V3_CRASHES: [string, RegExp][] = [
  ['§3.1 unknown TCP option kind throws', /Don't know how to process TCP option/],
  ['§3.2 IP-in-IP: ProtocolDecoder is not a constructor', /ProtocolDecoder is not a constructor/],
  ['§3.1/§3.3 v3 never returns (DNS name past the end, zero-length option)', /Error: timeout$/],
  ['§3.3 DNS: short header or too many RRs in toString', /reading 'rrs'|DNS RR/],
  ['§3.6 RadioFrame throws a string below 24 bytes', /Not enough of packet left to be a RadioFrame/],
  ['§3.9 radiotap: revision, TLV, unknown bits, namespaces, field names', /console\.warning|Buffer\.slice|Unknown field bit|Namespace|Unexpected|Invalid or unexpected token|Invalid left-hand side|Numeric separators|Radiotap header length/],
  ['v3 reads past the captured bytes (RangeError)', /RangeError|ERR_OUT_OF_RANGE|out of range/],
];
/** toString() failures of single nodes, compared only for the classes named. */
const V3_TEXT_CRASHES: [string, RegExp, RegExp][] = [
  ['§3.4 Ethernet/SLL toString with a null payload', /^(EthernetPacket|SLLPacket|PcapPacket)$/, /reading 'toString'/],
  [
    '§3.3 UDP port 53 toString: DNS header under 12 bytes, too many RRs or a bad name throws',
    /^(DNS|DNSRRSet|UDP|IPv4|IPv6|HeaderExtension|EthernetPacket|SLLPacket|NullPacket|LogicalLinkControl|PcapPacket)$/,
    /RangeError|out of range|reading 'rrs'|DNS RR/,
  ],
];

const seen = new Map<string, number>();
function count(reason: string): void {
  seen.set(reason, (seen.get(reason) ?? 0) + 1);
}

const ctx = vm.createContext({ run: (): unknown => undefined });
const script = new vm.Script('run()');
/** Runs `fn` with a time limit (v3 can loop forever); 'timeout' is thrown on expiry. */
function limited<T>(fn: () => T, ms = 250): T {
  (ctx as { run: () => unknown }).run = fn;
  try {
    return script.runInContext(ctx, { timeout: ms }) as T;
  } catch (e) {
    if (/timed out/.test(String((e as { message?: unknown } | null)?.message))) throw new Error('timeout');
    throw e;
  }
}

function recorder(): { events: string[]; emit(name: string): void } {
  const events: string[] = [];
  return { events, emit: (name: string) => void events.push(name) };
}

/** Errors from v3 may come from another realm (vm), so they are recognised by shape. */
function message(e: unknown): string {
  const x = e as { name?: unknown; message?: unknown } | null;
  return x && typeof x === 'object' && typeof x.message === 'string' ? `${String(x.name)}: ${x.message}` : `thrown ${String(e)}`;
}

/** Strips DNS header text (v3.1.0 prints all flags false) and AAAA rdata (v3 prints null). */
function stripDns(s: string): string {
  return s.replace(/ DNS \{[^}]*\}/g, ' DNS {}').replace(/ AAAA IN (\d+) \S+/g, ' AAAA IN $1 <rdata>');
}

/**
 * The deliberate deviations, applied to both serialised trees: IPv6 transport lengths
 * (v3 passed the frame length minus 40), SLL address text (v3 printed "undefined"), DNS text.
 */
function normalise(n: Node, underIPv6 = false): Node {
  if (typeof n === 'string') return n;
  if ('b' in n) return n;
  if ('a' in n) return { a: n.a.map((x) => normalise(x, underIPv6)) };
  const v6 = underIPv6 || n.c === 'IPv6';
  const hasV6 = [...walk(n)].some((x) => typeof x === 'object' && 'c' in x && x.c === 'IPv6');
  let f = n.f;
  if (v6 && n.c === 'TCP') f = f.filter(([k]) => k !== 'dataLength' && k !== 'data');
  // SLL addresses are at most 8 bytes on the wire; v3 read address_len bytes whatever it said.
  if (n.c === 'SLLAddr') f = f.map(([k, x]) => [k, k === 'addr' && typeof x === 'object' && 'a' in x ? { a: x.a.slice(0, 8) } : x]);
  const out: { c: string; f: [string, Node][]; s?: string; e?: string } = {
    c: n.c,
    // Below IPv6, v3 constructed decoders without the emitter; compat passes it on.
    f: f.map(([k, x]) => [k, underIPv6 && k === 'emitter' ? '<emitter?>' : normalise(x, v6)]),
  };
  if (n.s !== undefined && n.c !== 'SLLAddr') {
    let s = stripDns(n.s).replace(/addrtype (\d+) \S*/, 'addrtype $1 <addr>');
    if (hasV6 || v6) s = s.replace(/ len (-?\d+|NaN)$/, ' len <n>');
    out.s = s;
  }
  if (n.e !== undefined) out.e = n.e;
  return out;
}

/** Drops toString results where v3 threw for a listed reason; returns the reasons used. */
function excuseTextCrashes(v3: Node, compat: Node, reasons: Set<string>): void {
  const a = [...walk(v3)];
  const b = [...walk(compat)];
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x !== 'object' || !('c' in x) || x.e === undefined) continue;
    const hit = V3_TEXT_CRASHES.find(([, cls, msg]) => cls.test(x.c) && msg.test(x.e!));
    if (!hit) continue;
    reasons.add(hit[0]);
    delete x.e;
    if (typeof y === 'object' && 'c' in y) {
      expect(y.e, `compat toString of ${y.c}`).toBeUndefined();
      delete y.s;
    }
  }
}

type Outcome = { ok: true; tree: Node; events: string[] } | { ok: false; reason: string };

function runV3(pwh: PacketWithHeader, logs: string[]): Outcome {
  const rec = recorder();
  try {
    const tree = limited(() => serialise(v3Decode(pwh, rec)), 250);
    return { ok: true, tree, events: rec.events };
  } catch (e) {
    const m = message(e);
    logs.length = 0;
    const hit = V3_CRASHES.find(([, re]) => re.test(m));
    if (!hit) throw new Error(`v3 failed in a way not listed as excused: ${m}`);
    return { ok: false, reason: hit[0] };
  }
}

function compareDns(data: Buffer): void {
  let v3: Node;
  try {
    v3 = limited(() => serialise(new V3DNS().decode(data, 0)));
  } catch {
    count('§3.3 DNS: v3 throws or hangs on this message');
    return;
  }
  const ours = serialise(new CompatDNS().decode(data, 0));
  const reasons = new Set<string>();
  excuseTextCrashes(v3, ours, reasons);
  for (const x of reasons) count(x);
  const clean = (n: Node): Node => {
    if (typeof n === 'string' || 'b' in n) return n;
    if ('a' in n) return { a: n.a.map(clean) };
    const isAAAA = n.c === 'DNSRR' && n.f.some(([k, v]) => k === 'type' && v === 'n:28');
    return {
      c: n.c,
      f: n.f
        .filter(([k]) => k !== 'header' || n.c !== 'DNS')
        .filter(([k]) => !(isAAAA && (k === 'rdata' || k === 'data')))
        .map(([k, v]) => [k, clean(v)]),
      ...(n.s !== undefined ? { s: stripDns(n.s) } : {}),
    };
  };
  const diff = firstDiff(clean(ours), clean(v3));
  if (diff) throw new Error(`DNS message: compat ≠ v3 at ${diff}`);
  count('DNS messages compared (flags and AAAA rdata excepted)');
}

const files = [
  ...captureFiles(fixturesDir).map((f) => ['fixtures', f] as const),
  ...captureFiles(corpusDir).map((f) => ['corpus', f] as const),
];
if (captureFiles(corpusDir).length === 0) console.log(`differential: ${corpusDir} is absent; corpus files skipped`);
if (captureFiles(fixturesDir).length === 0) console.log(`differential: no capture files in ${fixturesDir} yet`);

describe('compat decodes like pcap@3.1.0', () => {
  afterAll(() => {
    const lines = [...seen].map(([k, v]) => `  ${v}\t${k}`).join('\n');
    console.log(`differential summary:\n${lines}`);
  });

  it.skipIf(files.length === 0)('has capture files to compare', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const [where, file] of files) {
    it(`${where}/${basename(file)}`, () => {
      const logs: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
      try {
        for (const r of records(file)) {
          const pwh = toPacketWithHeader(r);
          const label = `${basename(file)} #${r.number}`;
          logs.length = 0;
          const v3 = runV3(pwh, logs);
          const v3Logs = [...logs];
          logs.length = 0;
          const rec = recorder();
          let oursTree: Node;
          try {
            oursTree = serialise(compatDecode(pwh, rec));
          } catch (e) {
            throw new Error(`${label}: compat threw ${message(e)}`);
          }
          for (const n of walk(oursTree)) {
            if (typeof n === 'object' && 'e' in n && n.e !== undefined) throw new Error(`${label}: compat ${n.c}.toString threw ${n.e}`);
          }
          if (!v3.ok) {
            count(v3.reason);
            continue;
          }
          const reasons = new Set<string>();
          excuseTextCrashes(v3.tree, oursTree, reasons);
          for (const x of reasons) count(x);
          const diff = firstDiff(normalise(oursTree), normalise(v3.tree));
          if (diff) throw new Error(`${label}: compat ≠ v3 at ${diff}`);
          const hasV6 = [...walk(oursTree)].some((n) => typeof n === 'object' && 'c' in n && n.c === 'IPv6');
          if (hasV6) count('IPv6: lengths normalised, events not compared (v3 gives IPv6 payloads no emitter)');
          else expect(rec.events, `${label} events`).toEqual(v3.events);
          expect(logs, `${label} console lines`).toEqual(v3Logs);
          count('packets compared');
          for (const n of walk(oursTree)) {
            if (typeof n === 'object' && 'c' in n && n.c === 'UDP') {
              const port = (k: string) => n.f.find(([x]) => x === k)?.[1];
              const data = n.f.find(([x]) => x === 'data')?.[1];
              if ((port('sport') === 'n:53' || port('dport') === 'n:53') && data && typeof data === 'object' && 'b' in data) {
                compareDns(Buffer.from(data.b, 'hex'));
              }
            }
          }
        }
      } finally {
        spy.mockRestore();
      }
    });
  }
});
