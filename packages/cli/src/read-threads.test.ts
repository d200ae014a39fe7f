/**
 * `pcap read --threads N` must print exactly what one thread prints — the same lines in the
 * same order, the same error line and exit status on a damaged file — only sooner. Small
 * slices (PCAP_READ_SLICE_BYTES) cut even the fixtures into many, so that every file crosses
 * slice boundaries between threads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutAt, damageOf, layout, pcapToPcapng } from '../../../tools/fixtures/damaged-captures.mjs';
import { pcap, REPO, tmpFile } from './test/run-cli.js';

const fixtures = join(REPO, 'fixtures');
const corpus = join(REPO, '..', 'shared', 'corpus');
const SMALL_SLICES = { PCAP_READ_SLICE_BYTES: '300', PCAP_READ_TRACE: '1' };
/** What the threads did, as PCAP_READ_TRACE reports it. */
const TRACE = /^pcap: (\d+) threads printed (\d+) slices, records 1 to (\d+)(; the rest read on one thread)?\n/m;
const FIELDS = 'frame.number,frame.time_epoch,frame.len,frame.interface_id,eth.src,ip.src,ip.dst,ipv6.src,tcp.srcport,tcp.dstport,tcp.flags,udp.dstport,dns.qry.name,wlan.sa';

const captures = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(dir, f)).sort() : [];

let sliced = 0;
let handedOver = 0;

/**
 * Runs `pcap read` on one thread and on three, and expects the same output, errors and
 * status; counts the runs whose threads printed more than one slice.
 */
function same(args: string[], file: string): string {
  const one = pcap(['read', '--threads', '1', ...args, file]);
  const three = pcap(['read', '--threads', '3', ...args, file], undefined, SMALL_SLICES);
  const trace = TRACE.exec(three.stderr);
  expect(trace, `${file}: ${three.stderr}`).not.toBeNull();
  expect(trace![1]).toBe('3');
  if (Number(trace![2]) > 1) sliced++;
  if (trace![4]) handedOver++;
  expect({ ...three, stderr: three.stderr.replace(TRACE, '') }, `${args.join(' ')} ${file}`).toEqual(one);
  return one.stdout;
}

describe('pcap read --threads', () => {
  it('prints what one thread prints for every fixture: text, --fields, --json and -S', () => {
    const files = captures(fixtures);
    expect(files.length).toBeGreaterThan(20);
    let lines = 0;
    for (const f of files) {
      lines += same(['--fields', FIELDS], f).split('\n').length;
      same(['--json'], f);
      same(['-S'], f);
      same([], f);
    }
    expect(lines).toBeGreaterThan(500);
    // Most files span many slices, printed by different threads.
    expect(sliced).toBeGreaterThan(files.length);
  });

  it('prints what one thread prints for the layer tree and hex dump (-v -x, -S -v -x)', () => {
    for (const f of ['http-keepalive.pcap', 'two-interfaces.pcapng', 'dns.pcap']) {
      same(['-S', '-v', '-x'], join(fixtures, f));
      same(['-v', '-x'], join(fixtures, f));
    }
  });

  it('counts relative TCP numbers across slices printed by different threads', () => {
    // Every packet of a conversation after the first prints numbers counted from it, however
    // far back in the file (and on whichever thread) that first packet was printed.
    const f = join(fixtures, 'http-keepalive.pcap');
    const text = same([], f);
    const r = pcap(['read', '--threads', '3', f], undefined, SMALL_SLICES);
    expect(Number(TRACE.exec(r.stderr)![2])).toBeGreaterThan(5);
    expect(text).toMatch(/Flags \[P\.\], seq 1:\d+, ack 1,/);
    expect(text).not.toBe(same(['-S'], f));
  });

  it('prints what one thread prints for every corpus file, fields and text', { timeout: 300_000 }, (ctx) => {
    const files = captures(corpus);
    if (files.length === 0) ctx.skip();
    for (const f of files) {
      same(['--fields', FIELDS], f);
      same([], f);
    }
  });

  it('starts threads by itself for a large file, but not to print a few packets of it', () => {
    // A 65 MiB file (a fixture's records over and over): large enough for threads unasked.
    const one = readFileSync(join(fixtures, 'http-keepalive.pcap'));
    const records = one.subarray(24);
    const copies = Math.ceil((65 << 20) / records.length);
    const big = tmpFile('large.pcap', Buffer.concat([one.subarray(0, 24), ...Array.from({ length: copies }, () => records)]));
    const few = pcap(['read', '-c', '5', big], undefined, { PCAP_READ_TRACE: '1' });
    expect(few.status).toBe(0);
    expect(few.stdout.split('\n')).toHaveLength(6);
    expect(few.stderr).not.toMatch(TRACE);
    if (availableParallelism() < 2) return;
    const many = pcap(['read', '-c', '150000', '--fields', 'frame.number', big], undefined, { PCAP_READ_TRACE: '1' });
    expect(many.stdout.split('\n')).toHaveLength(150001);
    expect(TRACE.exec(many.stderr)?.[1]).toBe(String(Math.min(availableParallelism(), 4)));
  });

  it('stops at the same packet with -c, wherever the slices end', () => {
    const f = join(fixtures, 'http-keepalive.pcap');
    for (const c of ['1', '2', '7', '19', '1000']) {
      same(['-c', c, '--fields', 'frame.number,tcp.srcport'], f);
      same(['-c', c], f);
    }
    const r = pcap(['read', '--threads', '2', '-c', '7', '--fields', 'frame.number', f], undefined, SMALL_SLICES);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('7');
    expect(TRACE.exec(r.stderr)![3]).toBe('7');
  });

  it('on damaged files prints the packets before the damage, then the same error line and status', () => {
    const dns = new Uint8Array(readFileSync(join(fixtures, 'dns.pcap')));
    const sources: Array<[string, Uint8Array]> = [
      ['dns.pcap', dns],
      ['dns.pcapng', pcapToPcapng(dns)],
      ['two-interfaces.pcapng', new Uint8Array(readFileSync(join(fixtures, 'two-interfaces.pcapng')))],
    ];
    let damaged = 0;
    for (const [name, bytes] of sources) {
      const l = layout(bytes)!;
      const packets = l.spans.filter((s) => s.packet);
      const cuts = [packets[1]!.start + 5, packets[packets.length - 1]!.end - 3].map((k) => cutAt(name, bytes, l, k));
      for (const c of [...cuts, ...damageOf(name, bytes)]) {
        const file = tmpFile(name, c.bytes);
        const out = same(['--fields', 'frame.number,ip.src,dns.qry.name'], file);
        same([], file);
        if (c.error) damaged++;
        expect(out.split('\n').filter(Boolean).length, c.name).toBe(c.packets);
      }
    }
    expect(damaged).toBeGreaterThan(20);
    // Damage ends the threads' part; the reader prints up to it and reports it.
    expect(handedOver).toBeGreaterThan(20);
  });

  it('hands a second pcapng section to the sequential reader and prints the whole file', () => {
    const ng = pcapToPcapng(new Uint8Array(readFileSync(join(fixtures, 'dns.pcap'))));
    const two = new Uint8Array(ng.length * 2);
    two.set(ng);
    two.set(ng, ng.length);
    const out = same(['--fields', 'frame.number,frame.interface_id,dns.qry.name'], tmpFile('two-sections.pcapng', two));
    const lines = out.split('\n').filter(Boolean);
    const half = layout(ng)!.spans.filter((s) => s.packet).length;
    expect(lines.length).toBe(2 * half);
    expect(lines[lines.length - 1]!.split('\t')[0]).toBe(String(lines.length));
    // The threads print the first section; the reader goes on from the second.
    const trace = TRACE.exec(pcap(['read', '--threads', '2', '--fields', 'frame.number', tmpFile('two-sections.pcapng', two)], undefined, SMALL_SLICES).stderr)!;
    expect(trace[3]).toBe(String(half));
    expect(trace[4]).toBeDefined();
  });

  it('refuses zero threads as a usage error', () => {
    const r = pcap(['read', '--threads', '0', join(fixtures, 'dns.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--threads/);
  });
});
