import { PcapWriter } from '@pcap/decode';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mixedTraffic, radiotapTraffic, type Generated } from './traffic.js';

export type DataKind = 'mixed' | 'hard' | 'radiotap';

/** Generated captures live here, outside version control. */
export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

const SEED = 20261126;
const START = 1_790_000_000;

/** Writes `count` packets of a kind to `path`, deterministically. */
export async function generate(kind: DataKind, count: number, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  const out = createWriteStream(tmp);
  const w = new PcapWriter({ linkType: kind === 'radiotap' ? 127 : 1 }, out);
  const source: Generator<Generated> = kind === 'radiotap' ? radiotapTraffic(SEED) : mixedTraffic(SEED, kind === 'hard');
  let micros = 0;
  let n = 0;
  let step = 17;
  for (const g of source) {
    if (n++ >= count) break;
    step = (step * 1103515245 + 12345) >>> 0;
    micros += 1 + (step % 400);
    const wait = w.write({ seconds: START + Math.floor(micros / 1e6), nanoseconds: (micros % 1e6) * 1000, data: g.data, originalLength: g.orig ?? g.data.length });
    if (wait) await wait;
  }
  await w.close();
  renameSync(tmp, path);
}

/** The capture of a kind and size, generated on first use. */
export async function dataFile(kind: DataKind, count: number): Promise<string> {
  const path = join(DATA_DIR, `${kind}-${count}.pcap`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path} …\n`);
    await generate(kind, count, path);
  }
  return path;
}
