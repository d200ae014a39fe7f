import type { DecodeFailure, Layer } from './layer.js';
import type { TcpSequenceBases } from './protocols/tcp-sequence.js';
import type { TextBuffer } from './text-buffer.js';

/**
 * The dissector tables. A key in one of them names the protocol that decodes what a
 * layer carries: `ethertype` 0x0800 is IPv4, `ip.proto` 6 is TCP, and so on.
 */
export type TableName =
  | 'linktype'
  | 'ethertype'
  | 'ip.proto'
  | 'udp.port'
  | 'tcp.port'
  | 'llc.sap'
  | 'llc.snap'
  | 'null.family'
  | (string & {});

/**
 * What a decoder may look at besides the packet bytes (the layers decoded before it), and
 * how it says what comes after the layer it returns.
 */
export interface DecodeContext {
  readonly layers: readonly Layer[];
  /**
   * Bytes of the packet that the capture did not keep (original length minus captured
   * length), when the caller said (`DecodeOptions.originalLength`). Undefined means
   * unknown: a length field past the captured bytes is then taken as a snaplen cut.
   */
  readonly frameMissing?: number | undefined;
  /** Captured length of the whole packet, to tell whether a layer's bytes reach its end. */
  readonly capturedLength?: number | undefined;
  /**
   * Says where the payload of the layer being returned goes: the decoder of `key` in
   * `table`, or of `alt` when `key` has none. Without a call, the payload is data.
   */
  next(table: TableName, key: number, alt?: number): void;
  /**
   * Says that the layer being returned was decoded only in part (cut short, or malformed
   * past some field): it keeps what was read, and decoding stops after it with `failure`.
   */
  fail(failure: DecodeFailure): void;
}

/**
 * One value of a field as tshark prints it: text, or a number printed as `String(n)` (the
 * decimal digits of an integer field). A number is written as digits straight into the
 * output, never made a string, when lines are printed with `FieldSelector.writeLine`.
 */
export type FieldValue = string | number;

/** Pushes the value(s) of one field of a layer onto `out`, tshark style: one entry per occurrence. */
export type FieldExtractor<L extends Layer = Layer> = (layer: L, out: FieldValue[], ctx: FieldContext) => void;

/** The packet a field is read from. */
export interface FieldContext {
  readonly layers: readonly Layer[];
  /** Index of the layer in `layers`. */
  readonly index: number;
}

/** What a tcpdump-like summary of a layer may look at. */
export interface SummaryContext {
  readonly layers: readonly Layer[];
  readonly index: number;
  /** Set to print TCP sequence numbers relative to each conversation's first, as tcpdump does. */
  readonly tcpSequence?: TcpSequenceBases | undefined;
}

/**
 * A protocol: how to decode it, its fields by Wireshark name, and its one-line summary.
 * Everything about a protocol lives in one module that exports one of these.
 */
export interface Protocol<L extends Layer = Layer> {
  /** Wireshark's protocol name; equals the `protocol` of the layers it makes. */
  readonly name: string;
  /**
   * Decodes the header that starts at `offset` in the packet `bytes`; the layer may use the
   * bytes up to `end` (its parent's payload). Returns the layer, after saying where its
   * payload goes with `ctx.next`. Never throws on any bytes: returns a `DecodeFailure`
   * instead, or the part decoded after `ctx.fail`.
   */
  decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): L | DecodeFailure;
  /** Fields by Wireshark name (`ip.src`, `tcp.flags`, ...). */
  readonly fields?: Readonly<Record<string, FieldExtractor<L>>>;
  /**
   * The tcpdump-like text of a packet whose deepest summarised layer is this one.
   * Returns undefined to let a lower layer speak instead.
   */
  summary?(layer: L, ctx: SummaryContext): string | undefined;
  /**
   * The same text written as UTF-8 into `out`, for a protocol on the hot path of printing:
   * numbers go in as digits and addresses as bytes, without the line becoming a string.
   * Returns false, having written nothing, to let a lower layer speak. A protocol gives
   * this or `summary`; `summarize` makes the string from it.
   */
  writeSummary?(layer: L, ctx: SummaryContext, out: TextBuffer): boolean;
}

type AnyProtocol = Protocol<any>;

/** Slots of a table's lookup cache: a power of two. */
const CACHE_SLOTS = 256;

/**
 * One dissector table: its rows, and a small direct-mapped cache of recent lookups (misses
 * included), since every packet looks up a few keys that repeat from packet to packet.
 */
class Table {
  readonly rows = new Map<number, AnyProtocol>();
  private readonly keys = new Float64Array(CACHE_SLOTS).fill(NaN);
  private readonly found: Array<AnyProtocol | undefined> = new Array<AnyProtocol | undefined>(CACHE_SLOTS).fill(undefined);

  get(key: number): AnyProtocol | undefined {
    const slot = key & (CACHE_SLOTS - 1);
    if (this.keys[slot] === key) return this.found[slot];
    const p = this.rows.get(key);
    this.keys[slot] = key;
    this.found[slot] = p;
    return p;
  }

  set(key: number, p: AnyProtocol): void {
    this.rows.set(key, p);
    this.keys.fill(NaN);
  }
}

/**
 * Dissector tables plus the field index built from the protocols in them.
 * A protocol package adds its rows with `register` and does nothing else.
 */
export class Registry {
  private readonly tables = new Map<TableName, Table>();
  // The same tables in a list, searched by identity: table names are string literals, and a
  // few comparisons cost less than hashing the name on every layer of every packet.
  private readonly tableList: Array<{ readonly name: TableName; readonly table: Table }> = [];
  private readonly protocols = new Map<string, AnyProtocol>();
  private readonly fieldIndex = new Map<string, Map<string, FieldExtractor<any>>>();
  private changes = 0;

  /**
   * Counts the changes to the tables and protocols: whatever was worked out from them holds
   * while it stays the same.
   */
  get revision(): number {
    return this.changes;
  }

  /** Makes `protocol` the decoder for `key` in `table`, replacing what was there. */
  register<L extends Layer>(table: TableName, key: number | readonly number[], protocol: Protocol<L>): this {
    let t = this.tables.get(table);
    if (!t) {
      this.tables.set(table, (t = new Table()));
      this.tableList.push({ name: table, table: t });
    }
    for (const k of typeof key === 'number' ? [key] : key) t.set(k, protocol);
    this.changes++;
    this.addProtocol(protocol);
    return this;
  }

  /** Makes a protocol's fields and summary known without a table row (e.g. one reached only by its parent). */
  addProtocol<L extends Layer>(protocol: Protocol<L>): this {
    this.changes++;
    this.protocols.set(protocol.name, protocol);
    for (const [name, extract] of Object.entries(protocol.fields ?? {})) {
      let byProtocol = this.fieldIndex.get(name);
      if (!byProtocol) this.fieldIndex.set(name, (byProtocol = new Map()));
      byProtocol.set(protocol.name, extract as FieldExtractor<any>);
    }
    return this;
  }

  lookup(table: TableName, key: number): AnyProtocol | undefined {
    return this.table(table)?.get(key);
  }

  /** The decoder of `key` in `table`, or else of `alt`. */
  resolve(table: TableName, key: number, alt?: number): AnyProtocol | undefined {
    const t = this.table(table);
    if (!t) return undefined;
    return t.get(key) ?? (alt === undefined ? undefined : t.get(alt));
  }

  /** Every key of a table, ascending (e.g. the link types that have a decoder). */
  keys(table: TableName): number[] {
    return [...(this.tables.get(table)?.rows.keys() ?? [])].sort((x, y) => x - y);
  }

  private table(name: TableName): Table | undefined {
    const list = this.tableList;
    for (let i = 0; i < list.length; i++) if (list[i]!.name === name) return list[i]!.table;
    return this.tables.get(name);
  }

  protocol(name: string): AnyProtocol | undefined {
    return this.protocols.get(name);
  }

  /** The extractors of a field, by the protocol whose layers carry it (`ip.version` is in `ip` and `ipv6`). */
  field(name: string): ReadonlyMap<string, FieldExtractor<any>> | undefined {
    return this.fieldIndex.get(name);
  }

  /** Every field name known, sorted. */
  fieldNames(): string[] {
    return [...this.fieldIndex.keys()].sort();
  }
}
