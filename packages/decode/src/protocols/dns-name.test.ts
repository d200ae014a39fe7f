import { describe, expect, it } from 'vitest';
import { fromHex } from '../test/hex.js';
import { asciiText, DnsBounds, escapeFieldText, formatNameText, readName } from './dns-name.js';

// Every expectation here is what tshark 4.0.17 showed for the same bytes.
const HEADER = '123481800001000000000000';
const at12 = (hex: string) => readName(fromHex(HEADER + hex), 12);

describe('readName', () => {
  it('reads labels, the root, and a pointer to the root', () => {
    expect(at12('03777777076578616d706c6500')).toEqual({ text: 'www.example', length: 13 });
    expect(at12('00')).toEqual({ text: '<Root>', length: 1 });
    expect(at12('c00e 00')).toEqual({ text: '<Root>', length: 2 });
  });

  it('counts the bytes of a compressed name up to its first pointer', () => {
    const msg = fromHex(HEADER + '016100 0162c00c');
    expect(readName(msg, 15)).toEqual({ text: 'b.a', length: 4 });
  });

  it('throws where tshark gives up: past the end, label type 0x80, unknown extended label first', () => {
    for (const hex of ['03777777', 'c0', '8161 00', '4261 00']) expect(() => at12(hex)).toThrow(DnsBounds);
    expect(at12('0161 4200')).toMatchObject({ text: '<Unknown extended label>', length: 3 });
  });

  it('ends a too-long name at a label that overruns the message instead of spinning', () => {
    const label63 = '3f' + '61'.repeat(63);
    expect(at12(label63.repeat(4) + '00')).toMatchObject({ text: '<Name too long>', length: 257 });
    expect(() => at12(label63.repeat(4) + '056162')).toThrow(DnsBounds);
    expect(() => at12(label63.repeat(4) + '0161'.repeat(20) + '3f61')).toThrow(DnsBounds);
    // Every cut of a long name ends, with a name or with DnsBounds.
    const whole = fromHex(HEADER + label63.repeat(4) + '0162'.repeat(30) + 'c00c');
    for (let n = 12; n <= whole.length; n++) {
      const cut = whole.subarray(0, n);
      const r = (() => {
        try {
          return readName(cut, 12).text;
        } catch (e) {
          return e instanceof DnsBounds ? 'bounds' : 'other';
        }
      })();
      expect(r).toBe(n === whole.length ? '<Name contains a pointer that loops>' : 'bounds');
    }
  });

  it('shows only the bytes counted before a bitstring label, as tshark 4.0 does', () => {
    expect(at12('0161 4108ab 00').text).toBe('a');
    expect(at12('4110abcd 0162 00').text).toBe('\\[');
    expect(() => at12('4108ab 00')).toThrow(DnsBounds);
  });
});

describe('name and string text', () => {
  const t = (hex: string) => formatNameText(fromHex(hex));
  it('escapes control bytes in C or octal style and keeps printable UTF-8', () => {
    expect(t('0907080c0b0a0d')).toBe('\\t\\a\\b\\f\\v\\n\\r');
    expect(t('011b7f5c22')).toBe('\\001\\033\\177\\"');
    expect(t('c3a9 e282ac c2a0')).toBe('\u00e9\u20ac\u00a0');
  });

  it('decodes overlong forms, escapes unprintable code points, and replaces the invalid', () => {
    expect(t('61c08061')).toBe('a\\u0000a');
    expect(t('e2808b efbfbe')).toBe('\\u200B\\uFFFE');
    expect(t('eda080 f4908080 80 c3 fe')).toBe('\ufffd\ufffd\ufffd\ufffd\ufffd');
    expect(t('f8b070')).toBe('\ufffdp');
  });

  it('reads character-strings as ASCII cut at NUL', () => {
    expect(asciiText(fromHex('61 09 80 c3a9 00 62'))).toBe('a\t\ufffd\ufffd\ufffd');
    expect(escapeFieldText('a\tb\nc\rd\be\ff\vg\u0001')).toBe('a\\tb\\nc\\rd\\be\\ff\vg\u0001');
  });
});
