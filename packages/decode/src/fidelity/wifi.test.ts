import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaptureFileError } from '../capture/errors.js';
import { readCapture } from '../capture/read.js';
import { FieldSelector } from '../fields.js';
import { LinkType } from '../linktype.js';
import { decodePacket } from '../packet.js';

const here = dirname(fileURLToPath(import.meta.url));
// The third-party corpus (absent in a fresh clone) and this repository's fixtures, each
// capture with tshark's stored output beside it.
const corpus = resolve(here, '../../../../../shared/corpus');
const fixtures = resolve(here, '../../../../fixtures');

/** The radiotap and 802.11 fields of the corpus field list, and the LLC fields 802.11 data frames lead to. */
const FIELDS = [
  'radiotap.length',
  'radiotap.present.word',
  'radiotap.flags',
  'radiotap.datarate',
  'radiotap.channel.freq',
  'radiotap.dbm_antsignal',
  'wlan.fc.type_subtype',
  'wlan.fc.tods',
  'wlan.fc.fromds',
  'wlan.ra',
  'wlan.ta',
  'wlan.da',
  'wlan.sa',
  'wlan.bssid',
  'wlan.seq',
  'wlan.ssid',
  'wlan.fixed.beacon',
  'wlan.tag.number',
  'wlan.supported_rates',
  'llc.dsap',
  'llc.type',
];

const WIFI: ReadonlySet<number> = new Set([LinkType.IEEE802_11, LinkType.IEEE802_11_RADIOTAP, LinkType.PPI]);

async function compareDir(dir: string): Promise<{ packets: number; mismatches: string[] }> {
  const rows = readFileSync(join(dir, 'fields.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  const columns = rows.map((r) => r[0]!);
  const index = FIELDS.map((f) => columns.indexOf(f));
  expect(index).not.toContain(-1);
  // Mode F columns keep their first occurrence only, in both outputs.
  const firstOnly = FIELDS.map((f) => rows.find((r) => r[0] === f)![1] === 'F');
  const cut = (v: string, i: number): string => (firstOnly[i] ? v.split(',')[0]! : v);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(pcap|pcapng|cap)$/.test(f));
  const selector = new FieldSelector(FIELDS);
  let packets = 0;
  const mismatches: string[] = [];
  for (const name of files) {
    const stored = join(dir, name.replace(/\.[^.]+$/, '.fields.tsv'));
    if (!existsSync(stored)) continue;
    const got: string[][] = [];
    let wifi = false;
    try {
      for await (const r of readCapture(join(dir, name))) {
        wifi ||= WIFI.has(r.linkType);
        got.push(selector.values(r, decodePacket(r.data, r.linkType)).map(cut));
      }
    } catch (e) {
      expect(e, name).toBeInstanceOf(CaptureFileError);
    }
    if (!wifi) continue;
    const expected = readFileSync(stored, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const cells = l.split('\t');
        return index.map((c, i) => cut(cells[c] ?? '', i));
      });
    expect(got.length, name).toBe(expected.length);
    got.forEach((row, p) =>
      row.forEach((v, i) => {
        if (v !== expected[p]![i]) mismatches.push(`${name} packet ${p + 1} ${FIELDS[i]}: expected ${expected[p]![i]!.slice(0, 80)}, got ${v.slice(0, 80)}`);
      }),
    );
    packets += got.length;
  }
  return { packets, mismatches };
}

describe('radiotap and 802.11 fields against tshark', () => {
  const corpusPresent = existsSync(join(corpus, 'fields.tsv'));
  if (!corpusPresent) console.log(`skipping the radiotap/802.11 corpus check: ${corpus} is absent`);
  it.skipIf(!corpusPresent)('match the stored tshark output for every Wi-Fi capture of ../shared/corpus', async () => {
    const { packets, mismatches } = await compareDir(corpus);
    expect(mismatches).toEqual([]);
    expect(packets).toBeGreaterThan(60);
  });

  const fixturesPresent = existsSync(join(fixtures, 'fields.tsv'));
  if (!fixturesPresent) console.log(`skipping the radiotap/802.11 fixture check: ${fixtures} has no fields.tsv`);
  it.skipIf(!fixturesPresent)('match the stored tshark output for every Wi-Fi capture of fixtures/', async () => {
    const { packets, mismatches } = await compareDir(fixtures);
    expect(mismatches).toEqual([]);
    expect(packets).toBeGreaterThan(0);
  });
});
