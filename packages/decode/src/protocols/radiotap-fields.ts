/**
 * The radiotap field table (radiotap.org "defined fields") and the rate arithmetic that
 * Wireshark applies to it.
 */

/** Presence bit numbers of the standard radiotap namespace. */
export const RadiotapBit = {
  TSFT: 0,
  FLAGS: 1,
  RATE: 2,
  CHANNEL: 3,
  FHSS: 4,
  DBM_ANTSIGNAL: 5,
  DBM_ANTNOISE: 6,
  LOCK_QUALITY: 7,
  TX_ATTENUATION: 8,
  DB_TX_ATTENUATION: 9,
  DBM_TX_POWER: 10,
  ANTENNA: 11,
  DB_ANTSIGNAL: 12,
  DB_ANTNOISE: 13,
  RX_FLAGS: 14,
  TX_FLAGS: 15,
  RTS_RETRIES: 16,
  DATA_RETRIES: 17,
  XCHANNEL: 18,
  MCS: 19,
  AMPDU_STATUS: 20,
  VHT: 21,
  TIMESTAMP: 22,
  HE: 23,
  HE_MU: 24,
  HE_MU_OTHER_USER: 25,
  ZERO_LENGTH_PSDU: 26,
  L_SIG: 27,
  TLV: 28,
  RADIOTAP_NAMESPACE: 29,
  VENDOR_NAMESPACE: 30,
  EXT: 31,
} as const;

/** Bits of the Flags field. */
export const RadiotapFlags = {
  CFP: 0x01,
  SHORT_PREAMBLE: 0x02,
  WEP: 0x04,
  FRAGMENTATION: 0x08,
  /** The frame ends with its 4-byte FCS. */
  FCS: 0x10,
  /** Padding between the 802.11 header and payload (to a 32-bit boundary). */
  DATA_PAD: 0x20,
  BAD_FCS: 0x40,
  SHORT_GI: 0x80,
} as const;

/**
 * Alignment and size of each field, by bit. Alignment is counted from the start of the
 * radiotap header. A zero alignment marks a bit with no defined layout (HE-MU-other-user,
 * which Wireshark 4.0 cannot step over); bits past the table (TLV and beyond) end the walk.
 */
export const FIELD_LAYOUT: ReadonlyArray<readonly [align: number, size: number]> = [
  [8, 8], // 0 TSFT
  [1, 1], // 1 Flags
  [1, 1], // 2 Rate
  [2, 4], // 3 Channel: frequency, flags
  [2, 2], // 4 FHSS: hop set, hop pattern
  [1, 1], // 5 dBm antenna signal
  [1, 1], // 6 dBm antenna noise
  [2, 2], // 7 Lock quality
  [2, 2], // 8 TX attenuation
  [2, 2], // 9 dB TX attenuation
  [1, 1], // 10 dBm TX power
  [1, 1], // 11 Antenna
  [1, 1], // 12 dB antenna signal
  [1, 1], // 13 dB antenna noise
  [2, 2], // 14 RX flags
  [2, 2], // 15 TX flags
  [1, 1], // 16 RTS retries
  [1, 1], // 17 data retries
  [4, 8], // 18 XChannel: flags, frequency, channel, max power
  [1, 3], // 19 MCS: known, flags, index
  [4, 8], // 20 A-MPDU status: reference, flags, delimiter CRC, reserved
  [2, 12], // 21 VHT
  [8, 12], // 22 timestamp
  [2, 12], // 23 HE
  [2, 12], // 24 HE-MU
  [0, 0], // 25 HE-MU-other-user
  [1, 1], // 26 0-length PSDU
  [2, 4], // 27 L-SIG
];

/** Data bits per OFDM symbol on a 20 MHz channel, by HT MCS index (0-76). */
const HT_DBPS: readonly number[] = [
  26, 52, 78, 104, 156, 208, 234, 260, 52, 104, 156, 208, 312, 416, 468, 520, 78, 156, 234, 312, 468, 624, 702, 780, 104,
  208, 312, 416, 624, 832, 936, 1040, 12, 156, 208, 260, 234, 312, 390, 208, 260, 260, 312, 364, 364, 416, 312, 390, 390,
  468, 546, 546, 624, 260, 312, 364, 312, 364, 416, 468, 416, 468, 520, 520, 572, 390, 468, 546, 468, 546, 624, 702, 624,
  702, 780, 780, 858,
];

const f = Math.fround;

/**
 * HT data rate in Mb/s for an MCS index, 40 MHz or not, short guard interval or not,
 * computed in single precision as Wireshark does; undefined past MCS 76.
 */
export function htRate(mcs: number, bw40: boolean, shortGi: boolean): number | undefined {
  const dbps = HT_DBPS[mcs];
  if (dbps === undefined) return undefined;
  return f(f(f(dbps * (bw40 ? 108 : 52)) / 52) / f(shortGi ? 3.6 : 4.0));
}

/** VHT data rates (Mb/s, one spatial stream) by MCS 0-9, bandwidth index (20/40/80/160) and GI. */
const VHT_RATES: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[6.5, 7.2], [13.5, 15], [29.3, 32.5], [58.5, 65]],
  [[13, 14.4], [27, 30], [58.5, 65], [117, 130]],
  [[19.5, 21.7], [40.5, 45], [87.8, 97.5], [175.5, 195]],
  [[26, 28.9], [54, 60], [117, 130], [234, 260]],
  [[39, 43.3], [81, 90], [175.5, 195], [351, 390]],
  [[52, 57.8], [108, 120], [234, 260], [468, 520]],
  [[58.5, 65], [121.5, 135], [263.3, 292.5], [526.5, 585]],
  [[65, 72.2], [135, 150], [292.5, 325], [585, 650]],
  [[78, 86.7], [162, 180], [351, 390], [702, 780]],
  [[86.7, 96.3], [180, 200], [390, 433.3], [780, 866.7]],
];

/** Radiotap VHT bandwidth code (0-25) to 0 = 20, 1 = 40, 2 = 80, 3 = 160 MHz of the rate table. */
const VHT_BW_INDEX: readonly number[] = [0, 1, 0, 0, 2, 1, 1, 0, 0, 0, 0, 3, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];

/** MCS/bandwidth/NSS combinations the VHT PHY does not define (MCS 9 on 20 MHz, ...). */
const VHT_INVALID = new Set(['9/0/1', '9/0/2', '9/0/4', '9/0/5', '9/0/7', '9/0/8', '6/2/3', '6/2/7', '9/2/6', '9/3/3']);

/** VHT per-user data rate in Mb/s (Wireshark's `radiotap.vht.datarate.N`), or undefined when unknown. */
export function vhtRate(mcs: number, nss: number, bwCode: number, shortGi: boolean): number | undefined {
  const row = VHT_RATES[mcs];
  const bw = VHT_BW_INDEX[bwCode];
  if (!row || bw === undefined || nss === 0 || nss > 8) return undefined;
  if (VHT_INVALID.has(`${mcs}/${bw}/${nss}`)) return undefined;
  return f(f(row[bw]![shortGi ? 1 : 0]) * nss);
}

/** A number as C's `%g` prints it (six significant digits, trailing zeros dropped). */
export function formatG(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let s = x.toPrecision(6);
  // toPrecision may round up into the next decade (999999.5 -> 1.00000e+6); re-read the exponent.
  const e = s.includes('e') ? Number(s.slice(s.indexOf('e') + 1)) : exp;
  if (e < -4 || e >= 6) {
    let [m, ex] = x.toExponential(5).split('e') as [string, string];
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const n = Number(ex);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  s = x.toFixed(Math.max(0, 5 - e));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}
