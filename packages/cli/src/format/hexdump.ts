/** tcpdump `-x` style: offset, then 16 bytes as eight 16-bit groups, one line per 16 bytes. */
export function hexDump(bytes: Uint8Array, indent = '\t'): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    let groups = '';
    for (let i = off; i < Math.min(off + 16, bytes.length); i += 2) {
      const hi = bytes[i]!.toString(16).padStart(2, '0');
      const lo = i + 1 < bytes.length ? bytes[i + 1]!.toString(16).padStart(2, '0') : '';
      groups += ` ${hi}${lo}`;
    }
    lines.push(`${indent}0x${off.toString(16).padStart(4, '0')}: ${groups}`);
  }
  return lines.join('\n');
}
