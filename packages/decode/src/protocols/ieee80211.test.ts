import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { Ieee80211 } from './ieee80211.js';
import type { Ieee80211Mgmt } from './ieee80211-mgmt.js';

const RADIOTAP = 127;
const WLAN = 105;

/** Radiotap header of the frames below: Flags 0, 1.0 Mb/s, 2412 MHz 11b, -40 dBm. */
const RT = '00000f002e00000000026c09a000d8';

// 12:26:40.000333 1.0 Mb/s 2412 MHz 11b -40dBm signal Beacon (OpenCorpus) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY
const BEACON = fromHex(`${RT}
  80000000ffffffffffff02cc0000000102cc000000014006efcdab896745230164001104000a4f70656e436f72707573
  010882848b960c1218240301060504000100000706444520010d142a01002d1aef0917ffff0000000000000000000000
  0000000000000000000030140100000fac040100000fac040100000fac020c0032043048606c3d160608000000000000
  00000000000000000000000000007f080400080000000040bf0cb259820ffaff0000faff0000c005012a00fcffdd1800
  50f2020101000003a4000027a4000042435e0062322f00dd0e0050f204104a000110104400010219020102ff04f00102
  03`);

// 12:26:40.004333 5745 MHz 11n 65.0 Mb/s MCS 7 20 MHz long GI IP 192.0.2.5.40000 > 192.0.2.53.53: 85+ A? wifi.example.test. (35)
const DATA_TODS = fromHex(`00000f0008000800711640010710 07
  0801 0000 02cc00000001 02aa00000005 02aa00000009 1000
  aaaa030000000800 4500003f000100004011f672c0000205c00002359c400035002b807c
  0055010000010000000000000477696669076578616d706c6504746573740000010001`);

// 12:26:40.004999 IP6 fe80::5 > ff02::1: ICMP6, echo request, id 1, seq 1, length 8 (QoS data, To DS)
const QOS_DATA = fromHex(`0000080000000000
  8801 0000 02cc00000001 02aa00000005 333300000001 0000 0600
  aaaa0300000086dd 6000000000083a40fe800000000000000000000000000005ff020000000000000000000000000001
  8000823100010001`);

// 12:26:40.006333 … CF +QoS … Data IV:  1 Pad 20 KeyID 0 (protected QoS data: CCMP header, then ciphertext)
const PROTECTED = fromHex(`000028006f4800a0200800a0200800000500000000010000126c3c144001c4a101000000c300c201
  8841 0000 02cc00000001 02aa00000005 02aa00000009 f00f 0000
  0100002000000000 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
  0000000000000000 9edb4ed2`);

// 12:26:40.007333 1us tsft Clear-To-Send RA:02:aa:00:00:00:05
const CTS = fromHex('000024000100300001000000000000004d00000000000000000000000000000000000000 c400 002c 02aa00000005');
// 12:26:40.006999 5745 MHz 11n 65.0 Mb/s MCS 7 20 MHz long GI Request-To-Send TA:02:aa:00:00:00:05
const RTS = fromHex('00000f000800080071164001071007 b400 002c 02cc00000001 02aa00000005');
// 12:26:40.007666 Acknowledgment RA:02:aa:00:00:00:05
const ACK = fromHex('0000080000000000 d400 0000 02aa00000005');
// 12:26:40.007999 bad-fcs 1.0 Mb/s 2412 MHz 11b Power Save-Poll AID(1c0)
const PS_POLL = fromHex('00000e000e00000050026c09a000 a400 c001 02cc00000001 02aa00000005 deadbeef');
// 12:26:40.008333 1.0 Mb/s 2412 MHz 11b -40dBm signal BA RA:02:aa:00:00:00:05
const BA = fromHex(`${RT} 9400 0000 02aa00000005 02cc00000001 0500 1000 ffffffffffffffff`);
// 12:26:40.008666 123456789us tsft 5.5 Mb/s 2437 MHz 11b -85dBm signal BAR RA:02:aa:00:00:00:05 TA:02:cc:00:00:00:01 CTL(4) SEQ(16)
const BAR = fromHex('000017002f00000015cd5b0700000000100b8509a000ab 8400 0000 02aa00000005 02cc00000001 0400 1000 3d86b5df');

function values(data: Uint8Array, linkType: number, names: string[]): string[] {
  const rec = { seconds: 0, nanoseconds: 0, capturedLength: data.length, originalLength: data.length, linkType, number: 1, data } as unknown as CaptureRecord;
  return new FieldSelector(names).values(rec, decodePacket(data, linkType));
}

const ADDR = ['wlan.fc.type_subtype', 'wlan.fc.tods', 'wlan.fc.fromds', 'wlan.ra', 'wlan.ta', 'wlan.da', 'wlan.sa', 'wlan.bssid', 'wlan.seq'];

describe('802.11 management frames', () => {
  it('decodes a beacon: fixed fields, every element, SSID, rates, RSN, HT/VHT, vendor elements', () => {
    const pkt = decodePacket(BEACON, RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap', 'wlan', 'wlan.mgt']);
    const m = pkt.layer<Ieee80211Mgmt>('wlan.mgt')!;
    expect(m.timestamp).toBe(0x0123456789abcdefn);
    expect([m.beaconInterval, m.capabilities, m.ssidText, m.channel]).toEqual([100, 0x0411, 'OpenCorpus', 6]);
    expect(m.elements.map((e) => e.id)).toEqual([0, 1, 3, 5, 7, 42, 45, 48, 50, 61, 127, 191, 192, 221, 221, 25, 255]);
    expect(Array.from(m.supportedRates)).toEqual([0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24]);
    expect(Array.from(m.extendedRates)).toEqual([0x30, 0x48, 0x60, 0x6c]);
    expect(m.tim).toEqual({ dtimCount: 0, dtimPeriod: 1, bitmapControl: 0, partialVirtualBitmap: fromHex('00') });
    expect(m.country).toEqual({ code: 'DE', environment: 0x20, triplets: [[1, 13, 20]] });
    expect(m.erp).toBe(0);
    const rsn = m.rsn!;
    expect([rsn.version, rsn.groupCipher, rsn.pairwiseCiphers, rsn.akms, rsn.capabilities]).toEqual([
      1,
      { oui: 0x000fac, type: 4 },
      [{ oui: 0x000fac, type: 4 }],
      [{ oui: 0x000fac, type: 2 }],
      0x000c,
    ]);
    expect(m.htCapabilities?.info).toBe(0x09ef);
    expect(m.htOperation?.primaryChannel).toBe(6);
    expect(m.vhtCapabilities?.rxMcsMap).toBe(0xfffa);
    expect(m.vhtOperation?.channelWidth).toBe(1);
    expect(m.vendors.map((v) => v.kind)).toEqual(['wmm', 'wps']);
    expect(values(BEACON, RADIOTAP, [...ADDR, 'wlan.ssid', 'wlan.fixed.beacon', 'wlan.supported_rates'])).toEqual([
      '0x0008',
      '0',
      '0',
      'ff:ff:ff:ff:ff:ff',
      '02:cc:00:00:00:01',
      'ff:ff:ff:ff:ff:ff',
      '02:cc:00:00:00:01',
      '02:cc:00:00:00:01',
      '100',
      '4f70656e436f72707573',
      '100',
      '0x82,0x84,0x8b,0x96,0x0c,0x12,0x18,0x24',
    ]);
    expect(summarize(pkt)).toBe('1.0 Mb/s 2412 MHz 11b -40dBm signal Beacon (OpenCorpus) [1.0* 2.0* 5.5* 11.0* 6.0 9.0 12.0 18.0 Mbit] ESS CH: 6, PRIVACY');
  });

  it('prints an empty SSID as <MISSING> and names a hidden network ()', () => {
    // 12:20:38.357687 … Probe Request () [6.0 9.0 12.0 18.0 24.0 36.0 48.0 54.0 Mbit] (plain 802.11)
    const probe = fromHex('4000 0000 ffffffffffff b0fc362f0744 ffffffffffff 4007 0000 01080c1218243048606c');
    expect(values(probe, WLAN, ['wlan.ssid', 'wlan.tag.number', 'wlan.bssid'])).toEqual(['<MISSING>', '0,1', 'ff:ff:ff:ff:ff:ff']);
    expect(summarize(decodePacket(probe, WLAN))).toBe('Probe Request () [6.0 9.0 12.0 18.0 24.0 36.0 48.0 54.0 Mbit]');
  });

  it('decodes authentication, (re)association, deauthentication, disassociation and action bodies', () => {
    const hdr = (fc: string) => `${fc} 0000 02cc00000001 02aa00000005 02cc00000001 0000`;
    // Authentication (Open System)-1: Successful
    const auth = decodePacket(fromHex(`${hdr('b000')} 0000 0100 0000`), WLAN);
    expect([auth.layer<Ieee80211Mgmt>('wlan.mgt')!.authAlgorithm, auth.layer<Ieee80211Mgmt>('wlan.mgt')!.authSeq]).toEqual([0, 1]);
    expect(summarize(auth)).toBe('Authentication (Open System)-1: Successful');
    // Assoc Request (OpenCorpus) [1.0* 2.0* Mbit]
    const assoc = decodePacket(fromHex(`${hdr('0000')} 1104 0a00 000a4f70656e436f72707573 01028284`), WLAN);
    expect(assoc.layer<Ieee80211Mgmt>('wlan.mgt')!.listenInterval).toBe(10);
    expect(summarize(assoc)).toBe('Assoc Request (OpenCorpus) [1.0* 2.0* Mbit]');
    // Assoc Response AID(1) :: Successful
    expect(summarize(decodePacket(fromHex(`${hdr('1000')} 0104 0000 01c0 01028284`), WLAN))).toBe('Assoc Response AID(1) :: Successful');
    // ReAssoc Request with its current AP address
    const re = decodePacket(fromHex(`${hdr('2000')} 0104 0a00 02cc00000009 0000`), WLAN).layer<Ieee80211Mgmt>('wlan.mgt')!;
    expect(re.currentAp).toBe('02:cc:00:00:00:09');
    // DeAuthentication (02:aa:00:00:00:05): Class 3 frame received from nonassociated STA
    const deauth = decodePacket(fromHex(`${hdr('c000')} 0700`), WLAN);
    expect(deauth.layer<Ieee80211Mgmt>('wlan.mgt')!.reasonCode).toBe(7);
    expect(summarize(deauth)).toBe('DeAuthentication (02:aa:00:00:00:05): Class 3 frame received from nonassociated STA');
    expect(summarize(decodePacket(fromHex(`${hdr('a000')} 0800`), WLAN))).toBe('Disassociation: Disassociated because sending STA is leaving (or has left) BSS');
    // Action (02:aa:00:00:00:05): BA ADDBA Request
    const action = decodePacket(fromHex(`${hdr('d000')} 0300 01 0210 0000 1000`), WLAN);
    const a = action.layer<Ieee80211Mgmt>('wlan.mgt')!;
    expect([a.category, a.actionCode, a.elements.length]).toEqual([3, 0, 0]);
    expect(values(fromHex(`${hdr('d000')} 0300 01 0210 0000 1000`), WLAN, ['wlan.fixed.category_code', 'wlan.fixed.action_code'])).toEqual(['3', '0']);
    expect(summarize(action)).toBe('Action (02:aa:00:00:00:05): BA ADDBA Request');
  });

  it('stops at a malformed element as Wireshark does, keeping the elements before it', () => {
    // RSN element of 11 bytes whose counts overrun it: Wireshark reads the capabilities past its end.
    const beacon = fromHex(`8000 0000 ${'30'.repeat(18)} 3030 ${'30'.repeat(12)} 000161 30 0b ${'30'.repeat(11)} 0000`);
    const pkt = decodePacket(beacon, WLAN);
    expect(pkt.layer<Ieee80211Mgmt>('wlan.mgt')!.elements.map((e) => e.id)).toEqual([0, 48]);
    expect(pkt.failure?.layer).toBe('wlan.mgt');
    expect(values(beacon, WLAN, ['wlan.tag.number', 'wlan.ssid'])).toEqual(['0,48', '61']);
  });

  it('reports every truncation of a beacon, keeping what Wireshark shows at that length', () => {
    const frame = BEACON.subarray(15);
    for (const cut of prefixes(frame)) {
      const pkt = decodePacket(cut, WLAN);
      const w = pkt.layer<Ieee80211>('wlan');
      if (cut.length < 2) {
        expect(pkt.layers.map((l) => l.protocol)).toEqual(['_failure']);
        continue;
      }
      expect(w!.typeSubtype).toBe(0x08);
      expect(w!.ra).toBe(cut.length >= 10 ? 'ff:ff:ff:ff:ff:ff' : undefined);
      // The other addresses and the sequence number come with the whole 24-byte header.
      expect(w!.bssid).toBe(cut.length >= 24 ? '02:cc:00:00:00:01' : undefined);
      expect(w!.seq).toBe(cut.length >= 24 ? 100 : undefined);
      if (cut.length < 24) expect(pkt.failure?.layer).toBe('wlan');
      const m = pkt.layer<Ieee80211Mgmt>('wlan.mgt');
      if (cut.length > 24) {
        expect(m!.beaconInterval).toBe(cut.length >= 34 ? 100 : undefined);
        if (cut.length < 36) expect(pkt.failure?.layer).toBe('wlan.mgt');
        if (cut.length >= 38) expect(m!.elements[0]!.id).toBe(0);
      }
      expect(summarize(pkt)).toBeTypeOf('string');
    }
  });
});

describe('802.11 data frames', () => {
  it('names addresses by To DS and continues into LLC/SNAP, IPv4, UDP and DNS', () => {
    const pkt = decodePacket(DATA_TODS, RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap', 'wlan', 'llc', 'ip', 'udp', 'dns']);
    expect(values(DATA_TODS, RADIOTAP, ADDR)).toEqual(['0x0020', '1', '0', '02:cc:00:00:00:01', '02:aa:00:00:00:05', '02:aa:00:00:00:09', '02:aa:00:00:00:05', '02:cc:00:00:00:01', '1']);
  });

  it('skips the QoS control field before LLC and reads its TID', () => {
    const pkt = decodePacket(QOS_DATA, RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap', 'wlan', 'llc', 'ipv6', 'icmpv6']);
    const w = pkt.layer<Ieee80211>('wlan')!;
    expect([w.qos, w.tid, w.da]).toEqual([0x0006, 6, '33:33:00:00:00:01']);
  });

  it('stops at the CCMP header of a protected frame without guessing', () => {
    const pkt = decodePacket(PROTECTED, RADIOTAP);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['radiotap', 'wlan', 'data']);
    const w = pkt.layer<Ieee80211>('wlan')!;
    expect([w.isProtected, w.protection, w.seq]).toEqual([true, 'ccmp', 255]);
    expect(summarize(pkt)).toMatch(/Data CCMP$/);
  });

  it('names the four addresses of a WDS frame and has no BSSID', () => {
    // RA:02:bb:00:00:00:01 TA:02:bb:00:00:00:02 DA:02:aa:00:00:00:09 SA:02:aa:00:00:00:05, QoS + HT control
    const wds = fromHex('8883 0000 02bb00000001 02bb00000002 02aa00000009 0000 02aa00000005 0000 00000000 aaaa030000000806');
    expect(values(wds, WLAN, ADDR.slice(1))).toEqual(['1', '1', '02:bb:00:00:00:01', '02:bb:00:00:00:02', '02:aa:00:00:00:09', '02:aa:00:00:00:05', '', '0']);
    const w = decodePacket(wds, WLAN).layer<Ieee80211>('wlan')!;
    expect([w.htc, w.header.length]).toEqual([0, 36]);
  });

  it('reads no body from a null function frame or a later fragment', () => {
    const nul = decodePacket(fromHex('4801 0000 02cc00000001 02aa00000005 02cc00000001 0000'), WLAN);
    expect(nul.layers.map((l) => l.protocol)).toEqual(['wlan']);
    expect(nul.layer<Ieee80211>('wlan')!.isNull).toBe(true);
    const frag = decodePacket(fromHex('0800 0000 02cc00000001 02aa00000005 02cc00000001 0100 aaaa030000000800'), WLAN);
    expect(frag.layers.map((l) => l.protocol)).toEqual(['wlan', 'data']);
  });

  it('skips an 802.11s mesh control field (with its address extension) before LLC', () => {
    // Mesh data, 4 addresses, QoS with mesh control present; mesh flags AE=2 (addresses 5 and 6).
    const mesh = fromHex('8803 0000 0a0000000001 0b0000000002 0c0000000003 2000 0d0000000004 0001 021f01000000 0d0000000004 0a0000000001 aaaa030000000800 450000140000000040000000c0a80001c0a80002');
    const pkt = decodePacket(mesh, WLAN);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['wlan', 'llc', 'ip']);
    expect(pkt.layer<Ieee80211>('wlan')!.meshControl).toEqual({ flags: 2, ttl: 0x1f, seq: 1, addresses: ['0d:00:00:00:00:04', '0a:00:00:00:00:01'] });
    // The mesh control field belongs to the 802.11 header: the payload starts with LLC.
    const w = pkt.layer<Ieee80211>('wlan')!;
    expect([w.header.length, w.payload.subarray(0, 3)]).toEqual([32 + 18, fromHex('aaaa03')]);
    // A reserved address extension mode (3) means no mesh control, as in Wireshark.
    const reserved = mesh.slice();
    reserved[32] = 0x03;
    expect(decodePacket(reserved, WLAN).layer<Ieee80211>('wlan')!.meshControl).toBeUndefined();
  });

  it('reads the first subframe of an A-MSDU', () => {
    const amsdu = fromHex('8800 0000 0a0000000001 0b0000000002 0c0000000003 2000 8500 0d0000000004 0a0000000001 000a aaaa0300000008004500 0c0000000003 0b0000000002 0008 aaaa030000000806');
    const w = decodePacket(amsdu, WLAN).layer<Ieee80211>('wlan')!;
    expect(w.amsdu!.map((s) => s.da)).toEqual(['0d:00:00:00:00:04', '0c:00:00:00:00:03']);
    // The header is the MAC header alone; the payload carried on is the first MSDU.
    expect(w.header.length).toBe(26);
    expect(w.payload).toEqual(fromHex('aaaa0300000008004500'));
    expect(values(amsdu, WLAN, ['wlan.da', 'llc.type'])).toEqual(['0a:00:00:00:00:01,0d:00:00:00:00:04,0c:00:00:00:00:03', '0x0800']);
  });

  it('shows nothing of a QoS frame before its QoS control field, as Wireshark', () => {
    for (const cut of prefixes(QOS_DATA.subarray(8))) {
      const pkt = decodePacket(cut, WLAN);
      if (cut.length < 26) expect(pkt.layers.map((l) => l.protocol)).toEqual(['_failure']);
      else expect(pkt.layer<Ieee80211>('wlan')!.tid).toBe(6);
    }
  });
});

describe('802.11 control frames', () => {
  it('decodes RTS, CTS, ACK, PS-Poll, BA and BAR with their tcpdump lines', () => {
    expect(summarize(decodePacket(RTS, RADIOTAP))).toBe('5745 MHz 11n 65.0 Mb/s MCS 7 20 MHz long GI Request-To-Send TA:02:aa:00:00:00:05');
    expect(summarize(decodePacket(CTS, RADIOTAP))).toBe('1us tsft Clear-To-Send RA:02:aa:00:00:00:05');
    expect(summarize(decodePacket(ACK, RADIOTAP))).toBe('Acknowledgment RA:02:aa:00:00:00:05');
    expect(summarize(decodePacket(PS_POLL, RADIOTAP))).toBe('bad-fcs 1.0 Mb/s 2412 MHz 11b Power Save-Poll AID(1c0)');
    expect(summarize(decodePacket(BA, RADIOTAP))).toBe('1.0 Mb/s 2412 MHz 11b -40dBm signal BA RA:02:aa:00:00:00:05');
    expect(summarize(decodePacket(BAR, RADIOTAP))).toBe('123456789us tsft 5.5 Mb/s 2437 MHz 11b -85dBm signal BAR RA:02:aa:00:00:00:05 TA:02:cc:00:00:00:01 CTL(4) SEQ(16)');
    expect(values(RTS, RADIOTAP, ADDR)).toEqual(['0x001b', '0', '0', '02:cc:00:00:00:01', '02:aa:00:00:00:05', '', '', '', '']);
    expect(values(CTS, RADIOTAP, ADDR)).toEqual(['0x001c', '0', '0', '02:aa:00:00:00:05', '', '', '', '', '']);
    expect(values(PS_POLL, RADIOTAP, ADDR)).toEqual(['0x001a', '0', '0', '02:cc:00:00:00:01', '02:aa:00:00:00:05', '', '', '02:cc:00:00:00:01', '']);
    // The PS-Poll's FCS (deadbeef) is taken off; the BA bitmap stays in the header.
    expect(decodePacket(PS_POLL, RADIOTAP).layer<Ieee80211>('wlan')!.fcs).toEqual(fromHex('deadbeef'));
    expect(decodePacket(BA, RADIOTAP).layer<Ieee80211>('wlan')!.blockAckControl).toBe(5);
  });

  it('names CF-End addresses and reads the frame a control wrapper carries', () => {
    expect(values(fromHex('e400 0000 ffffffffffff 02cc00000001'), WLAN, ['wlan.ra', 'wlan.ta', 'wlan.bssid'])).toEqual(['ff:ff:ff:ff:ff:ff', '', '02:cc:00:00:00:01']);
    // Control wrapper carrying an RTS: RA, carried frame control, HT control, then the RTS's TA.
    const wrapper = fromHex('7400 0000 0a0000000001 b400 00000000 0b0000000002');
    expect(values(wrapper, WLAN, ['wlan.fc.type_subtype', 'wlan.ra', 'wlan.ta'])).toEqual(['0x0017,0x001b', '0a:00:00:00:00:01', '0b:00:00:00:00:02']);
  });

  it('shows what each truncation of an RTS allows', () => {
    const rts = RTS.subarray(15);
    for (const cut of prefixes(rts)) {
      const pkt = decodePacket(cut, WLAN);
      const w = pkt.layer<Ieee80211>('wlan');
      if (cut.length < 2) {
        expect(w).toBeUndefined();
        continue;
      }
      expect(w!.ra).toBe(cut.length >= 10 ? '02:cc:00:00:00:01' : undefined);
      expect(w!.ta).toBeUndefined();
      expect(pkt.failure?.layer).toBe('wlan');
    }
  });
});

describe('802.11 protocol version 1', () => {
  it('reads the addresses and sequence number of a PV1 QoS data frame', () => {
    // PV1 QoS Data with one SID, A3 present (from tcpdump's ieee802.11_rates_oobr test)
    const pv1 = fromHex('8130 303030303030 3030 3030 303030303030');
    expect(values(pv1, WLAN, ['wlan.fc.type_subtype', 'wlan.ra', 'wlan.da', 'wlan.seq'])).toEqual(['', '30:30:30:30:30:30', '30:30:30:30:30:30', '771']);
  });
});
