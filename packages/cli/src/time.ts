/** `HH:MM:SS.uuuuuu` in local time, as tcpdump prints packet times. */
export function clockTime(seconds: number, nanoseconds: number): string {
  const d = new Date(seconds * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const micros = Math.floor(nanoseconds / 1000) % 1_000_000;
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(micros).padStart(6, '0')}`;
}
