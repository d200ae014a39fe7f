import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureFileError } from '../capture/errors.js';
import { readCapture } from '../capture/read.js';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The third-party corpus, with tshark's stored output beside each capture (absent in a fresh clone). */
export const CORPUS = resolve(here, '../../../../../shared/corpus');
/** This repository's fixtures, made by tools/fixtures with their tshark golden files. */
export const FIXTURES = resolve(here, '../../../../fixtures');

/** True when `dir` holds the field list its golden files were made with. */
export function hasGoldens(dir: string): boolean {
  return existsSync(join(dir, 'fields.tsv'));
}

export interface GoldenComparison {
  packets: number;
  files: number;
  mismatches: string[];
}

/**
 * Decodes every capture of `dir` that has a stored `NAME.fields.tsv` and compares `fields`
 * with tshark's values, mode-F columns cut at their first occurrence in both outputs.
 * `only` keeps the files whose packets' link types it accepts.
 */
export async function compareGoldens(dir: string, fields: readonly string[], only?: (linkTypes: ReadonlySet<number>) => boolean): Promise<GoldenComparison> {
  const list = readFileSync(join(dir, 'fields.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  const column = fields.map((f) => {
    const i = list.findIndex((r) => r[0] === f);
    if (i < 0) throw new Error(`${f} is not in ${dir}/fields.tsv`);
    return { index: i, firstOnly: list[i]![1] !== 'A' };
  });
  const cut = (v: string, j: number): string => (column[j]!.firstOnly ? v.split(',')[0]! : v);
  const selector = new FieldSelector(fields);
  const result: GoldenComparison = { packets: 0, files: 0, mismatches: [] };
  const names = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(pcap|pcapng|cap)$/.test(f) && existsSync(join(dir, f.replace(/\.[^.]+$/, '.fields.tsv'))))
    .sort();
  for (const name of names) {
    const file = join(dir, name);
    const got: string[][] = [];
    const linkTypes = new Set<number>();
    try {
      for await (const r of readCapture(file)) {
        linkTypes.add(r.linkType);
        got.push(selector.values(r, decodePacket(r.data, r.linkType, { originalLength: r.originalLength })).map(cut));
      }
    } catch (e) {
      // A file cut short is compared up to the damage, as tshark prints it; nothing else may throw.
      if (!(e instanceof CaptureFileError)) throw e;
    }
    if (only && !only(linkTypes)) continue;
    result.files++;
    const expected = readFileSync(join(dir, name.replace(/\.[^.]+$/, '.fields.tsv')), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const cells = l.split('\t');
        return column.map((c, j) => cut(cells[c.index] ?? '', j));
      });
    const label = relative(dir, file);
    if (got.length !== expected.length) result.mismatches.push(`${label}: ${got.length} packets, tshark ${expected.length}`);
    for (let p = 0; p < Math.min(got.length, expected.length); p++) {
      result.packets++;
      got[p]!.forEach((v, j) => {
        const want = expected[p]![j]!;
        if (v !== want) result.mismatches.push(`${label} packet ${p + 1} ${fields[j]}: tshark '${want.slice(0, 80)}', ours '${v.slice(0, 80)}'`);
      });
    }
  }
  return result;
}
