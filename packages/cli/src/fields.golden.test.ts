import { knownFields } from '@pcap/decode';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcap, REPO } from './test/run-cli.js';

/**
 * `pcap read --fields` against tshark's stored output (`NAME.fields.tsv` beside each
 * capture), for every field of the list that our decoders know: as decoders are added the
 * comparison widens by itself.
 */

interface FieldSpec {
  name: string;
  firstOnly: boolean;
}

function fieldList(dir: string): FieldSpec[] {
  for (const p of [join(dir, 'fields.tsv'), join(REPO, 'fixtures', 'fields.tsv')]) {
    if (!existsSync(p)) continue;
    return readFileSync(p, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const [name, mode] = l.split('\t');
        return { name: name!, firstOnly: mode !== 'A' };
      });
  }
  throw new Error(`no fields.tsv for ${dir}`);
}

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)$/.test(e.name) && existsSync(p.replace(/\.[^.]+$/, '.fields.tsv'))) out.push(p);
  }
  return out.sort();
}

function lines(text: string): string[] {
  const t = text.endsWith('\n') ? text.slice(0, -1) : text;
  return t === '' ? [] : t.split('\n');
}

function compareDir(dir: string): void {
  const all = fieldList(dir);
  const known = new Set(knownFields());
  const cols = all.map((f, i) => ({ ...f, index: i })).filter((f) => known.has(f.name));
  const files = captures(dir);
  it('has captures with golden files', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file.slice(dir.length + 1), () => {
      const expected = lines(readFileSync(file.replace(/\.[^.]+$/, '.fields.tsv'), 'utf8')).map((l) => l.split('\t'));
      const r = pcap(['read', '--fields', cols.map((c) => c.name).join(','), file]);
      expect(r.stderr === '' || r.status === 1, r.stderr).toBe(true);
      const got = lines(r.stdout).map((l) => l.split('\t'));
      const cut = (v: string, firstOnly: boolean): string => (firstOnly && v.includes(',') ? v.slice(0, v.indexOf(',')) : v);
      const diffs: string[] = [];
      for (let p = 0; p < Math.max(expected.length, got.length); p++) {
        const e = expected[p];
        const g = got[p];
        if (!e || !g) {
          diffs.push(`packet ${p + 1}: ${e ? 'missing in our output' : 'extra in our output'}`);
          continue;
        }
        cols.forEach((c, j) => {
          const want = cut(e[c.index] ?? '', c.firstOnly);
          const have = cut(g[j] ?? '', c.firstOnly);
          if (want !== have) diffs.push(`packet ${p + 1} ${c.name}: tshark "${want}", ours "${have}"`);
        });
      }
      expect(diffs.slice(0, 20)).toEqual([]);
    });
  }
}

describe('fields of fixtures/ equal tshark', () => compareDir(join(REPO, 'fixtures')));

const corpus = join(REPO, '..', 'shared', 'corpus');
if (existsSync(corpus)) {
  describe('fields of ../shared/corpus equal tshark', () => compareDir(corpus));
} else {
  describe.skip(`fields of ../shared/corpus (absent at ${corpus}: third-party corpus not present in this checkout)`, () => {});
}
