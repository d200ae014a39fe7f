import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/read.js';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';
import { WIRED_FIELDS } from '../test/wired.js';

// The fidelity check of ../shared/tools/compare-fields.sh for the link, network and transport
// fields, run in process against the stored tshark 4.0.17 expectations (NAME.fields.tsv).
const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../../../../shared/corpus');

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name) && existsSync(p.replace(/\.[^.]+$/, '.fields.tsv'))) out.push(p);
  }
  return out;
}

const files = existsSync(join(corpus, 'fields.tsv')) ? captures(corpus) : [];
if (files.length === 0) console.log(`wired fidelity: skipped, no corpus with stored tshark fields at ${corpus}`);

/** Column index and mode (F: first occurrence, A: all) of every field of fields.tsv. */
function columns(): Map<string, { index: number; all: boolean }> {
  const rows = readFileSync(join(corpus, 'fields.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  return new Map(rows.map((l, index) => [l.split('\t')[0]!, { index, all: l.split('\t')[1] === 'A' }]));
}

async function ourLines(file: string, selector: FieldSelector): Promise<string[][]> {
  const lines: string[][] = [];
  try {
    for await (const r of readCapture(file)) lines.push(selector.values(r, decodePacket(r.data, r.linkType, { originalLength: r.originalLength })));
  } catch {
    // A file cut short: compare the packets read before the damage, as tshark prints them.
  }
  return lines;
}

describe.skipIf(files.length === 0)('fidelity of link, network and transport fields against tshark 4.0.17', () => {
  it(
    'matches the stored tshark output for every packet of the corpus',
    async () => {
      const cols = columns();
      const fields = WIRED_FIELDS.filter((f) => cols.has(f));
      const selector = new FieldSelector(fields);
      const mismatches: string[] = [];
      let packets = 0;
      for (const file of files) {
        const expected = readFileSync(file.replace(/\.[^.]+$/, '.fields.tsv'), 'utf8').split('\n');
        if (expected[expected.length - 1] === '') expected.pop();
        const got = await ourLines(file, selector);
        const name = relative(corpus, file);
        if (got.length !== expected.length) mismatches.push(`${name}: ${got.length} packets, tshark ${expected.length}`);
        for (let i = 0; i < Math.min(got.length, expected.length); i++) {
          packets++;
          const want = expected[i]!.split('\t');
          fields.forEach((f, j) => {
            const { index, all } = cols.get(f)!;
            const mine = all ? got[i]![j]! : got[i]![j]!.split(',')[0]!;
            const theirs = all ? (want[index] ?? '') : (want[index] ?? '').split(',')[0]!;
            if (mine !== theirs) mismatches.push(`${name} packet ${i + 1} ${f}: tshark '${theirs}', ours '${mine}'`);
          });
        }
      }
      console.log(`wired fidelity: ${packets} packets of ${files.length} files compared`);
      expect(packets).toBeGreaterThan(0);
      expect(mismatches.slice(0, 20)).toEqual([]);
    },
    120_000,
  );
});
