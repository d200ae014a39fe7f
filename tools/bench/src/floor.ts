/**
 * `pnpm --filter @pcap/bench floor`: how close a decoded tree can come to node_pcap v3's
 * `decode.packet`. In one process, over the same records of the mixed capture held in
 * memory, it times in alternate passes: v3's `decode.packet`; our `decodePacket`; making
 * the objects of a three- or four-layer tree (layers, list, packet) without reading the
 * packet; and the same plus reading three bytes of each packet, which any decoder must do
 * at least. Prints the median time per packet of each and its ratio to v3's.
 */
import { decodePacket, Ethernet, IPv4, Packet, parseCapture, RawPayload, Tcp, type CaptureRecord, type Layer } from '@pcap/decode';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DATA_DIR, dataFile } from './data.js';

const PACKETS = 100_000;
const PASSES = 21;
/** Passes left out of the medians while the code warms up. */
const WARM_UP = 3;

const peerRequire = createRequire(join(DATA_DIR, 'peers', 'node_modules', '.bench.cjs'));

/** The objects of a tree of Ethernet, IPv4, TCP and data, made without reading the packet. */
function objectsOnly(r: CaptureRecord): Packet {
  const b = r.data;
  const n = b.length;
  const layers: Layer[] = [new Ethernet(b, 0, 14, n), new IPv4(b, 14, 34, n), new Tcp(b, 34, 54, n, 54, n - 54)];
  if (n > 54) layers.push(new RawPayload(b, 54, n));
  return new Packet(b, r.linkType, layers);
}

let sink = 0;

async function main(): Promise<void> {
  let v3: (raw: unknown) => unknown;
  try {
    v3 = (peerRequire('pcap/decode') as { decode: (raw: unknown) => unknown }).decode;
  } catch {
    console.error('node_pcap v3 is not installed: run `pnpm bench` once, which installs the peers');
    process.exitCode = 1;
    return;
  }
  const file = await dataFile('mixed', PACKETS);
  const records = [...parseCapture(new Uint8Array(readFileSync(file)))];
  const raws = records.map((r) => {
    const header = Buffer.alloc(16);
    header.writeUInt32LE(r.seconds, 0);
    header.writeUInt32LE(Math.floor(r.nanoseconds / 1000), 4);
    header.writeUInt32LE(r.data.length, 8);
    header.writeUInt32LE(r.originalLength, 12);
    return { buf: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length), header, link_type: 'LINKTYPE_ETHERNET' };
  });
  const runs: Record<string, () => void> = {
    'v3 decode.packet': () => {
      for (const raw of raws) {
        try {
          v3(raw);
        } catch {
          // v3 throws on some valid packets; a throw still costs its time.
        }
      }
    },
    'ours decodePacket': () => {
      for (const r of records) decodePacket(r.data, r.linkType, { originalLength: r.originalLength });
    },
    'tree objects only': () => {
      for (const r of records) objectsOnly(r);
    },
    'tree objects + 3 bytes read': () => {
      for (const r of records) {
        const b = r.data;
        sink += b[12]! + b[23]! + b[46]!;
        objectsOnly(r);
      }
    },
  };
  const times = new Map<string, number[]>(Object.keys(runs).map((k) => [k, []]));
  for (let pass = 0; pass < PASSES; pass++) {
    for (const [name, run] of Object.entries(runs)) {
      const t = process.hrtime.bigint();
      run();
      if (pass >= WARM_UP) times.get(name)!.push(Number(process.hrtime.bigint() - t) / records.length);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const base = median(times.get('v3 decode.packet')!);
  console.log(`${records.length} records of the mixed capture, in memory; medians of ${PASSES - WARM_UP} alternate passes`);
  for (const [name, xs] of times) {
    const m = median(xs);
    console.log(`${name.padEnd(28)} ${m.toFixed(0).padStart(5)} ns a packet   ${(base / m).toFixed(2)}× v3`);
  }
  if (sink < 0) console.log(sink);
}

await main();
