import { argumentTypeError } from './arguments.js';
import { decimal } from './bytes.js';
import type { CaptureRecord } from './capture/record.js';
import { formatEpoch } from './capture/record.js';
import type { Packet } from './packet.js';
import { defaultRegistry } from './protocols/index.js';
import type { FieldExtractor, Registry } from './registry.js';
import { isPacket, packetHint } from './summary.js';

type FrameField = (r: CaptureRecord, out: string[]) => void;

/** Fields of the capture record itself (Wireshark's `frame` protocol). */
const FRAME_FIELDS: Record<string, FrameField> = {
  'frame.number': (r, out) => out.push(decimal(r.number)),
  'frame.time_epoch': (r, out) => {
    // A pcapng Simple Packet Block stores no time; tshark prints nothing then.
    if (!r.noTimestamp) out.push(formatEpoch(r.seconds, r.nanoseconds));
  },
  'frame.interface_id': (r, out) => {
    if (r.interfaceId !== undefined) out.push(String(r.interfaceId));
  },
  'frame.len': (r, out) => out.push(String(r.originalLength)),
  'frame.cap_len': (r, out) => out.push(String(r.capturedLength)),
};

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

/** A selected field that a protocol's layers carry: the column it fills and how to read it. */
interface LayerColumn {
  readonly column: number;
  readonly extract: FieldExtractor<any>;
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
  private readonly frameColumns: Array<{ column: number; frame: FrameField }> = [];
  // Indexed by protocol, so that a packet costs one lookup per layer, not one per layer and field.
  private readonly byProtocol = new Map<string, LayerColumn[]>();
  // Values are pushed here by one extractor at a time, then appended to their cell.
  private readonly scratch: string[] = [];
  private readonly counts: Int32Array;
  // The row `line` fills, reused from packet to packet.
  private readonly row: string[];

  /** Throws `UnknownFieldError` for a name no decoder knows. */
  constructor(
    readonly names: readonly string[],
    registry: Registry = defaultRegistry(),
  ) {
    checkNames(names);
    checkRegistry('FieldSelector', registry);
    names.forEach((name, column) => {
      const frame = FRAME_FIELDS[name];
      if (frame) {
        this.frameColumns.push({ column, frame });
        return;
      }
      const extractors = registry.field(name);
      if (!extractors) throw new UnknownFieldError(name, closest(name, knownFields(registry)));
      for (const [protocol, extract] of extractors) {
        let list = this.byProtocol.get(protocol);
        if (!list) this.byProtocol.set(protocol, (list = []));
        list.push({ column, extract });
      }
    });
    this.counts = new Int32Array(names.length);
    this.row = new Array<string>(names.length);
  }

  /** One string per selected field. */
  values(record: CaptureRecord, packet: Packet): string[] {
    if (typeof record !== 'object' || record === null || !isPacket(packet) || isPacket(record)) checkValues(record, packet);
    return this.fill(new Array<string>(this.names.length), record, packet);
  }

  /**
   * The selected fields as one line, as `tshark -T fields` prints it: `values(…).join(separator)`
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

  /** Fills every cell of `row` with the fields of one packet. */
  private fill(row: string[], record: CaptureRecord, packet: Packet): string[] {
    const n = this.names.length;
    for (let c = 0; c < n; c++) row[c] = '';
    this.counts.fill(0);
    const scratch = this.scratch;
    for (const { column, frame } of this.frameColumns) {
      frame(record, scratch);
      this.take(row, column);
    }
    const layers = packet.layers;
    // Extractors read the context while they run and keep nothing, so one serves every layer.
    const ctx = { layers, index: 0 };
    for (let i = 0; i < layers.length; i++) {
      const list = this.byProtocol.get(layers[i]!.protocol);
      if (list === undefined) continue;
      ctx.index = i;
      for (const { column, extract } of list) {
        extract(layers[i], scratch, ctx);
        if (scratch.length !== 0) this.take(row, column);
      }
    }
    return row;
  }

  /** Appends what an extractor pushed to its column, occurrences joined with `,`, and empties the scratch list. */
  private take(row: string[], column: number): void {
    const scratch = this.scratch;
    let cell = row[column]!;
    let count = this.counts[column]!;
    for (let k = 0; k < scratch.length; k++) cell = count++ === 0 ? scratch[k]! : `${cell},${scratch[k]!}`;
    row[column] = cell;
    this.counts[column] = count;
    // Popping keeps the list's storage; setting its length would not.
    while (scratch.length !== 0) scratch.pop();
  }
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

function checkValues(record: unknown, packet: unknown): void {
  const fn = 'FieldSelector.values';
  if (isPacket(record)) throw argumentTypeError(fn, 'record', 'a capture record', record, 'the record goes first: values(record, decodePacket(record.data, record.linkType))');
  if (typeof record !== 'object' || record === null) throw argumentTypeError(fn, 'record', 'a capture record (from readCapture or parseCapture)', record);
  if (!isPacket(packet)) throw argumentTypeError(fn, 'packet', 'a Packet', packet, packetHint(packet));
}

/** Known names nearest to `name`: same prefix first, then by edit distance. */
function closest(name: string, known: string[]): string[] {
  const scored = known.map((k) => ({ k, d: distance(name, k) - (k.startsWith(name.split('.')[0]! + '.') ? 2 : 0) }));
  scored.sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  const limit = Math.max(3, Math.floor(name.length / 2));
  return scored.filter((s) => s.d <= limit).slice(0, 5).map((s) => s.k);
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
