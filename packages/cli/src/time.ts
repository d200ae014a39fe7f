import type { TextBuffer } from '@pcap/decode';

let lastSeconds = NaN;
let lastPrefix = '';
// The same as bytes, which a buffer copies faster than a string's characters.
let lastPrefixBytes = new Uint8Array(0);
const encoder = new TextEncoder();

// 000 to 999: microseconds are printed as two of these.
const THREE_DIGITS: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `HH:MM:SS.uuuuuu` in local time, as tcpdump prints packet times. */
export function clockTime(seconds: number, nanoseconds: number): string {
  const micros = Math.floor(nanoseconds / 1000) % 1_000_000;
  const prefix = secondText(seconds);
  if (micros >= 0) {
    const high = Math.floor(micros / 1000);
    return prefix + THREE_DIGITS[high]! + THREE_DIGITS[micros - high * 1000]!;
  }
  return prefix + String(micros).padStart(6, '0');
}

/** `clockTime` written as bytes into `out`. */
export function writeClockTime(out: TextBuffer, seconds: number, nanoseconds: number): void {
  const micros = Math.floor(nanoseconds / 1000) % 1_000_000;
  secondText(seconds);
  out.bytes(lastPrefixBytes);
  if (micros >= 0) out.decimal(micros, 6);
  else out.text(String(micros).padStart(6, '0'));
}

/** `HH:MM:SS.` of `seconds` in local time. */
function secondText(seconds: number): string {
  // Packets come many to a second: the local-time part is worked out once per second.
  if (seconds !== lastSeconds) {
    const d = new Date(seconds * 1000);
    const p2 = (n: number): string => String(n).padStart(2, '0');
    lastSeconds = seconds;
    lastPrefix = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.`;
    lastPrefixBytes = encoder.encode(lastPrefix);
  }
  return lastPrefix;
}
