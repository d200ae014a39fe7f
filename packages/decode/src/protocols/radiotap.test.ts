import { describe, expect, it } from 'vitest';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { CaptureRecord } from '../capture/record.js';
import type { Ieee80211 } from './ieee80211.js';
import { RadiotapBit, type Radiotap } from './radiotap.js';
import { formatG, htRate, vhtRate } from './radiotap-fields.js';

const RADIOTAP = 127;

// 12:26:40.000999 1099511627781us tsft short preamble 54.0 Mb/s 5180 MHz 11a -60dBm signal -95dBm noise
//   antenna 1 -61dBm signal antenna 0 -62dBm signal antenna 1 Beacon () [1.0* Mbit] IBSS
// Three presence words: the radiotap namespace is restarted (bit 29) once per antenna.
const PER_ANTENNA = fromHex(`
  000028006f4800a0200800a0200800000500000000010000126c3c144001c4a101000000c300c20180000000ffffffff
  ffff02cc0000000102cc000000016006020000000000000064000001000800000000000000000101826f825db2`);

// 12:26:40.001333 6.0 Mb/s 2462 MHz 11g -33dBm signal Probe Request () [1.0 2.0 5.5 11.0 Mbit]
// A vendor namespace (bit 30) whose 5 data bytes are skipped, then the radiotap namespace again.
const VENDOR = fromHex(`
  000021000e0000c0030000a020000000000c9e09c000001122010400aabbccdddf40000000ffffffffffff02aa000000
  05fffffffffffff0ff0000010402040b1632080c1218243048606c2d1aef0917ffff0000000000000000000000000000
  00000000000000`);

// 12:26:40.001666 5745 MHz 11n 65.0 Mb/s MCS 7 20 MHz long GI Probe Request (OpenCorpus) [1.0* 2.0* Mbit]
const MCS = fromHex(`
  00000f0008000800711640010710074000000002cc0000000102aa0000000502cc000000010000000a4f70656e436f72
  70757301028284`);

// 12:26:40.001999 1us tsft Probe Response (OpenCorpus) [...] CH: 6 — TSFT, A-MPDU status and VHT.
const VHT = fromHex(`
  000024000100300001000000000000004d000000000000000000000000000000000000005000000002aa0000000502cc
  0000000102cc000000017006630000000000000064000411000a4f70656e436f72707573010882848b960c1218240301
  06050400010000`);

// 12:26:40.005333 bad-fcs 1.0 Mb/s 2412 MHz 11b IP 192.0.2.5.40000 > 192.0.2.53.53: 85+ A? wifi.example.test. (35)
// Flags 0x50: the frame ends with its FCS (deadbeef), marked bad.
const FCS = fromHex(`
  00000e000e00000050026c09a0000803000002bb0000000102bb0000000202aa00000009000002aa00000005aaaa0300
  000008004500003f000100004011f672c0000205c00002359c400035002b807c00550100000100000000000004776966
  69076578616d706c6504746573740000010001deadbeef`);

function record(data: Uint8Array): CaptureRecord {
  return { seconds: 0, nanoseconds: 0, capturedLength: data.length, originalLength: data.length, linkType: RADIOTAP, number: 1, data } as unknown as CaptureRecord;
}

function fields(data: Uint8Array, names: string[]): string[] {
  return new FieldSelector(names).values(record(data), decodePacket(data, RADIOTAP));
}

describe('radiotap', () => {
  it('walks per-antenna namespaces with alignment counted from the header start', () => {
    const pkt = decodePacket(PER_ANTENNA, RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap', 'wlan', 'wlan.mgt']);
    const rt = pkt.layer<Radiotap>('radiotap')!;
    expect(rt.presentWords).toEqual([0xa000486f, 0xa0000820, 0x00000820]);
    expect(rt.tsft).toBe(1099511627781n);
    expect(rt.rate).toBe(54);
    expect(rt.channel).toEqual({ freq: 5180, flags: 0x0140 });
    expect(rt.dbmAntSignal).toEqual([-60, -61, -62]);
    expect(rt.dbmAntNoise).toEqual([-95]);
    expect(rt.antenna).toEqual([1, 0, 1]);
    expect(rt.itemsOf(RadiotapBit.DBM_ANTSIGNAL).map((i) => i.namespace)).toEqual([0, 1, 2]);
    expect(rt.problem).toBeUndefined();
    expect(fields(PER_ANTENNA, ['radiotap.length', 'radiotap.present.word', 'radiotap.flags', 'radiotap.datarate', 'radiotap.dbm_antsignal'])).toEqual([
      '40',
      '0xa000486f,0xa0000820,0x00000820',
      '0x12',
      '54',
      '-60,-61,-62',
    ]);
    expect(summarize(pkt)).toBe(
      '1099511627781us tsft short preamble 54.0 Mb/s 5180 MHz 11a -60dBm signal -95dBm noise antenna 1 -61dBm signal antenna 0 -62dBm signal antenna 1 Beacon () [1.0* Mbit] IBSS',
    );
  });

  it('reads a radiotap header that does not start the packet (PPI carrying radiotap)', () => {
    // 00:16:40.000999 1099511627781us tsft short preamble 54.0 Mb/s 5180 MHz 11a -60dBm signal -95dBm noise
    //   antenna 1 -61dBm signal antenna 0 -62dBm signal antenna 1 Beacon () [1.0* Mbit] IBSS
    const behindPpi = new Uint8Array(8 + PER_ANTENNA.length);
    behindPpi.set(fromHex('00000800 7f000000'));
    behindPpi.set(PER_ANTENNA, 8);
    const pkt = decodePacket(behindPpi, 192);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['ppi', 'radiotap', 'wlan', 'wlan.mgt']);
    const rt = pkt.layer<Radiotap>('radiotap')!;
    expect([rt.offset, rt.length, rt.payloadOffset]).toEqual([8, 40, 48]);
    expect([rt.tsft, rt.rate, rt.dbmAntSignal, rt.antenna]).toEqual([1099511627781n, 54, [-60, -61, -62], [1, 0, 1]]);
    expect(rt.header).toEqual(PER_ANTENNA.subarray(0, 40));
    expect(summarize(pkt)).toBe(summarize(decodePacket(PER_ANTENNA, RADIOTAP)));
  });

  it('skips a vendor namespace by its skip length and resumes the radiotap namespace', () => {
    const rt = decodePacket(VENDOR, RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(rt.presentWords).toEqual([0xc000000e, 0xa0000003, 0x00000020]);
    expect(rt.vendorNamespaces).toEqual([{ oui: 0x001122, subNamespace: 1, data: fromHex('aabbccdd') }]);
    expect(rt.flags).toBe(0);
    expect(rt.rate).toBe(6);
    expect(rt.channel?.freq).toBe(2462);
    expect(rt.dbmAntSignal).toEqual([-33]);
    expect(summarize(decodePacket(VENDOR, RADIOTAP))).toBe('6.0 Mb/s 2462 MHz 11g -33dBm signal Probe Request () [1.0 2.0 5.5 11.0 Mbit]');
  });

  it('computes the data rate from an MCS field when there is no Rate field', () => {
    const rt = decodePacket(MCS, RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(rt.mcs).toEqual({ known: 0x07, flags: 0x10, index: 7, bandwidth: 0, shortGi: false });
    expect(rt.datarates).toEqual([65]);
    expect(fields(MCS, ['radiotap.datarate', 'radiotap.channel.freq', 'radiotap.flags'])).toEqual(['65', '5745', '']);
    expect(summarize(decodePacket(MCS, RADIOTAP))).toBe('5745 MHz 11n 65.0 Mb/s MCS 7 20 MHz long GI Probe Request (OpenCorpus) [1.0* 2.0* Mbit]');
  });

  it('reads TSFT, A-MPDU status and VHT fields; VHT gives its own per-user rate only', () => {
    const rt = decodePacket(VHT, RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(rt.tsft).toBe(1n);
    expect(rt.ampdu).toEqual({ reference: 77, flags: 0, delimiterCrc: 0 });
    expect(rt.vht?.known).toBe(0);
    expect(rt.datarates).toEqual([]);
    expect(fields(VHT, ['radiotap.length', 'radiotap.present.word', 'radiotap.datarate', 'wlan.fc.type_subtype', 'wlan.fixed.beacon'])).toEqual([
      '36',
      '0x00300001',
      '',
      '0x0005',
      '100',
    ]);
  });

  it('takes the FCS off the end of the frame when the Flags field says so', () => {
    const pkt = decodePacket(FCS, RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap', 'wlan', 'llc', 'ip', 'udp', 'dns']);
    const rt = pkt.layer<Radiotap>('radiotap')!;
    expect(rt.fcsAtEnd).toBe(true);
    expect(rt.badFcs).toBe(true);
    const wlan = pkt.layer<Ieee80211>('wlan')!;
    expect(wlan.fcs).toEqual(fromHex('deadbeef'));
    // The FCS is not carried on: the payload (LLC, after the four-address header) ends before it.
    expect([wlan.payloadOffset, wlan.payloadEnd]).toEqual([14 + 30, FCS.length - 4]);
    expect(fields(FCS, ['radiotap.flags', 'wlan.ra', 'wlan.ta', 'wlan.da', 'wlan.sa', 'wlan.bssid', 'llc.type', 'ip.src'])).toEqual([
      '0x50',
      '02:bb:00:00:00:01',
      '02:bb:00:00:00:02',
      '02:aa:00:00:00:09',
      '02:aa:00:00:00:05',
      '',
      '0x0800',
      '192.0.2.5',
    ]);
  });

  it('keeps the header fields read before a field that runs past it_len, and still decodes 802.11', () => {
    // Flags (FCS) fits; the Channel field would end 4 bytes past it_len = 10. An ACK follows.
    const bad = fromHex('00000a00 0a000000 10 00 d4000000020000000001');
    const pkt = decodePacket(bad, RADIOTAP);
    const rt = pkt.layer<Radiotap>('radiotap')!;
    expect(rt.problem).toBe('data past header');
    expect(rt.flags).toBe(0x10);
    expect(rt.channel).toBeUndefined();
    // The ACK is too short to hold an FCS as well, so nothing is taken off it.
    expect(pkt.layer<Ieee80211>('wlan')!.ra).toBe('02:00:00:00:00:01');
  });

  it('treats an unsupported version as an invalid header: length only, 802.11 after it', () => {
    const v1 = fromHex('01000900 02000000 10 d4000000020000000001');
    const pkt = decodePacket(v1, RADIOTAP);
    const rt = pkt.layer<Radiotap>('radiotap')!;
    expect([rt.problem, rt.presentWords.length, rt.items.length]).toEqual(['unsupported version', 0, 0]);
    expect(pkt.layer<Ieee80211>('wlan')!.typeSubtype).toBe(0x1d);
  });

  it('stops at a header that sets both namespace bits', () => {
    const rt = decodePacket(fromHex('00000900 02000060 10 d4000000020000000001'), RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(rt.problem).toBe('both namespaces');
    expect(rt.items).toEqual([]);
  });

  it('ends the walk quietly at a presence bit it cannot size (bit 32 of the radiotap namespace)', () => {
    const rt = decodePacket(fromHex('00000d00 20000080 01000000 c4 d4000000020000000001'), RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(rt.problem).toBeUndefined();
    expect(rt.dbmAntSignal).toEqual([-60]);
  });

  it('reads standard fields carried as TLVs after presence bit 28', () => {
    // TLV type 3 (Channel, 5180 MHz) and TLV type 5 (dBm signal -44), then an ACK.
    const tlv = fromHex('00001800 00000010 0300 0400 3c144001 0500 0100 d4000000 d4000000020000005a01');
    const rt = decodePacket(tlv, RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(rt.channel?.freq).toBe(5180);
    expect(rt.dbmAntSignal).toEqual([-44]);
    expect(rt.tlvs.map((t) => t.type)).toEqual([3, 5]);
  });

  it('gives up on the frame at a 0-length-PSDU field (no frame was captured)', () => {
    const pkt = decodePacket(fromHex('00000900 00000004 01'), RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap']);
    expect(pkt.layer<Radiotap>('radiotap')!.zeroLengthPsdu).toBe(1);
  });

  it('reports every truncation of the header as a failure, never throwing', () => {
    for (const cut of prefixes(PER_ANTENNA)) {
      const pkt = decodePacket(cut, RADIOTAP);
      const names = pkt.layers.map((l) => l.protocol);
      if (cut.length < 4) {
        expect(names).toEqual(['_failure']);
        expect(pkt.failure!.required).toBe(4);
      } else if (cut.length < 40) {
        // it_len (40) is known but the header is cut: only the length field is shown.
        expect(names).toEqual(['radiotap', '_failure']);
        expect([pkt.failure!.layer, pkt.failure!.required, pkt.failure!.actual]).toEqual(['radiotap', 40, cut.length]);
        expect(fields(cut, ['radiotap.length', 'radiotap.present.word'])).toEqual(['40', '']);
      } else {
        expect(names[0]).toBe('radiotap');
        expect(pkt.layer<Radiotap>('radiotap')!.dbmAntSignal).toEqual([-60, -61, -62]);
      }
    }
  });

  it('reports an it_len below 8 after the length field', () => {
    const pkt = decodePacket(fromHex('00000600 02000000 10'), RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap', '_failure']);
    expect(pkt.failure!.reason).toBe('it_len field below 8');
  });
});

describe('radiotap rates', () => {
  it('computes HT rates in single precision as Wireshark prints them', () => {
    expect(formatG(htRate(7, false, false)!)).toBe('65');
    expect(formatG(htRate(7, true, true)!)).toBe('150');
    expect(formatG(htRate(0, false, true)!)).toBe('7.22222');
    expect(formatG(htRate(32, true, false)!)).toBe('6.23077');
    expect(formatG(htRate(11, false, false)!)).toBe('52');
    expect(htRate(77, false, false)).toBeUndefined();
  });

  it('computes VHT per-user rates and rejects undefined combinations', () => {
    expect(formatG(vhtRate(9, 2, 4, true)!)).toBe('866.6');
    expect(formatG(vhtRate(9, 1, 11, false)!)).toBe('780');
    expect(vhtRate(9, 1, 0, false)).toBeUndefined();
  });

  it('prints floats like %g', () => {
    expect([formatG(5.5), formatG(1), formatG(1e-5), formatG(1234567), formatG(0)]).toEqual(['5.5', '1', '1e-05', '1.23457e+06', '0']);
  });
});
