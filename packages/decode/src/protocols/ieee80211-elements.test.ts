import { describe, expect, it } from 'vitest';
import { fromHex, prefixes } from '../test/hex.js';
import {
  elementThrows,
  parseCountry,
  parseHeCapabilities,
  parseHtOperation,
  parseRsn,
  parseVendor,
  ratesText,
  walkElements,
} from './ieee80211-elements.js';

// The tagged parameters of a WPA2-PSK beacon (tcpdump: Beacon (OpenCorpus) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY):
// SSID, rates, DS, RSN (CCMP/PSK), WMM, WPS.
const ELEMENTS = fromHex(`
  000a4f70656e436f72707573 010882848b960c121824 030106
  30140100000fac040100000fac040100000fac020c00
  dd180050f2020101000003a4000027a4000042435e0062322f00
  dd0e0050f204104a0001101044000102`);

describe('802.11 information elements', () => {
  it('walks an element list and reads the common elements', () => {
    const w = walkElements(ELEMENTS);
    expect(w.stop).toBeUndefined();
    expect(w.elements.map((e) => [e.id, e.length])).toEqual([
      [0, 10],
      [1, 8],
      [3, 1],
      [48, 20],
      [221, 24],
      [221, 14],
    ]);
    const rsn = parseRsn(w.elements[3]!.data)!;
    expect(rsn.pairwiseCiphers).toEqual([{ oui: 0x000fac, type: 4 }]);
    expect(rsn.akms).toEqual([{ oui: 0x000fac, type: 2 }]);
    expect(rsn.capabilities).toBe(0x000c);
    expect(parseVendor(w.elements[4]!.data)).toMatchObject({ oui: 0x0050f2, type: 2, kind: 'wmm' });
    expect(parseVendor(w.elements[5]!.data)).toMatchObject({ oui: 0x0050f2, type: 4, kind: 'wps' });
    expect(ratesText(w.elements[1]!.data)).toBe('1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0');
  });

  it('reads WPA like RSN after its OUI and type', () => {
    const wpa = fromHex('0050f201 0100 0050f202 0100 0050f202 0100 0050f202');
    expect(parseVendor(wpa)?.kind).toBe('wpa');
    expect(parseRsn(wpa, 4)?.groupCipher).toEqual({ oui: 0x0050f2, type: 2 });
    expect(elementThrows(221, wpa)).toBe(false);
    expect(elementThrows(221, wpa.subarray(0, 10))).toBe(true);
  });

  it('reads country triplets, HT operation and HE capabilities', () => {
    expect(parseCountry(fromHex('444520010d14'))).toEqual({ code: 'DE', environment: 0x20, triplets: [[1, 13, 20]] });
    expect(parseHtOperation(fromHex(`06${'00'.repeat(21)}`))?.primaryChannel).toBe(6);
    expect(parseHeCapabilities(fromHex(`23${'00'.repeat(21)}`))?.rxMcsMap80).toBe(0);
    expect(parseHeCapabilities(fromHex(`23${'00'.repeat(10)}`))).toBeUndefined();
  });

  it('follows Wireshark on RSN elements too short for its reads', () => {
    const full = fromHex('0100 000fac04 0100 000fac04 0100 000fac02 0c00');
    // Lengths at which Wireshark 4.0 throws, measured with tshark.
    const throwing = [3, 4, 5, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19];
    for (let n = 0; n <= full.length; n++) expect(elementThrows(48, full.subarray(0, n)), `RSN of ${n} bytes`).toBe(throwing.includes(n));
  });

  it('stops at an element that runs past the list and at a lone trailing byte', () => {
    const over = walkElements(fromHex('0003616263 000a6162'));
    expect(over.elements.map((e) => e.id)).toEqual([0, 0]);
    expect(over.stop?.reason).toBe('element length');
    const lone = walkElements(fromHex('0003616263 01'));
    expect(lone.elements.map((e) => e.id)).toEqual([0]);
    expect(lone.stop?.reason).toBe('element header');
  });

  it('lists the elements nested in an SSID List after their parent', () => {
    const w = walkElements(fromHex('5407 0002 6162 0001 63 c800'));
    expect(w.elements.map((e) => [e.id, !!e.nested])).toEqual([
      [84, false],
      [0, true],
      [0, true],
      [200, false],
    ]);
  });

  it('never throws and always ends on every prefix of an element list', () => {
    for (const cut of prefixes(ELEMENTS)) {
      const w = walkElements(cut);
      expect(w.elements.length).toBeLessThanOrEqual(6);
      if (w.stop) expect(w.stop.offset).toBeLessThan(cut.length);
    }
  });
});
