/**
 * Byte readers and the address/number formats shared by every protocol.
 * Readers never check bounds: decoders check lengths once per header instead.
 */

export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

export function u16le(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

export function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + ((b[o + 3]! << 24) >>> 0);
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** `aa:bb:cc:dd:ee:ff`, lowercase, of six bytes at `o`. */
export function macAt(b: Uint8Array, o: number): string {
  return `${HEX[b[o]!]}:${HEX[b[o + 1]!]}:${HEX[b[o + 2]!]}:${HEX[b[o + 3]!]}:${HEX[b[o + 4]!]}:${HEX[b[o + 5]!]}`;
}

/** Dotted quad of four bytes at `o`. */
export function ipv4At(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text of sixteen bytes at `o`: lowercase, longest zero run (of two or more) as `::`, v4-mapped and v4-compatible as dotted quad. */
export function ipv6At(b: Uint8Array, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(u16(b, o + i * 2));
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${ipv4At(b, o + 12)}`;
  }
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const part = (from: number, to: number): string =>
    w
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  if (bestAt < 0) return part(0, 8);
  // An IPv4-compatible address (six zero words, then a non-zero seventh) prints its last
  // 32 bits as a dotted quad, as inet_ntop and Wireshark do: `::16.0.0.1`.
  if (bestAt === 0 && bestLen === 6) return `::${ipv4At(b, o + 12)}`;
  return `${part(0, bestAt)}::${part(bestAt + bestLen, 8)}`;
}

/** Lowercase hex of bytes with no separators. */
export function hexBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

/** `0x` + lowercase hex zero-padded to `digits`, as tshark prints BASE_HEX fields. */
export function hex(n: number, digits: number): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}
