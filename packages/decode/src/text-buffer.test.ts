import { describe, expect, it } from 'vitest';
import { FieldSelector, layerFields } from './fields.js';
import { decodePacket } from './packet.js';
import { parseCapture } from './capture/read.js';
import { pcapFile } from './capture/fixture-bytes.js';
import { TextBuffer } from './text-buffer.js';
import { fromHex } from './test/hex.js';

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

describe('TextBuffer', () => {
  it('writes text as UTF-8 exactly as Buffer.from does, short and long, lone surrogates included', () => {
    const samples = ['', 'a', '10.0.0.1', 'é', 'naïve café', '☃ snow', '𝄞 clef', 'x\uD800y', '\uDC00', 'tail \uD83D', 'ok'.repeat(40) + 'ü' + 'z'.repeat(30)];
    const out = new TextBuffer(4);
    let expected = '';
    for (const s of samples) {
      out.text(s);
      out.byte(0x7c);
      expected += `${s}|`;
    }
    const got = out.take();
    expect(Buffer.compare(Buffer.from(got), Buffer.from(expected))).toBe(0);
  });

  it('writes every number as String(n) does', () => {
    const numbers = [0, -0, 1, 9, 10, 99, 100, 65535, 2147483647, 2147483648, 3000000005, 4294967295, 2 ** 32, 1e12, 1e15 + 7, Number.MAX_SAFE_INTEGER, 2 ** 53, -1, -65536, 0.5, 1e21, 1.5e-7, NaN, Infinity, -Infinity];
    // Each side of every power of ten: where the count of digits changes.
    for (let p = 10; p <= 1e15; p *= 10) numbers.push(p - 1, p);
    const out = new TextBuffer(1);
    for (const n of numbers) {
      out.decimal(n);
      out.byte(0x20);
    }
    expect(utf8(out.take())).toBe(numbers.map((n) => `${String(n)} `).join(''));
  });

  it('writes every integer below 100000 as String(n) does', () => {
    // These take a path of their own, by the number of digits.
    const out = new TextBuffer(1);
    let want = '';
    for (let n = 0; n <= 100000; n++) {
      out.decimal(n);
      out.byte(0x20);
      want += `${n} `;
    }
    expect(utf8(out.take())).toBe(want);
  });

  it('pads numbers with zeros to the width asked for, and never cuts one', () => {
    const out = new TextBuffer();
    for (const n of [0, 7, 123456, 999999999, 1234567890]) {
      out.decimal(n, 9);
      out.byte(0x2c);
    }
    out.decimal(5, 2);
    out.byte(0x2c);
    out.decimal(-3, 3);
    out.byte(0x2c);
    out.decimal(1.5, 4);
    expect(utf8(out.take())).toBe('000000000,000000007,000123456,999999999,1234567890,05,-3,1.5');
  });

  it('keeps the order of long strings, short strings, bytes and numbers', () => {
    const out = new TextBuffer(8);
    const long = 'L'.repeat(100);
    out.line(long);
    out.text('s');
    out.decimal(42);
    out.text(long);
    out.bytes(Uint8Array.of(0x41, 0x42));
    out.line('end');
    expect(utf8(out.take())).toBe(`${long}\ns42${long}ABend\n`);
  });

  it('counts the bytes written exactly, text waiting to be encoded and characters beyond ASCII included', () => {
    const out = new TextBuffer(8);
    const long = `café ${'L'.repeat(40)}`;
    out.text(long);
    // Long text waits to be encoded; `length` is only a lower bound until then.
    expect(out.length).toBe(long.length);
    expect(out.byteLength).toBe(Buffer.byteLength(long));
    out.text('☕');
    expect(out.byteLength).toBe(Buffer.byteLength(`${long}☕`));
    expect(out.contents().length).toBe(out.byteLength);
  });

  it('hands over what was written and starts again empty, the bytes handed over left as they are', () => {
    const out = new TextBuffer(16);
    out.text('first');
    const a = out.take();
    out.text('second, and longer than the first buffer was');
    const b = out.take();
    expect(utf8(a)).toBe('first');
    expect(utf8(b)).toBe('second, and longer than the first buffer was');
    expect(out.length).toBe(0);
    out.text('x');
    out.clear();
    expect(utf8(out.take())).toBe('');
  });

  it('grows past its first size for one large line (a long DNS answer, a hex dump)', () => {
    const out = new TextBuffer(1);
    const big = 'é'.repeat(100_000);
    out.line(big);
    expect(utf8(out.take())).toBe(`${big}\n`);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new TextBuffer(0)).toThrow(RangeError);
    expect(() => new TextBuffer(1.5)).toThrow(/TextBuffer/);
    expect(() => new TextBuffer('big' as never)).toThrow(TypeError);
  });
});

// An Ethernet/IPv4/UDP/DNS query for www.example.com.
const DNS = fromHex(`
  020000000002 020000000001 0800
  4500003d 00010000 4011f6b2 c0000201 c0000202
  d431 0035 0029 0000
  1230 0100 0001 0000 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001
`);

function capture(...packets: Uint8Array[]): Uint8Array {
  return pcapFile('le', 0xa1b23c4d, 1, packets.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 5 + i, data, orig: DNS.length })));
}

describe('FieldSelector.writeLine', () => {
  it("writes what line() makes, with its newline, for every field, any separator", () => {
    const names = ['frame.number', 'frame.time_epoch', 'frame.len', 'ip.src', 'ip.dst', 'ip.proto', 'udp.srcport', 'dns.qry.name', 'tcp.srcport', 'eth.type'];
    const sel = new FieldSelector(names);
    for (const separator of ['\t', ',', ' | ', '→']) {
      const out = new TextBuffer(8);
      let expected = '';
      for (const r of parseCapture(capture(DNS, DNS.subarray(0, 40)))) {
        const p = decodePacket(r.data, r.linkType, { originalLength: r.originalLength });
        expected += `${sel.line(r, p, separator)}\n`;
        sel.writeLine(r, p, out, separator);
      }
      expect(utf8(out.take())).toBe(expected);
      expect(expected).toContain('www.example.com');
    }
  });

  it('names what is wrong with its arguments', () => {
    const sel = new FieldSelector(['ip.src']);
    const [r] = [...parseCapture(capture(DNS))];
    const p = decodePacket(r!.data, r!.linkType);
    expect(() => sel.writeLine(r!, p, {} as never)).toThrow(/writeLine.*out.*TextBuffer/s);
    expect(() => sel.writeLine(r!, p, new TextBuffer(), 9 as never)).toThrow(/separator/);
  });
});

describe('layerFields', () => {
  it("gives one layer's fields as strings, numbers included, in the protocol's order", () => {
    const pkt = decodePacket(DNS, 1);
    const udp = layerFields(pkt, 2);
    expect(udp).toEqual({ 'udp.srcport': '54321', 'udp.dstport': '53', 'udp.port': ['54321', '53'], 'udp.length': '41', 'udp.checksum': '0x0000' });
    expect(Object.keys(layerFields(pkt, 1))[0]).toBe('ip.version');
    expect(() => layerFields(pkt, 9)).toThrow(RangeError);
    expect(() => layerFields({} as never, 0)).toThrow(TypeError);
  });
});

describe('TextBuffer.bytes', () => {
  it('appends a range of bytes, short ones and long ones', () => {
    const src = Uint8Array.from({ length: 300 }, (_, i) => 0x41 + (i % 26));
    const out = new TextBuffer(4);
    out.bytes(src, 2, 5);
    out.bytes(src, 10, 10);
    out.bytes(src, 0, 200);
    out.bytes(src.subarray(0, 3));
    expect(utf8(out.take())).toBe(utf8(src.subarray(2, 5)) + utf8(src.subarray(0, 200)) + 'ABC');
  });
});

describe('TextBuffer.recycle', () => {
  it('fills a buffer given back again, and never one still handed out', () => {
    const out = new TextBuffer(16);
    out.text('first');
    const a = out.take();
    out.text('second');
    const b = out.take();
    // `a` is written: given back, the next buffer after the one in use is its memory.
    out.recycle(a);
    out.text('third');
    const c = out.take();
    out.text('fourth');
    const d = out.take();
    expect(utf8(b)).toBe('second');
    expect(utf8(c)).toBe('third');
    expect(utf8(d)).toBe('fourth');
    expect(d.buffer).toBe(a.buffer);
    expect([c.buffer, d.buffer]).not.toContain(b.buffer);
    // What is not the buffer's own (another size, a view into the middle) is not kept.
    out.recycle(new Uint8Array(8));
    out.recycle(new Uint8Array(32).subarray(16));
    out.text('fifth');
    const e = out.take();
    out.text('sixth');
    expect(out.take().byteLength).toBe(5);
    expect(utf8(e)).toBe('fifth');
  });
});
