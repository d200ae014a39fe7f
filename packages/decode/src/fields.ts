import { argumentRangeError, argumentTypeError } from './arguments.js';
import { decimal } from './bytes.js';
import type { CaptureRecord } from './capture/record.js';
import { epochPrefix, formatEpoch } from './capture/record.js';
import { decodePacket, type Packet } from './packet.js';
import { DIRECT_FIELDS, leafAbove, type DirectField } from './fields-direct.js';
import { DirectShape, readShape, shapeDecoders } from './packet-shape.js';
import { defaultRegistry } from './protocols/index.js';
import type { Layer } from './layer.js';
import type { FieldExtractor, FieldValue, Registry } from './registry.js';
import { TextBuffer } from './text-buffer.js';
import { isPacket, packetHint } from './summary.js';
import { closestNames } from './names.js';

type FrameField = (r: CaptureRecord, out: FieldValue[]) => void;

/** Fields of the capture record itself (Wireshark's `frame` protocol). */
const FRAME_FIELDS: Record<string, FrameField> = {
  'frame.number': (r, out) => out.push(r.number),
  'frame.time_epoch': (r, out) => {
    // A pcapng Simple Packet Block stores no time; tshark prints nothing then.
    if (!r.noTimestamp) out.push(formatEpoch(r.seconds, r.nanoseconds));
  },
  'frame.interface_id': (r, out) => {
    if (r.interfaceId !== undefined) out.push(r.interfaceId);
  },
  'frame.len': (r, out) => out.push(r.originalLength),
  'frame.cap_len': (r, out) => out.push(r.capturedLength),
};

/** The frame's time written as bytes, without the string: the one field of every line that changes on every packet. */
function writeEpoch(r: CaptureRecord, out: TextBuffer): void {
  if (r.noTimestamp) return;
  const prefix = epochPrefix(r.seconds, r.nanoseconds);
  if (prefix === undefined) {
    out.text(formatEpoch(r.seconds, r.nanoseconds));
    return;
  }
  out.text(prefix);
  out.decimal(r.nanoseconds | 0, 9);
}

/** A field name that no decoder knows; `suggestions` lists the closest known names. */
export class UnknownFieldError extends Error {
  override readonly name = 'UnknownFieldError';
  constructor(
    readonly field: string,
    readonly suggestions: readonly string[],
  ) {
    super(`unknown field "${field}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`);
  }
}

/** Every field name that `FieldSelector` accepts with this registry. */
export function knownFields(registry: Registry = defaultRegistry()): string[] {
  checkRegistry('knownFields', registry);
  return [...Object.keys(FRAME_FIELDS), ...registry.fieldNames()].sort();
}

/** One selected field: how the record or each protocol carrying it gives its values. */
interface Column {
  /** For a field of the record itself (`frame.*`). */
  readonly frame: FrameField | undefined;
  /** The same, written as bytes without a values list, where that is faster. */
  readonly frameWriter: ((r: CaptureRecord, out: TextBuffer) => void) | undefined;
  /** The protocols whose layers carry the field, with the extractor of each. */
  readonly protocols: readonly string[];
  /** The field read straight from the bytes of the commonest packets, where it can be (see `writeRecord`). */
  readonly direct: DirectField | undefined;
  readonly extracts: ReadonlyArray<FieldExtractor<any>>;
}

/**
 * Reads fields by Wireshark name, formatted as `tshark -T fields` prints them: every
 * occurrence in dissection order, joined with `,`; an absent field is an empty string.
 *
 * ```ts
 * const sel = new FieldSelector(['frame.number', 'ip.src', 'tcp.dstport']);
 * for await (const rec of readCapture('x.pcap')) console.log(sel.values(rec, decodePacket(rec.data, rec.linkType)).join('\t'));
 * ```
 */
export class FieldSelector {
  private readonly columns: Column[] = [];
  // Extractors push here, one at a time; the values are then taken into their cell.
  private readonly scratch: FieldValue[] = [];
  // The protocol of each layer of the packet at hand, read once per packet.
  private readonly protocols: string[] = [];
  // The columns each protocol's layers fill, with the extractor of each.
  private readonly byProtocol = new Map<string, Array<{ readonly column: number; readonly extract: FieldExtractor<any> }>>();
  // For the packet at hand, per column: the first layer that carries the field (-1: none),
  // its extractor, and whether a later layer carries it too. Most fields occur once, and a
  // lookup per layer finds them all.
  private readonly firstLayer: Int32Array;
  private readonly firstExtract: Array<FieldExtractor<any> | undefined>;
  private readonly several: Uint8Array;
  // The row `line` fills, reused from packet to packet, and the cell being filled.
  private readonly row: string[];
  private cell = '';
  private count = 0;
  // Extractors read the context while they run and keep nothing, so one serves every call.
  private readonly ctx: { layers: readonly Layer[]; index: number } = { layers: [], index: 0 };
  private readonly registry: Registry;
  // For `writeRecord`: whether every column can be read from the bytes.
  private readonly directColumns: boolean;
  private readonly shape = new DirectShape();

  /** Throws `UnknownFieldError` for a name no decoder knows. */
  constructor(
    readonly names: readonly string[],
    registry: Registry = defaultRegistry(),
  ) {
    checkNames(names);
    checkRegistry('FieldSelector', registry);
    this.registry = registry;
    for (const name of names) {
      const frame = FRAME_FIELDS[name];
      if (frame) {
        this.columns.push({ frame, frameWriter: FRAME_WRITERS[name], protocols: [], direct: undefined, extracts: [] });
        continue;
      }
      const extractors = registry.field(name);
      if (!extractors) throw new UnknownFieldError(name, closest(name, knownFields(registry)));
      const column = this.columns.length;
      this.columns.push({ frame: undefined, frameWriter: undefined, protocols: [...extractors.keys()], direct: DIRECT_FIELDS[name], extracts: [...extractors.values()] });
      for (const [protocol, extract] of extractors) {
        let hits = this.byProtocol.get(protocol);
        if (!hits) this.byProtocol.set(protocol, (hits = []));
        hits.push({ column, extract });
      }
    }
    this.directColumns = this.columns.every((c) => c.frame !== undefined || c.direct !== undefined);
    this.row = new Array<string>(names.length);
    this.firstLayer = new Int32Array(names.length);
    this.firstExtract = new Array<FieldExtractor<any> | undefined>(names.length).fill(undefined);
    this.several = new Uint8Array(names.length);
  }

  /** One string per selected field. */
  values(record: CaptureRecord, packet: Packet): string[] {
    if (typeof record !== 'object' || record === null || !isPacket(packet) || isPacket(record)) checkValues(record, packet);
    return this.fill(new Array<string>(this.names.length), record, packet);
  }

  /**
   * The selected fields as one line, as `tshark -T fields` prints it: `values(...).join(separator)`
   * without the array, for printing packet after packet.
   */
  line(record: CaptureRecord, packet: Packet, separator = '\t'): string {
    if (typeof record !== 'object' || record === null || !isPacket(packet) || isPacket(record) || typeof separator !== 'string') {
      checkValues(record, packet);
      if (typeof separator !== 'string') throw argumentTypeError('FieldSelector.line', 'separator', 'a string', separator, "leave it out for tshark's tab");
    }
    // join makes one flat string, which the output joins and encodes faster than a chain of pieces.
    return this.fill(this.row, record, packet).join(separator);
  }

  /**
   * `line(...)` and a newline, written as UTF-8 into `out` without making the line: the
   * fastest way to print packet after packet (numbers go in as digits, never as strings).
   *
   * ```ts
   * const out = new TextBuffer();
   * for await (const rec of readCapture('x.pcap')) {
   *   sel.writeLine(rec, decodePacket(rec.data, rec.linkType), out);
   *   if (out.length > 65536) process.stdout.write(out.take());
   * }
   * process.stdout.write(out.take());
   * ```
   */
  writeLine(record: CaptureRecord, packet: Packet, out: TextBuffer, separator = '\t'): void {
    if (typeof record !== 'object' || record === null || !isPacket(packet) || isPacket(record) || !(out instanceof TextBuffer) || typeof separator !== 'string') {
      checkValues(record, packet);
      if (!(out instanceof TextBuffer)) throw argumentTypeError('FieldSelector.writeLine', 'out', 'a TextBuffer', out, 'pass new TextBuffer()');
      if (typeof separator !== 'string') throw argumentTypeError('FieldSelector.writeLine', 'separator', 'a string', separator, "leave it out for tshark's tab");
    }
    const sep = separatorCode(separator);
    const scratch = this.scratch;
    const columns = this.columns;
    const n = this.locate(packet);
    const ctx = this.ctx;
    for (let c = 0; c < columns.length; c++) {
      if (c !== 0) writeSeparator(out, sep, separator);
      const col = columns[c]!;
      if (this.writeFrame(col, record, out)) continue;
      const first = this.firstLayer[c]!;
      if (first < 0) continue;
      if (this.several[c] === 0) {
        ctx.index = first;
        this.firstExtract[c]!(ctx.layers[first], scratch, ctx);
        writeValues(scratch, out, 0);
        continue;
      }
      let count = 0;
      for (let i = first; i < n; i++) {
        if (this.extract(col, i) && scratch.length !== 0) count = writeValues(scratch, out, count);
      }
    }
    out.byte(0x0a);
  }

  /**
   * `writeLine` for a record not yet decoded: the packet is decoded (with the selector's
   * registry) only where it must be. When every selected field is one of the common ones
   * (frame fields; Ethernet addresses; IP, IPv6, TCP and UDP addresses, ports, flags and the
   * like) and the packet is plain Ethernet, IPv4 without options or IPv6 without extension
   * headers, then TCP or UDP, captured whole, the fields are read straight from its bytes:
   * the same text, without the tree.
   *
   * ```ts
   * const sel = new FieldSelector(['frame.number', 'ip.src', 'ip.dst', 'tcp.dstport']);
   * const out = new TextBuffer();
   * for await (const rec of readCapture('x.pcap')) sel.writeRecord(rec, out);
   * process.stdout.write(out.take());
   * ```
   */
  writeRecord(record: CaptureRecord, out: TextBuffer, separator = '\t'): void {
    if (typeof record !== 'object' || record === null || !(record.data instanceof Uint8Array) || isPacket(record) || !(out instanceof TextBuffer) || typeof separator !== 'string') {
      checkRecord(record);
      if (!(out instanceof TextBuffer)) throw argumentTypeError('FieldSelector.writeRecord', 'out', 'a TextBuffer', out, 'pass new TextBuffer()');
      if (typeof separator !== 'string') throw argumentTypeError('FieldSelector.writeRecord', 'separator', 'a string', separator, "leave it out for tshark's tab");
    }
    if (this.directColumns && this.writeDirect(record, out, separator)) return;
    this.writeLine(record, decodePacket(record.data, record.linkType, { originalLength: record.originalLength, registry: this.registry }), out, separator);
  }

  /** Writes the line from the record's bytes; false (nothing written) when the packet is not of the common shape. */
  private writeDirect(record: CaptureRecord, out: TextBuffer, separator: string): boolean {
    const b = record.data;
    const shape = this.shape;
    const registry = this.registry;
    if (!readShape(b, record.linkType, shape)) return false;
    if (!shapeDecoders(registry) || !leafAbove(b, shape, registry)) return false;
    const sep = separatorCode(separator);
    const columns = this.columns;
    for (let c = 0; c < columns.length; c++) {
      if (c !== 0) writeSeparator(out, sep, separator);
      const col = columns[c]!;
      if (!this.writeFrame(col, record, out)) col.direct!(b, shape, out);
    }
    out.byte(0x0a);
    return true;
  }

  /** Writes the column if it is a field of the record itself (`frame.*`); false if it is not. */
  private writeFrame(col: Column, record: CaptureRecord, out: TextBuffer): boolean {
    if (col.frameWriter !== undefined) {
      col.frameWriter(record, out);
      return true;
    }
    if (col.frame === undefined) return false;
    col.frame(record, this.scratch);
    writeValues(this.scratch, out, 0);
    return true;
  }

  /** Fills every cell of `row` with the fields of one packet. */
  private fill(row: string[], record: CaptureRecord, packet: Packet): string[] {
    const scratch = this.scratch;
    const columns = this.columns;
    const n = this.locate(packet);
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      this.cell = '';
      this.count = 0;
      if (col.frame !== undefined) {
        col.frame(record, scratch);
        this.take();
      } else {
        const first = this.firstLayer[c]!;
        if (first >= 0) for (let i = first; i < n; i++) if (this.extract(col, i) && scratch.length !== 0) this.take();
      }
      row[c] = this.cell;
    }
    return row;
  }

  /** Appends the values an extractor pushed to the cell being filled (`,` between occurrences) and empties the list. */
  private take(): void {
    const values = this.scratch;
    let cell = this.cell;
    for (let k = 0; k < values.length; k++) {
      const v = values[k]!;
      cell = this.count++ === 0 ? text(v) : `${cell},${text(v)}`;
    }
    this.cell = cell;
    // Popping keeps the list's storage; setting its length would not.
    while (values.length !== 0) values.pop();
  }

  /**
   * Notes which layers of `packet` carry each field (and the packet, for the extractors);
   * returns how many layers it has.
   */
  private locate(packet: Packet): number {
    const layers = packet.layers;
    const protocols = this.protocols;
    const firstLayer = this.firstLayer;
    const several = this.several;
    // Loops, not fill(): for ten columns the builtin call costs more than the stores.
    for (let c = 0; c < firstLayer.length; c++) {
      firstLayer[c] = -1;
      several[c] = 0;
    }
    for (let i = 0; i < layers.length; i++) {
      const protocol = layers[i]!.protocol;
      protocols[i] = protocol;
      const hits = this.byProtocol.get(protocol);
      if (hits === undefined) continue;
      for (let h = 0; h < hits.length; h++) {
        const { column, extract } = hits[h]!;
        if (firstLayer[column]! < 0) {
          firstLayer[column] = i;
          this.firstExtract[column] = extract;
        } else {
          several[column] = 1;
        }
      }
    }
    this.ctx.layers = layers;
    return layers.length;
  }

  /** Runs the column's extractor on layer `i` if the layer's protocol carries the field; false if it does not. */
  private extract(col: Column, i: number): boolean {
    const protocol = this.protocols[i];
    const carriers = col.protocols;
    for (let k = 0; k < carriers.length; k++) {
      if (carriers[k] !== protocol) continue;
      const ctx = this.ctx;
      ctx.index = i;
      col.extracts[k]!(ctx.layers[i], this.scratch, ctx);
      return true;
    }
    return false;
  }
}

/** Frame fields written straight as bytes by `writeLine`. */
const FRAME_WRITERS: Record<string, (r: CaptureRecord, out: TextBuffer) => void> = {
  'frame.time_epoch': writeEpoch,
};

/** The separator as one ASCII byte, or -1 when it must be written as text. */
function separatorCode(separator: string): number {
  return separator.length === 1 && separator.charCodeAt(0) < 0x80 ? separator.charCodeAt(0) : -1;
}

function writeSeparator(out: TextBuffer, code: number, separator: string): void {
  if (code >= 0) out.byte(code);
  else out.text(separator);
}

/** Writes the values an extractor pushed (`,` between occurrences) and empties the list; returns the occurrences written so far. */
function writeValues(values: FieldValue[], out: TextBuffer, count: number): number {
  if (values.length === 1 && count === 0) {
    // Most fields occur once.
    const v = values.pop()!;
    if (typeof v === 'number') out.decimal(v);
    else out.text(v);
    return 1;
  }
  for (let k = 0; k < values.length; k++) {
    if (count++ !== 0) out.byte(0x2c);
    const v = values[k]!;
    if (typeof v === 'number') out.decimal(v);
    else out.text(v);
  }
  while (values.length !== 0) values.pop();
  return count;
}

/** One layer's fields by Wireshark name: a string per field, an array when it occurs several times. */
export type LayerFields = Record<string, string | string[]>;

/**
 * Every field of layer `index` of `packet` that its protocol defines, in the order the
 * protocol lists them, formatted as tshark prints them: what a packet detail view shows.
 *
 * ```ts
 * const pkt = decodePacket(bytes, 1);
 * layerFields(pkt, 2); // { 'tcp.srcport': '40000', 'tcp.dstport': '443', ... }
 * ```
 */
export function layerFields(packet: Packet, index: number, registry: Registry = defaultRegistry()): LayerFields {
  if (!isPacket(packet)) throw argumentTypeError('layerFields', 'packet', 'a Packet', packet, packetHint(packet));
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= packet.layers.length) {
    throw argumentRangeError('layerFields', 'index', `a layer index from 0 to ${packet.layers.length - 1}`, index);
  }
  checkRegistry('layerFields', registry);
  const layers = packet.layers;
  const layer = layers[index]!;
  const fields: LayerFields = {};
  const out: FieldValue[] = [];
  for (const [name, extract] of Object.entries(registry.protocol(layer.protocol)?.fields ?? {})) {
    out.length = 0;
    try {
      extract(layer, out, { layers, index });
    } catch {
      // Extractors do not throw on any bytes; were one to, the layer's other fields still show.
      continue;
    }
    if (out.length === 1) fields[name] = text(out[0]!);
    else if (out.length > 1) fields[name] = out.map(text);
  }
  return fields;
}

function text(v: FieldValue): string {
  return typeof v === 'number' ? decimal(v) : v;
}

function checkNames(names: unknown): void {
  const fn = 'FieldSelector';
  if (!Array.isArray(names)) {
    const hint = typeof names === 'string' ? `pass a list of names: new FieldSelector(${JSON.stringify(names.split(','))})` : "pass a list of Wireshark field names, e.g. ['ip.src', 'tcp.dstport']";
    throw argumentTypeError(fn, 'names', 'an array of field names', names, hint);
  }
  for (let i = 0; i < names.length; i++) {
    if (typeof names[i] !== 'string') throw argumentTypeError(fn, `names[${i}]`, "a field name such as 'ip.src'", names[i], 'knownFields() lists them');
  }
}

function checkRegistry(fn: string, registry: unknown): void {
  if (typeof (registry as Registry | null)?.field !== 'function') {
    throw argumentTypeError(fn, 'registry', 'a Registry', registry, 'leave it out for the built-in protocols, or pass defaultRegistry()');
  }
}

function checkRecord(record: unknown): void {
  const fn = 'FieldSelector.writeRecord';
  if (isPacket(record)) throw argumentTypeError(fn, 'record', 'a capture record', record, 'pass the record itself: writeRecord(record, out); for a decoded packet use writeLine(record, packet, out)');
  if (typeof record !== 'object' || record === null || !(((record as { data?: unknown }).data) instanceof Uint8Array)) {
    throw argumentTypeError(fn, 'record', 'a capture record (from readCapture or parseCapture)', record);
  }
}

function checkValues(record: unknown, packet: unknown): void {
  const fn = 'FieldSelector.values';
  if (isPacket(record)) throw argumentTypeError(fn, 'record', 'a capture record', record, 'the record goes first: values(record, decodePacket(record.data, record.linkType))');
  if (typeof record !== 'object' || record === null) throw argumentTypeError(fn, 'record', 'a capture record (from readCapture or parseCapture)', record);
  if (!isPacket(packet)) throw argumentTypeError(fn, 'packet', 'a Packet', packet, packetHint(packet));
}

/** Known field names nearest to `name`: those of the same protocol first, then by edit distance. */
function closest(name: string, known: string[]): string[] {
  const protocol = name.split('.')[0]! + '.';
  return closestNames(name, known, 5, (k) => (k.startsWith(protocol) ? 2 : 0));
}
