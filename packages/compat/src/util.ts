/** Byte-to-text tables: decimal, two-digit lowercase hex and unpadded hex, indexed 0..255. */
const int8_to_dec: string[] = [];
const int8_to_hex: string[] = [];
const int8_to_hex_nopad: string[] = [];
for (let i = 0; i < 256; i++) {
  int8_to_dec.push(String(i));
  int8_to_hex.push(i.toString(16).padStart(2, '0'));
  int8_to_hex_nopad.push(i.toString(16));
}

export { int8_to_dec, int8_to_hex, int8_to_hex_nopad };
