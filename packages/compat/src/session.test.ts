/**
 * Offline sessions on @pcap/native and the TCP tracker, compared with node_pcap 3.1.0's
 * tracker (plain JavaScript) fed by its own decoders.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureFiles, corpusDir, fixturesDir, records, toPacketWithHeader } from './test/captures';

const require = createRequire(import.meta.url);
type Any = any;
const pcap = require('@pcap/compat');

interface Run {
  packets: number;
  headers: number[][];
  sameObjects: boolean;
  ticks: number;
  completeArgs: number;
}

function readAll(file: string, filter?: unknown): Promise<Run> {
  return new Promise((resolve, reject) => {
    const s = filter === undefined ? pcap.createOfflineSession(file) : pcap.createOfflineSession(file, filter);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const run: Run = { packets: 0, headers: [], sameObjects: true, ticks: 0, completeArgs: -1 };
    let first: Any;
    s.on('packet', (raw: Any) => {
      first ??= raw;
      if (raw.buf !== first.buf || raw.header !== first.header) run.sameObjects = false;
      run.packets++;
      const h = raw.header;
      if (run.headers.length < 3) run.headers.push([h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)]);
    });
    s.on('error', reject);
    s.on('complete', (...args: unknown[]) => {
      clearInterval(timer);
      run.ticks = ticks;
      run.completeArgs = args.length;
      s.close();
      resolve(run);
    });
  });
}

const fixture = (name: string): string => join(fixturesDir, name);

describe('createOfflineSession', () => {
  it('has v3 session fields in v3 order', () => {
    const s = pcap.createOfflineSession(fixture('dns.pcap'), { filter: 'udp' });
    expect(Object.keys(s).slice(0, 16)).toEqual([
      'is_live', 'device_name', 'filter', 'buffer_size', 'snap_length', 'outfile', 'is_monitor', 'buffer_timeout',
      'promiscuous', 'link_type', 'opened', 'buf', 'header', 'empty_reads', 'packets_read', 'session',
    ]);
    expect(s).toMatchObject({
      is_live: false, device_name: fixture('dns.pcap'), filter: 'udp', buffer_size: 0, snap_length: 65535, outfile: '',
      is_monitor: false, buffer_timeout: 1000, promiscuous: true, link_type: 'LINKTYPE_ETHERNET', opened: true,
      empty_reads: 0, packets_read: null,
    });
    expect(s.buf).toHaveLength(65535);
    expect(s.header).toHaveLength(16);
    expect(s).toBeInstanceOf(pcap.PcapSession);
    s.close();
    expect(s.opened).toBe(false);
  });

  it('emits every packet with the 16-byte header, then complete, without blocking timers', async () => {
    const file = fixture('tcp-reassembly.pcap');
    const expected = records(file);
    const run = await readAll(file);
    expect(run.packets).toBe(expected.length);
    const r = expected[0]!;
    expect(run.headers[0]).toEqual([r.seconds, Math.floor(r.nanoseconds / 1000), r.capturedLength, r.originalLength]);
    expect(run.sameObjects).toBe(true);
    expect(run.completeArgs).toBe(0);
    // Read a batch per event-loop turn: a 0 ms interval timer ran while the file was read.
    expect(run.ticks).toBeGreaterThan(0);
  });

  it('applies a filter given in the options and a v2-style filter string', async () => {
    const file = fixture('dns.pcap');
    const all = (await readAll(file)).packets;
    const viaOptions = (await readAll(file, { filter: 'udp and dst port 53' })).packets;
    const viaString = (await readAll(file, 'udp and dst port 53')).packets;
    expect(all).toBe(records(file).length);
    expect(viaOptions).toBeGreaterThan(0);
    expect(viaOptions).toBeLessThan(all);
    expect(viaString).toBe(viaOptions);
  });

  it('throws for a file that is not a capture', () => {
    expect(() => pcap.createOfflineSession(join(fixturesDir, 'fields.tsv'))).toThrow();
  });

  it('gives decode.packet what it needs: same text as decoding the file records', async () => {
    const file = fixture('arp-icmp.pcap');
    const texts: string[] = [];
    await new Promise<void>((resolve) => {
      const s = pcap.createOfflineSession(file);
      s.on('packet', (raw: Any) => texts.push(String(pcap.decode.packet(raw))));
      s.on('complete', resolve);
    });
    expect(texts).toEqual(records(file).map((r) => String(pcap.decode.packet(toPacketWithHeader(r)))));
  });
});

/** Runs a tracker over a file's records and logs every event with what it carried. */
function trackLog(Tracker: Any, decode: Any, file: string): string[] {
  const log: string[] = [];
  const tracker = new Tracker();
  tracker.on('session', (s: Any) => {
    log.push(`session ${s.src}-${s.dst} ${s.state}`);
    for (const ev of ['start', 'data send', 'data recv', 'retransmit', 'syn retry', 'reset', 'end']) {
      s.on(ev, (sess: Any, arg: Any, arg2: Any) => {
        const extra = Buffer.isBuffer(arg) ? arg.toString('hex') : arg;
        log.push(`${ev} ${sess.src} ${sess.state} ${extra ?? ''} ${arg2 ?? ''}`);
        if (ev === 'end') log.push(JSON.stringify(sess.session_stats()));
      });
    }
  });
  for (const r of records(file)) tracker.track_packet(decode(toPacketWithHeader(r)));
  for (const s of Object.values(tracker.sessions) as Any[]) {
    const fields = Object.keys(s).filter((k) => !k.startsWith('_'));
    log.push(JSON.stringify(fields.map((k) => [k, s[k]])));
  }
  return log;
}

describe('TCPTracker against node_pcap 3.1.0', () => {
  const v3Tracker = require('pcap/tcp_tracker').TCPTracker;
  const v3Decode = require('pcap/decode').decode;
  const files = [
    ...['tcp-reassembly.pcap', 'http-keepalive.pcap', 'http-variants.pcap'].map(fixture),
    ...captureFiles(corpusDir).filter((f) => /g_live_lo_http_dns|ssh\.pcap|tcp-handshake/.test(f)),
  ];
  it.each(files)('emits the same events, stats and session fields on %s', (file) => {
    const ours = trackLog(pcap.TCPTracker, pcap.decode, file);
    const theirs = trackLog(v3Tracker, v3Decode, file);
    expect(ours.length).toBeGreaterThan(1);
    expect(ours).toEqual(theirs);
  });
});
