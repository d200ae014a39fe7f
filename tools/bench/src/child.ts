/**
 * One measured run, in a process of its own so that its peak RSS is its own:
 *   node child.js CONTENDER FILE
 * prints `{"packets":N,"ms":T}` where T covers the work only, not Node's start-up.
 */
import { decodePacket, FlowTuple, readCapture, readFlowTuple, registerBuiltins, Registry, scanCapture, type CaptureRecord } from '@pcap/decode';
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DATA_DIR } from './data.js';
import { fileURLToPath } from 'node:url';

/** A run returns its packet count, or the count and the time of the part it measures itself. */
type Run = (file: string) => Promise<number | Timed> | number | Timed;
interface Timed {
  packets: number;
  ms: number;
}

// Packages only some contenders use are loaded before the timed part, and only for them, so
// that a run's peak RSS is that of what it uses.
let native: typeof import('@pcap/native') | undefined;
let tcpPkg: typeof import('@pcap/tcp') | undefined;
let httpPkg: typeof import('@pcap/http') | undefined;

const require = createRequire(import.meta.url);
/** Bytes processed, for scenarios that report MB/s. */
let bytes = 0;

/** node_pcap v3 and cap, installed by the bench into its data folder. */
const peerRequire = createRequire(join(DATA_DIR, 'peers', 'node_modules', '.bench.cjs'));

const LINK_NAMES: Record<number, string> = { 1: 'LINKTYPE_ETHERNET', 127: 'LINKTYPE_IEEE802_11_RADIO', 113: 'LINKTYPE_LINUX_SLL', 0: 'LINKTYPE_NULL', 101: 'LINKTYPE_RAW' };

/** v3's `raw packet` shape: the bytes, a 16-byte pcap record header, and the link-type name. */
function v3Raw(data: Uint8Array, seconds: number, nanos: number, orig: number, linkType: number): { buf: Buffer; header: Buffer; link_type: string } {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(seconds, 0);
  header.writeUInt32LE(Math.floor(nanos / 1000), 4);
  header.writeUInt32LE(data.length, 8);
  header.writeUInt32LE(orig, 12);
  return { buf: Buffer.from(data.buffer, data.byteOffset, data.length), header, link_type: LINK_NAMES[linkType] ?? `LINKTYPE_${linkType}` };
}

const getterCache = new Map<object, string[]>();

/** The getters a layer class defines (through its prototype chain), found once per class. */
function gettersOf(proto: object): string[] {
  let names = getterCache.get(proto);
  if (!names) {
    names = [];
    for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get && k !== 'message') names.push(k);
    }
    getterCache.set(proto, names);
  }
  return names;
}

/** Reads every field getter of every layer, so a lazy tree pays what an eager one pays. */
function touchAll(layers: readonly object[]): number {
  let n = 0;
  for (const l of layers) {
    for (const k of gettersOf(Object.getPrototypeOf(l))) if ((l as Record<string, unknown>)[k] !== undefined) n++;
  }
  return n;
}

/**
 * The records of the file for the rows that time decoding alone, a batch at a time. They come
 * through a Node stream, read by libuv's thread pool: reading the file on this thread (what
 * `readCapture` does with a path) measurably slows the decoding timed right after each batch
 * (compat's `decode.packet` ≈ 25 %, ours ≈ 13 %, with the decoders unchanged), which would
 * charge the reader to the decoders. The end-to-end rows read by path.
 */
function harnessBatches(file: string): AsyncGenerator<CaptureRecord[]> {
  return readCapture(createReadStream(file)).batches();
}

/**
 * Times `decode` alone over every packet of the file in v3's raw-packet shape: the records
 * are read and wrapped a batch at a time outside the timed part.
 */
async function timeDecodeOnly(file: string, decode: (raw: ReturnType<typeof v3Raw>) => unknown): Promise<Timed> {
  let packets = 0;
  let ns = 0n;
  for await (const batch of harnessBatches(file)) {
    const raws = batch.map((r) => v3Raw(r.data, r.seconds, r.nanoseconds, r.originalLength, r.linkType));
    const t0 = process.hrtime.bigint();
    for (const raw of raws) decode(raw);
    ns += process.hrtime.bigint() - t0;
    packets += raws.length;
  }
  return { packets, ms: Number(ns) / 1e6 };
}

const runs: Record<string, Run> = {
  /** Ours: stream the file a batch of records at a time, decode every packet into its layer tree. */
  async 'ours:tree'(file) {
    let n = 0;
    for await (const batch of readCapture(file).batches()) {
      for (const rec of batch) decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength });
      n += batch.length;
    }
    return n;
  },
  /** Ours: `decodePacket` alone over every packet, timed exactly as v3's `decode.packet` below. */
  async 'ours:decode'(file) {
    let packets = 0;
    let ns = 0n;
    for await (const batch of harnessBatches(file)) {
      const t0 = process.hrtime.bigint();
      for (const r of batch) decodePacket(r.data, r.linkType, { originalLength: r.originalLength });
      ns += process.hrtime.bigint() - t0;
      packets += batch.length;
    }
    return { packets, ms: Number(ns) / 1e6 };
  },
  /** Ours: the tree, and every field of every layer read. */
  async 'ours:tree+fields'(file) {
    let n = 0;
    for await (const rec of readCapture(file)) {
      touchAll(decodePacket(rec.data, rec.linkType).layers);
      n++;
    }
    return n;
  },
  /** Ours: the 5-tuple of every packet through the fast path. */
  'ours:fast'(file) {
    const t = new FlowTuple();
    let ports = 0;
    const n = scanCapture(readFileSync(file), (b, s, e, lt) => {
      if (readFlowTuple(b, lt, t, s, e)) ports += t.srcPort;
    });
    if (ports < 0) throw new Error('unreachable');
    return n;
  },
  /** The JavaScript floor: walk record headers and read the ports of Ethernet/IPv4 packets, nothing else. */
  'floor:js'(file) {
    const b = readFileSync(file);
    let p = 24;
    let n = 0;
    let ports = 0;
    while (p + 16 <= b.length) {
      const caplen = b.readUInt32LE(p + 8);
      const d = p + 16;
      if (caplen >= 38 && b[d + 12] === 0x08 && b[d + 13] === 0x00) {
        const ihl = (b[d + 14]! & 0x0f) * 4;
        ports += b.readUInt16BE(d + 14 + ihl);
      }
      p = d + caplen;
      n++;
    }
    if (ports < 0) throw new Error('unreachable');
    return n;
  },
  /** Ours: streaming the file with memory flat (records are dropped as soon as they are counted). */
  async 'ours:stream'(file) {
    let n = 0;
    for await (const rec of readCapture(file)) if (rec.capturedLength >= 0) n++;
    return n;
  },
  /** node_pcap v3's `decode.packet` alone, over the packets of the file (read here; only the decoding is timed). */
  'node_pcap:decode.packet'(file) {
    const decode = peerRequire('pcap/decode').decode as (raw: unknown) => unknown;
    return timeDecodeOnly(file, (raw) => {
      try {
        decode(raw);
      } catch {
        // v3 throws on some valid packets; a throw still costs its time.
      }
    });
  },
  /** node_pcap v3 end to end: its offline session and decode.packet per 'packet' event. */
  'node_pcap:session+decode'(file) {
    const pcap = peerRequire('pcap');
    return new Promise((resolve) => {
      const s = pcap.createOfflineSession(file, '');
      let n = 0;
      s.on('packet', (raw: unknown) => {
        try {
          pcap.decode.packet(raw);
        } catch {
          // as above
        }
        n++;
      });
      s.on('complete', () => resolve(n));
    });
  },
  /** node_pcap v3's offline session, counting packets only. */
  'node_pcap:session'(file) {
    const pcap = peerRequire('pcap');
    return new Promise((resolve) => {
      const s = pcap.createOfflineSession(file, '');
      let n = 0;
      s.on('packet', () => n++);
      s.on('complete', () => resolve(n));
    });
  },
  /** @pcap/compat's `decode.packet` alone, timed exactly as v3's above. */
  'compat:decode.packet'(file) {
    const decode = require('@pcap/compat').decode.packet as (raw: unknown) => unknown;
    return timeDecodeOnly(file, decode);
  },
  /** Ours: TCP tracking and reassembly with HTTP exchanges on top, over every packet. */
  async 'ours:tcp+http'(file) {
    const tcp = new tcpPkg!.TcpTracker();
    const http = new httpPkg!.HttpTracker(tcp);
    let exchanges = 0;
    http.on('exchange', () => exchanges++);
    let n = 0;
    for await (const batch of readCapture(file).batches()) {
      for (const rec of batch) {
        tcp.addRecord(rec);
        bytes += rec.capturedLength;
        n++;
      }
    }
    tcp.end();
    if (exchanges < 0) throw new Error('unreachable');
    return n;
  },
  /** Ours: @pcap/native reading the file through libpcap, counting packets a batch at a time. */
  'ours:native-count'(file) {
    return new Promise<number>((resolve, reject) => {
      let n = 0;
      const cap = native!.openOffline(file, { batchSize: 1024 });
      cap.on('batch', (b) => (n += b.count));
      cap.on('error', reject);
      cap.on('end', () => resolve(n));
    });
  },
  /** cap's decoders (Ethernet → IPv4/IPv6 → TCP/UDP) over the file's packets. */
  async 'cap:decoders'(file) {
    const { decoders } = peerRequire('cap');
    const P = decoders.PROTOCOL;
    let n = 0;
    for await (const rec of readCapture(file)) {
      const buf = Buffer.from(rec.data.buffer, rec.data.byteOffset, rec.data.length);
      const eth = decoders.Ethernet(buf);
      let ip: { info: { protocol: number }; offset: number } | undefined;
      if (eth.info.type === P.ETHERNET.IPV4) ip = decoders.IPV4(buf, eth.offset);
      else if (eth.info.type === P.ETHERNET.IPV6) ip = decoders.IPV6(buf, eth.offset);
      if (ip && ip.info.protocol === P.IP.TCP) decoders.TCP(buf, ip.offset);
      else if (ip && ip.info.protocol === P.IP.UDP) decoders.UDP(buf, ip.offset);
      n++;
    }
    return n;
  },
};

const [name, file, extra] = process.argv.slice(2);
// The live flood has its own protocol: a sender, and a measuring capture that prints its result.
if (name === 'send-flood') {
  const { sendFlood } = await import('./flood.js');
  process.stdout.write(`${await sendFlood(Number(file), Number(extra))}\n`);
  process.exit(0);
}
if (name === 'flood') {
  const { floodRound } = await import('./flood.js');
  const r = await floodRound(file === 'immediate', Number(extra), fileURLToPath(import.meta.url));
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}
if (!name || !file) {
  process.stderr.write(`usage: child CONTENDER FILE\ncontenders: ${Object.keys(runs).join(', ')}\n`);
  process.exit(2);
}
// v3's decoders (and so compat's) print some warnings with console.log; they are not the work measured.
console.log = () => {};
// Keep the registry warm outside the timed part, as a long-running program would.
registerBuiltins(new Registry());
const run = runs[name];
if (name === 'ours:native-count') native = await import('@pcap/native');
if (name === 'ours:tcp+http') [tcpPkg, httpPkg] = await Promise.all([import('@pcap/tcp'), import('@pcap/http')]);
if (!run) {
  process.stderr.write(`unknown contender ${name}\n`);
  process.exit(2);
}
const t0 = process.hrtime.bigint();
const result = await run(file);
const packets = typeof result === 'number' ? result : result.packets;
const ms = typeof result === 'number' ? Number(process.hrtime.bigint() - t0) / 1e6 : result.ms;
process.stdout.write(`${JSON.stringify({ packets, ms, bytes })}\n`);
