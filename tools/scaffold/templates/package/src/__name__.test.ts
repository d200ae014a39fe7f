import {
  DecodeFailure,
  FieldSelector,
  Registry,
  UnknownFieldError,
  decodePacket,
  defaultRegistry,
  registerBuiltins,
  summarize,
  type CaptureRecord,
} from '@pcap/decode';
import { describe, expect, it } from 'vitest';
import { __camel__, register__Name__, type __Name__ } from './index.js';

/** Bytes from hex; whitespace is ignored so that a packet can be laid out one header a line. */
function fromHex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

// TODO(__name__): replace with a captured packet of the real protocol (`tcpdump -xx`, or
// Wireshark's "Copy as Hex Stream") and the line tcpdump prints for it.
//
// __tcpdump__
const FRAME = fromHex(`
  __frame_hex__`); // the example message: type 1, length 8, body "ping"

/** Where the __LABEL__ message starts in FRAME, and the layers before it. */
const AT = __offset__;
const LOWER = [__lower__];

const LINKTYPE_ETHERNET = 1;

/** The built-in protocols plus this package's rows, apart from the default registry. */
function registry(): Registry {
  return register__Name__(registerBuiltins(new Registry()));
}

function record(data: Uint8Array): CaptureRecord {
  const n = data.length;
  return { seconds: 0, nanoseconds: 0, capturedLength: n, originalLength: n, linkType: LINKTYPE_ETHERNET, interfaceId: undefined, data, number: 1 };
}

describe('__abbrev__', () => {
  it('decodes the example message after the layers that carry it', () => {
    const pkt = decodePacket(FRAME, LINKTYPE_ETHERNET, { registry: registry() });
    expect(pkt.layers.map((l) => l.protocol)).toEqual([...LOWER, '__abbrev__', 'data']);
    const m = pkt.layer<__Name__>('__abbrev__')!;
    expect([m.offset, m.type, m.length, m.truncated, m.missing]).toEqual([AT, 1, 8, false, 0]);
    expect(Buffer.from(m.payload).toString('latin1')).toBe('ping');
    // Views of the packet bytes, not copies.
    expect(m.header.buffer).toBe(FRAME.buffer);
    expect([m.header.byteOffset, m.payload.byteOffset]).toEqual([FRAME.byteOffset + AT, FRAME.byteOffset + AT + 4]);
  });

  it('gives its fields by Wireshark name, as tshark prints them', () => {
    const r = registry();
    const sel = new FieldSelector(['__abbrev__.type', '__abbrev__.length'], r);
    expect(sel.values(record(FRAME), decodePacket(FRAME, LINKTYPE_ETHERNET, { registry: r }))).toEqual(['1', '8']);
    // A packet that does not carry the protocol has the fields empty, as in tshark.
    const other = FRAME.subarray(0, AT);
    expect(sel.values(record(other), decodePacket(other, LINKTYPE_ETHERNET, { registry: r }))).toEqual(['', '']);
  });

  it('summarises the packet in a tcpdump-like line', () => {
    const r = registry();
    expect(summarize(decodePacket(FRAME, LINKTYPE_ETHERNET, { registry: r }), r)).toBe('__summary__');
  });

  it('registers its table row and fields, nothing else', () => {
    const r = registerBuiltins(new Registry());
    const fieldsBefore = r.fieldNames();
    expect(() => new FieldSelector(['__abbrev__.type'], r)).toThrow(UnknownFieldError);
    expect(register__Name__(r)).toBe(r);
    expect(r.lookup('__table__', __key__)).toBe(__camel__);
    expect(r.fieldNames().filter((f) => !fieldsBefore.includes(f))).toEqual(['__abbrev__.length', '__abbrev__.type']);
  });

  it('stops with a failure or a truncated layer at every truncation, never throwing', () => {
    const r = registry();
    for (let n = 0; n < FRAME.length; n++) {
      const pkt = decodePacket(FRAME.subarray(0, n), LINKTYPE_ETHERNET, { registry: r });
      const names = pkt.layers.map((l) => l.protocol);
      if (n <= AT) {
        // No byte of the message was captured: the layers below end the packet.
        expect(names).not.toContain('__abbrev__');
        expect(pkt.failure?.layer).not.toBe('__abbrev__');
        continue;
      }
      if (n < AT + 4) {
        // Part of the header: a failure saying what was needed and what was there.
        expect(names).toEqual([...LOWER, '_failure']);
        const f = pkt.failure!;
        expect(f).toBeInstanceOf(DecodeFailure);
        expect([f.layer, f.offset, f.required, f.actual, f.reason]).toEqual(['__abbrev__', AT, 4, n - AT, 'minimum header']);
        expect(summarize(pkt, r)).toMatch(/ \[\|__abbrev__\]$/);
        continue;
      }
      // The header is whole and the body cut short: decoded, and marked truncated.
      expect(names).toEqual(n === AT + 4 ? [...LOWER, '__abbrev__'] : [...LOWER, '__abbrev__', 'data']);
      const m = pkt.layer<__Name__>('__abbrev__')!;
      expect([m.truncated, m.missing, m.payload.length]).toEqual([true, FRAME.length - n, n - AT - 4]);
    }
  });

  it('keeps the header and reports a length field below the header size', () => {
    const bad = FRAME.slice();
    bad[AT + 3] = 3;
    const r = registry();
    const pkt = decodePacket(bad, LINKTYPE_ETHERNET, { registry: r });
    expect(pkt.layers.map((l) => l.protocol)).toEqual([...LOWER, '__abbrev__', '_failure']);
    expect([pkt.failure!.layer, pkt.failure!.reason, pkt.failure!.actual]).toEqual(['__abbrev__', 'length field below 4', 3]);
    expect(new FieldSelector(['__abbrev__.length'], r).values(record(bad), pkt)).toEqual(['3']);
  });

  it('reads no further than its length field', () => {
    const padded = new Uint8Array(FRAME.length + 6);
    padded.set(FRAME);
    const m = decodePacket(padded, LINKTYPE_ETHERNET, { registry: registry() }).layer<__Name__>('__abbrev__')!;
    expect(Buffer.from(m.payload).toString('latin1')).toBe('ping');
  });

  // Last: it changes the default registry for the rest of this file.
  it('registers on the default registry when given none', () => {
    register__Name__();
    expect(defaultRegistry().lookup('__table__', __key__)).toBe(__camel__);
    expect(decodePacket(FRAME, LINKTYPE_ETHERNET).layer('__abbrev__')).toBeDefined();
  });
});
