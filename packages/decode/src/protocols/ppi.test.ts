import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { Ieee80211 } from './ieee80211.js';
import type { Ieee80211Mgmt } from './ieee80211-mgmt.js';
import type { Ppi } from './ppi.js';

const PPI = 192;

// 00:16:40.000000 Beacon (abc) [1.0* 2.0* Mbit] ESS
// PPI header (DLT 105) with an 802.11-common field whose flags say the frame ends with its FCS.
const BEACON = fromHex(`
  00002000 69000000 0200 1400 0500000000000000 0100 0200 6c09 a000 00 00 d8 a6
  8000 0000 0a0000000001 0b0000000002 0c0000000003 1000 1111111111111111 6400 0104 0003616263 01028284
  deadbeef`);

describe('ppi', () => {
  it('hands the frame to the link type it names and lets 802.11 take off the FCS', () => {
    const pkt = decodePacket(BEACON, PPI);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['ppi', 'wlan', 'wlan.mgt']);
    const ppi = pkt.layer<Ppi>('ppi')!;
    expect([ppi.version, ppi.length, ppi.dlt, ppi.fcsAtEnd]).toEqual([0, 32, 105, true]);
    expect(ppi.fields.map((f) => [f.type, f.data.length])).toEqual([[2, 20]]);
    expect(pkt.layer<Ieee80211>('wlan')!.fcs).toEqual(fromHex('deadbeef'));
    expect(pkt.layer<Ieee80211Mgmt>('wlan.mgt')!.ssidText).toBe('abc');
  });

  it('reports every truncation of the PPI header as a failure', () => {
    for (const cut of prefixes(BEACON.subarray(0, 32))) {
      const pkt = decodePacket(cut, PPI);
      expect(pkt.layers.map((l) => l.protocol)).toEqual(['_failure']);
      expect(pkt.failure!.required).toBe(cut.length < 8 ? 8 : 32);
    }
  });
});
