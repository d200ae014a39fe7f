import { describe, expect, it } from 'vitest';
import { LinkType } from '../linktype.js';
import { compareGoldens, CORPUS, FIXTURES, hasGoldens } from './golden.js';

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
const wifiFile = (linkTypes: ReadonlySet<number>): boolean => [...linkTypes].some((l) => WIFI.has(l));

describe('radiotap and 802.11 fields against tshark', () => {
  for (const [what, dir, least] of [
    ['../shared/corpus', CORPUS, 60],
    ['fixtures/', FIXTURES, 1],
  ] as const) {
    if (!hasGoldens(dir)) console.log(`skipping the radiotap/802.11 check of ${what}: ${dir} has no fields.tsv`);
    it.skipIf(!hasGoldens(dir))(`match the stored tshark output for every Wi-Fi capture of ${what}`, async () => {
      const { packets, mismatches } = await compareGoldens(dir, FIELDS, wifiFile);
      expect(mismatches).toEqual([]);
      expect(packets).toBeGreaterThan(least);
    });
  }
});
