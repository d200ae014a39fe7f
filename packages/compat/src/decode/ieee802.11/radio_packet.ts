import RadioFrame = require('./radio_frame');
import { le16, le32, type Emitter } from '../../internal/read';
import fieldTable = require('./radiotap_fields.json');

type Kind = string | number;
interface FieldSpec {
  id: string;
  structure: [Kind, string | null][];
  align: number;
}
type Fields = Record<string, unknown>;
/** Decodes the fields of one present-bitmap value: (data, first field byte, header end, header start). */
type FieldDecoder = (data: Buffer, offset: number, end: number, base: number) => Fields;

const SIZES: Record<string, number> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8 };

function readKind(b: Buffer, o: number, kind: Kind): unknown {
  if (typeof kind === 'number') return b.subarray(o, o + kind);
  switch (kind) {
    case 'u8':
      return b[o];
    case 's8':
      return b.readInt8(o);
    case 'u16':
      return b.readUInt16LE(o);
    case 's16':
      return b.readInt16LE(o);
    case 'u32':
      return b.readUInt32LE(o);
    case 's32':
      return b.readInt32LE(o);
    default:
      return b.readBigUInt64LE(o);
  }
}

/**
 * Builds the decoder for the first radiotap namespace of a present bitmap. Alignment is
 * counted from the start of the radiotap header; decoding stops (keeping what was read) at
 * a field that does not fit, an unknown bit, or a namespace switch. Bit 28 keeps the rest
 * of the header as `tlv`.
 */
function buildDecoder(present: number | bigint): FieldDecoder {
  const bits = Number(BigInt(present) & 0xffffffffn) & 0x1fffffff;
  const steps: { bit: number; spec: FieldSpec }[] = [];
  let tlv = false;
  for (let i = 0; i < 29; i++) {
    if (!(bits & (1 << i))) continue;
    if (i === 28) {
      tlv = true;
      break;
    }
    const spec = (fieldTable as unknown as Record<string, FieldSpec>)[i];
    if (!spec) break;
    steps.push({ bit: i, spec });
  }
  return (data, offset, end, base) => {
    const result: Fields = {};
    let o = offset;
    for (const { spec } of steps) {
      o += (spec.align - ((o - base) % spec.align)) % spec.align;
      let size = 0;
      for (const [kind] of spec.structure) size += typeof kind === 'number' ? kind : SIZES[kind]!;
      if (o + size > end || o + size > data.length) return result;
      if (spec.structure.length === 1) {
        result[spec.id] = readKind(data, o, spec.structure[0]![0]);
        o += size;
      } else {
        const group: Fields = {};
        for (const [kind, name] of spec.structure) {
          group[name as string] = readKind(data, o, kind);
          o += typeof kind === 'number' ? kind : SIZES[kind]!;
        }
        result[spec.id] = group;
      }
    }
    if (tlv && o < end) result.tlv = data.subarray(o, Math.min(end, data.length));
    return result;
  };
}

/** Options v3 read in `decode`: a per-session decoder cache and whether to decode the 802.11 frame. */
interface RadioOptions {
  radiotapCache?: Record<string, FieldDecoder>;
  decodeLower?: boolean;
}

/** A radiotap header (http://www.radiotap.org) and the 802.11 frame after it. Emits `radio-packet`. */
class RadioPacket {
  static globalCache: Record<string, FieldDecoder> = {};
  emitter: Emitter | undefined = undefined;
  headerRevision: number | undefined = undefined;
  headerPad: number | undefined = undefined;
  headerLength: number | undefined = undefined;
  presentFields: number | bigint | undefined = undefined;
  fields: Fields | undefined = undefined;
  _decoderCache: Record<string, never> = {};
  declare ieee802_11Frame?: RadioFrame | Buffer;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number, options?: RadioOptions): this {
    this.headerRevision = raw[offset];
    this.headerPad = raw[offset + 1];
    this.headerLength = le16(raw, offset + 2);
    let present: number | bigint | undefined = le32(raw, offset + 4);
    this.presentFields = present;
    if (present === undefined || this.headerLength === undefined) return this;
    let at = offset + 8;
    if (present >>> 31) {
      // Extended bitmaps: each word's bit 31 announces the next; v3 folded them into one BigInt.
      let big = BigInt(present);
      for (let s = 32n; (big >> (s - 1n)) & 1n; s += 32n) {
        const v = le32(raw, at);
        if (v === undefined || s > 32n * 64n) break;
        big ^= 1n << (s - 1n);
        big |= BigInt(v) << s;
        at += 4;
      }
      present = big;
      this.presentFields = big;
    }
    const cache = (options && options.radiotapCache) || RadioPacket.globalCache;
    const key = String(present);
    let fn = Object.hasOwn(cache, key) ? cache[key] : undefined;
    if (!fn) fn = cache[key] = buildDecoder(present);
    const end = offset + this.headerLength;
    this.fields = fn(raw, at, end, offset);

    if (options && options.decodeLower === false) {
      this.ieee802_11Frame = raw.subarray(end);
    } else {
      this.ieee802_11Frame = new RadioFrame(this.emitter).decode(raw, Math.min(end, raw.length));
    }
    if (this.emitter) this.emitter.emit('radio-packet', this);
    return this;
  }
}

export = RadioPacket;
