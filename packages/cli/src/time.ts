let lastSeconds = NaN;
let lastPrefix = '';

// 000 to 999: microseconds are printed as two of these.
const THREE_DIGITS: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `HH:MM:SS.uuuuuu` in local time, as tcpdump prints packet times. */
export function clockTime(seconds: number, nanoseconds: number): string {
  // Packets come many to a second: the local-time part is worked out once per second.
  if (seconds !== lastSeconds) {
    const d = new Date(seconds * 1000);
    const p2 = (n: number): string => String(n).padStart(2, '0');
    lastSeconds = seconds;
    lastPrefix = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.`;
  }
  const micros = Math.floor(nanoseconds / 1000) % 1_000_000;
  if (micros >= 0) {
    const high = Math.floor(micros / 1000);
    return lastPrefix + THREE_DIGITS[high]! + THREE_DIGITS[micros - high * 1000]!;
  }
  return lastPrefix + String(micros).padStart(6, '0');
}
