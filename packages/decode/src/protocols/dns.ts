import { hex, u16, u32 } from '../bytes.js';
import { HeaderLayer, RawPayload, type Layer } from '../layer.js';
import type { FieldExtractor, Protocol, SummaryContext } from '../registry.js';
import { DnsBounds, escapeFieldText, readName, skipName } from './dns-name.js';
import { addressSize, decodeRData, dnsTypeName, writeAddressData, writeNameWithDot, writeRdataText, type DnsRData, type EdnsOption } from './dns-rr.js';
import { short } from './need.js';
import { TextBuffer, textOf } from '../text-buffer.js';
import { tcp, writeEndpoints, type Tcp } from './tcp.js';

/** DNS header flag bits (RFC 1035 §4.1.1, RFC 4035 §3.2). */
export const DnsFlags = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  Z: 0x0040,
  AD: 0x0020,
  CD: 0x0010,
} as const;

/** Opcode of a dynamic update (RFC 2136), whose sections are zone/prerequisite/update/additional. */
const OPCODE_UPDATE = 5;

/** Bytes tshark reads (id and flags) before it shows any DNS field. */
const MIN_DNS = 4;

/** What a DNS layer was carried by: plain DNS, multicast DNS (RFC 6762) or LLMNR (RFC 4795). */
export type DnsFlavor = 'dns' | 'mdns' | 'llmnr';

/** One entry of the question section. */
export interface DnsQuestion {
  /** Name as Wireshark shows it (no trailing dot, `<Root>` for the root, escapes for odd bytes). */
  readonly name: string;
  readonly type: number;
  /** Class; for mDNS without the unicast-response bit. */
  readonly class: number;
  /** mDNS: the QU (unicast response requested) bit. */
  readonly unicastResponse: boolean;
}

export type DnsSection = 'answer' | 'authority' | 'additional';

/** One resource record of the answer, authority or additional section. */
export interface DnsRecord {
  readonly section: DnsSection;
  readonly name: string;
  readonly type: number;
  /** Class; for mDNS without the cache-flush bit; for OPT the requester's UDP payload size. */
  readonly class: number;
  /** TTL; for OPT the extended RCODE, version and flags word. */
  readonly ttl: number;
  /** mDNS: the cache-flush bit. */
  readonly cacheFlush: boolean;
  /** The RDATA bytes as declared by RDLENGTH. */
  readonly rdata: Uint8Array;
  /**
   * Decoded RDATA; undefined when reading it ran off the captured message (then `Dns.error`
   * says where), except TXT, which keeps the strings read before.
   */
  readonly data: DnsRData | undefined;
}

/** A record as the walk reads it; its RDATA view is made only when asked for. */
class WireRecord implements DnsRecord {
  readonly section: DnsSection;
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly cacheFlush: boolean;
  data: DnsRData | undefined = undefined;
  // Private, so that a record still spreads and compares as its fields only.
  readonly #msg: Uint8Array;
  readonly #at: number;
  readonly #rdlength: number;
  #view: Uint8Array | undefined = undefined;
  constructor(section: DnsSection, name: string, type: number, cls: number, ttl: number, cacheFlush: boolean, msg: Uint8Array, at: number, rdlength: number) {
    this.section = section;
    this.name = name;
    this.type = type;
    this.class = cls;
    this.ttl = ttl;
    this.cacheFlush = cacheFlush;
    this.#msg = msg;
    this.#at = at;
    this.#rdlength = rdlength;
  }

  get rdata(): Uint8Array {
    return (this.#view ??= this.#msg.subarray(this.#at, this.#at + this.#rdlength));
  }
}

/** The EDNS(0) pseudo-record of a message (RFC 6891). */
export interface Edns {
  readonly udpPayloadSize: number;
  /** Upper 8 bits of the 12-bit RCODE. */
  readonly extendedRcode: number;
  readonly version: number;
  /** The DO (DNSSEC OK) bit. */
  readonly dnssecOk: boolean;
  readonly options: readonly EdnsOption[];
}

/** Where the section walk stopped before its end, and why. */
export interface DnsWalkError {
  /** Offset within the message of the byte that was needed. */
  readonly at: number;
  /** What was being read. */
  readonly what: string;
}

interface Walk {
  questions: DnsQuestion[];
  records: DnsRecord[];
  error: DnsWalkError | undefined;
}

/**
 * A DNS message (RFC 1035). `header` is the 12-byte header (fewer bytes when the capture
 * ends inside it; the layer exists from 4 bytes on, as tshark shows id and flags then);
 * `message` is the whole message as captured; `payload` is what follows the message in
 * the same segment (further length-prefixed messages over TCP, nothing over UDP).
 * Over TCP the layer starts at the message's length prefix, and `header` and `message`
 * start after it. The sections are decoded on first use, in one bounded walk.
 */
export class Dns extends HeaderLayer {
  readonly protocol = 'dns';
  private walked: Walk | undefined;
  #header: Uint8Array | undefined;
  #message: Uint8Array | undefined;
  constructor(
    bytes: Uint8Array,
    offset: number,
    /** Where the message ends (and what follows it in the segment starts) within the packet. */
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** Where the message starts within the packet: `offset`, or past the length prefix over TCP. */
    readonly messageOffset: number,
    /** Length of the message as its carrier declares it (UDP length or TCP length prefix). */
    readonly declaredLength: number,
    readonly transport: 'udp' | 'tcp',
    readonly flavor: DnsFlavor,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  override get header(): Uint8Array {
    return (this.#header ??= this.bytes.subarray(this.messageOffset, this.headerEnd));
  }
  /** The whole message as captured. */
  get message(): Uint8Array {
    return (this.#message ??= this.bytes.subarray(this.messageOffset, this.payloadOffset));
  }
  /** The header's 16-bit field at `i`, read in place; 0 past the captured header. */
  private field(i: number): number {
    const at = this.messageOffset + i;
    return at + 2 <= this.headerEnd ? (this.bytes[at]! << 8) | this.bytes[at + 1]! : 0;
  }

  get id(): number {
    return this.field(0);
  }
  get flags(): number {
    return this.field(2);
  }
  get isResponse(): boolean {
    return (this.flags & DnsFlags.QR) !== 0;
  }
  get opcode(): number {
    return (this.flags >> 11) & 0x0f;
  }
  /** RCODE of the header (the low 4 bits; see `edns` for the extended bits). */
  get rcode(): number {
    return this.flags & 0x0f;
  }
  /** True when all four section counts were captured. */
  get headerComplete(): boolean {
    return headerShown(this) >= 12;
  }
  /** QDCOUNT; 0 when the capture ends before it. */
  get questionCount(): number {
    return this.field(4);
  }
  /** ANCOUNT; 0 when the capture ends before it. */
  get answerCount(): number {
    return this.field(6);
  }
  /** NSCOUNT; 0 when the capture ends before it. */
  get authorityCount(): number {
    return this.field(8);
  }
  /** ARCOUNT; 0 when the capture ends before it. */
  get additionalCount(): number {
    return this.field(10);
  }

  get questions(): readonly DnsQuestion[] {
    return this.walk().questions;
  }
  /** Answer, authority and additional records in wire order. */
  get records(): readonly DnsRecord[] {
    return this.walk().records;
  }
  get answers(): DnsRecord[] {
    return this.walk().records.filter((r) => r.section === 'answer');
  }
  get authorities(): DnsRecord[] {
    return this.walk().records.filter((r) => r.section === 'authority');
  }
  get additionals(): DnsRecord[] {
    return this.walk().records.filter((r) => r.section === 'additional');
  }
  /** Where decoding the sections stopped early (the message is cut short or malformed). */
  get error(): DnsWalkError | undefined {
    return this.walk().error;
  }
  /** The OPT pseudo-record, decoded. */
  get edns(): Edns | undefined {
    const opt = this.walk().records.find((r) => r.type === 41);
    if (!opt) return undefined;
    return {
      udpPayloadSize: opt.class,
      extendedRcode: opt.ttl >>> 24,
      version: (opt.ttl >>> 16) & 0xff,
      dnssecOk: (opt.ttl & 0x8000) !== 0,
      options: opt.data?.kind === 'OPT' ? opt.data.options : [],
    };
  }

  private walk(): Walk {
    return (this.walked ??= walkMessage(this.message, this.flavor === 'mdns'));
  }
}

/** Bytes of the 12-byte header captured. */
function headerShown(l: Dns): number {
  return l.headerEnd - l.messageOffset;
}

const SECTIONS: readonly DnsSection[] = ['answer', 'authority', 'additional'];

/** Where a record's decoded RDATA goes, and what it keeps of a decoding given up part way (TXT strings, bitmap types). */
interface RDataHolder {
  data: DnsRData | undefined;
}

/** Receives what `walkSections` reads, in wire order. */
interface SectionVisitor {
  /** True when question names are wanted as text; otherwise they are only skipped. */
  readonly questionNames: boolean;
  /** True when the owner names of records are wanted as text. */
  readonly recordNames: boolean;
  /** A question; `name` is empty when names are not wanted. `cls` is as on the wire. */
  question(name: string, type: number, cls: number): void;
  /**
   * A record read up to its RDATA (at `at`, `rdlength` bytes, all captured). `cls` is
   * without the mDNS cache-flush bit, which `cacheFlush` gives. Returns the holder for its
   * decoded RDATA, or undefined when the RDATA needs no decoding: the visitor has read what
   * it wants of it, and decoding it could not end the walk (see `addressSize`).
   */
  record(section: number, name: string, type: number, cls: number, ttl: number, cacheFlush: boolean, at: number, rdlength: number): RDataHolder | undefined;
  /** The RDATA of the record just given, decoded into its holder or given up on (the walk then ends). */
  recordDone(holder: RDataHolder): void;
}

/**
 * Reads the sections as tshark does: a question or record is given to `visit` only once its
 * fixed fields were read (a record only if all its RDLENGTH bytes were captured); the first
 * read past the captured message ends the walk, and where it ended is returned. Every count
 * is bounded by the bytes (a question takes 5 bytes at least, a record 11).
 */
function walkSections(msg: Uint8Array, mdns: boolean, visit: SectionVisitor): DnsWalkError | undefined {
  try {
    if (msg.length < 12) throw new DnsBounds(msg.length, 'header');
    let o = 12;
    const qd = u16(msg, 4);
    for (let i = 0; i < qd; i++) {
      o = passName(msg, o, visit.questionNames);
      if (o + 4 > msg.length) throw new DnsBounds(msg.length, 'question type and class');
      visit.question(passedName, u16(msg, o), u16(msg, o + 2));
      o += 4;
    }
    for (let s = 0; s < 3; s++) {
      const count = u16(msg, 6 + s * 2);
      for (let i = 0; i < count; i++) {
        o = passName(msg, o, visit.recordNames);
        const name = passedName;
        if (o + 10 > msg.length) throw new DnsBounds(msg.length, 'record header');
        const type = u16(msg, o);
        const cls = u16(msg, o + 2);
        const ttl = u32(msg, o + 4);
        const rdlength = u16(msg, o + 8);
        o += 10;
        if (o + rdlength > msg.length) throw new DnsBounds(msg.length, 'record data');
        const flush = mdns && type !== 41 && (cls & 0x8000) !== 0;
        const holder = visit.record(s, name, type, flush ? cls & 0x7fff : cls, ttl, flush, o, rdlength);
        if (holder !== undefined) {
          try {
            holder.data = decodeRData(msg, type, o, rdlength, holder);
          } finally {
            visit.recordDone(holder);
          }
        }
        o += rdlength;
      }
    }
  } catch (e) {
    if (!(e instanceof DnsBounds)) throw e;
    return { at: e.at, what: e.what };
  }
  return undefined;
}

// The text of the name `passName` read last ('' when it was only skipped).
let passedName = '';

/** Reads (with `text`) or skips the name at `o`; returns where it ends. */
function passName(msg: Uint8Array, o: number, text: boolean): number {
  if (!text) {
    passedName = '';
    return o + skipName(msg, o);
  }
  const n = readName(msg, o);
  passedName = n.text;
  return o + n.length;
}

/** The walk of a layer: every question and record as objects. */
class ObjectWalk implements SectionVisitor {
  readonly questionNames = true;
  readonly recordNames = true;
  readonly questions: DnsQuestion[] = [];
  readonly records: DnsRecord[] = [];
  constructor(
    private readonly msg: Uint8Array,
    private readonly mdns: boolean,
  ) {}
  question(name: string, type: number, cls: number): void {
    const mdns = this.mdns;
    this.questions.push({ name, type, class: mdns ? cls & 0x7fff : cls, unicastResponse: mdns && (cls & 0x8000) !== 0 });
  }
  record(section: number, name: string, type: number, cls: number, ttl: number, cacheFlush: boolean, at: number, rdlength: number): RDataHolder {
    const rec = new WireRecord(SECTIONS[section]!, name, type, cls, ttl, cacheFlush, this.msg, at, rdlength);
    this.records.push(rec);
    return rec;
  }
  recordDone(): void {}
}

function walkMessage(msg: Uint8Array, mdns: boolean): Walk {
  const walk = new ObjectWalk(msg, mdns);
  const error = walkSections(msg, mdns, walk);
  return { questions: walk.questions, records: walk.records, error };
}

type F = FieldExtractor<Dns>;

const FIELDS: Readonly<Record<string, F>> = {
  'dns.id': (l, out) => out.push(hex(l.id, 4)),
  'dns.flags': (l, out) => out.push(hex(l.flags, 4)),
  'dns.flags.response': (l, out) => out.push(l.isResponse ? '1' : '0'),
  'dns.flags.opcode': (l, out) => out.push(l.opcode),
  'dns.flags.rcode': (l, out) => {
    // tshark shows the reply code of responses only.
    if (l.isResponse) out.push(l.rcode);
  },
  'dns.count.queries': (l, out) => {
    if (headerShown(l) >= 6 && l.opcode !== OPCODE_UPDATE) out.push(l.questionCount);
  },
  'dns.count.answers': (l, out) => {
    if (headerShown(l) >= 8 && l.opcode !== OPCODE_UPDATE) out.push(l.answerCount);
  },
  'dns.count.auth_rr': (l, out) => {
    if (headerShown(l) >= 10 && l.opcode !== OPCODE_UPDATE) out.push(l.authorityCount);
  },
  'dns.count.add_rr': (l, out) => {
    if (headerShown(l) >= 12) out.push(l.additionalCount);
  },
  'dns.qry.name': (l, out) => {
    for (const q of l.questions) out.push(escapeFieldText(q.name));
  },
  'dns.qry.type': (l, out) => {
    for (const q of l.questions) out.push(q.type);
  },
  'dns.qry.class': (l, out) => {
    for (const q of l.questions) out.push(hex(q.class, 4));
  },
  'dns.resp.name': (l, out) => {
    for (const r of l.records) out.push(escapeFieldText(r.name));
  },
  'dns.resp.type': (l, out) => {
    // tshark shows the types of NSEC/NSEC3/CSYNC bitmaps under this name too.
    for (const r of l.records) {
      out.push(r.type);
      const d = r.data;
      if (d && (d.kind === 'NSEC' || d.kind === 'NSEC3' || d.kind === 'CSYNC')) for (const t of d.types) out.push(t);
    }
  },
  'dns.resp.ttl': (l, out) => {
    for (const r of l.records) if (r.type !== 41) out.push(r.ttl);
  },
  'dns.a': (l, out) => {
    for (const r of l.records) if (r.data?.kind === 'A') out.push(r.data.address);
  },
  'dns.aaaa': (l, out) => {
    for (const r of l.records) if (r.data?.kind === 'AAAA') out.push(r.data.address);
  },
  'dns.cname': (l, out) => {
    for (const r of l.records) if (r.type === 5 && r.data?.kind === 'name') out.push(escapeFieldText(r.data.name));
  },
  'dns.ns': (l, out) => {
    for (const r of l.records) if (r.type === 2 && r.data?.kind === 'name') out.push(escapeFieldText(r.data.name));
  },
  'dns.ptr.domain_name': (l, out) => {
    for (const r of l.records) if (r.type === 12 && r.data?.kind === 'name') out.push(escapeFieldText(r.data.name));
  },
  'dns.mx.mail_exchange': (l, out) => {
    for (const r of l.records) if (r.data?.kind === 'MX') out.push(escapeFieldText(r.data.exchange));
  },
  'dns.srv.target': (l, out) => {
    for (const r of l.records) if (r.data?.kind === 'SRV') out.push(escapeFieldText(r.data.target));
  },
  'dns.txt': (l, out) => {
    for (const r of l.records) if (r.type === 16 && r.data?.kind === 'TXT') for (const s of r.data.strings) out.push(escapeFieldText(s));
  },
};

/** Bytes the layer below declares for its payload beyond those captured. */
function missingBelow(layers: readonly Layer[]): number {
  // No layers below (a message summarised straight from the bytes): reading index -1 of an
  // empty array would be a slow property lookup, not an element read.
  const n = layers.length;
  return n === 0 ? 0 : (layers[n - 1]!.missing ?? 0);
}

/**
 * True inside the datagram an ICMP redirect quotes: tshark decodes its IP and transport
 * headers but nothing above them, so neither do we.
 */
function inQuotedRedirect(layers: readonly Layer[]): boolean {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    if (l.protocol === 'icmp' && l.quotesPacket && (l as Layer & { type?: number }).type === 5) return true;
  }
  return false;
}

/**
 * The bytes as plain data, where tshark decodes no DNS. The cast is sound: fields and
 * summaries are looked up by the layer's `protocol` (`data`), so no DNS code sees it.
 */
function asData(bytes: Uint8Array, offset: number, end: number): Dns {
  return new RawPayload(bytes, offset, end) as unknown as Dns;
}

function udpDns(flavor: DnsFlavor): Protocol<Dns> {
  return {
    name: 'dns',
    decode(bytes, offset, end, ctx) {
      if (inQuotedRedirect(ctx.layers)) return asData(bytes, offset, end);
      const have = end - offset;
      if (have < MIN_DNS) return short('dns', bytes, offset, end, MIN_DNS);
      const declared = have + missingBelow(ctx.layers);
      const l = new Dns(bytes, offset, end, end, offset + Math.min(12, have), offset, declared, 'udp', flavor);
      l.truncated = declared > have;
      return l;
    },
    fields: FIELDS,
    writeSummary: summarizeDns,
  };
}

/**
 * Skips messages too short to show anything (under 4 bytes: tshark shows nothing for
 * them and goes on to the next); returns where the next length prefix is, which may be
 * past `end` when the last message skipped is cut short. Each step moves on by 2 bytes
 * at least, so the loop ends.
 */
function skipShort(bytes: Uint8Array, from: number, end: number): number {
  let o = from;
  while (o + 2 <= end) {
    const n = u16(bytes, o);
    if (n >= MIN_DNS) break;
    o += 2 + n;
  }
  return o;
}

/**
 * DNS over TCP (RFC 1035 §4.2.2): each message has a 2-byte length prefix, and a segment
 * may hold several. One layer per message; a message cut short by the segment's end is
 * decoded as far as it goes. The layer's payload is the rest of the segment, which the
 * `dns.tcp` table sends back here when it holds another message tshark would show.
 */
export const dnsTcp: Protocol<Dns> = {
  name: 'dns',
  decode(bytes, offset, end, ctx) {
    if (inQuotedRedirect(ctx.layers)) return asData(bytes, offset, end);
    const at = skipShort(bytes, offset, end);
    // The last message skipped may run past the segment: the missing prefix is then at its end.
    if (at + 2 > end) return short('dns', bytes, Math.min(at, end), end, 2, 'length prefix');
    const declared = u16(bytes, at);
    const start = at + 2;
    const stop = Math.min(start + declared, end);
    if (stop - start < MIN_DNS) return short('dns', bytes, start, stop, MIN_DNS);
    const l = new Dns(bytes, at, stop, end, Math.min(start + 12, stop), start, declared, 'tcp', 'dns');
    l.truncated = start + declared > end;
    if (hasMessage(bytes, stop, end)) ctx.next('dns.tcp', 0);
    return l;
  },
  fields: FIELDS,
  writeSummary: summarizeDns,
};

/** True when the bytes from `from` to `end` hold a length-prefixed message with enough bytes for tshark to show it. */
function hasMessage(bytes: Uint8Array, from: number, end: number): boolean {
  const at = skipShort(bytes, from, end);
  if (at + 2 > end) return false;
  return Math.min(u16(bytes, at), end - at - 2) >= MIN_DNS;
}

/** Plain DNS over UDP (port 53). */
export const dns: Protocol<Dns> = udpDns('dns');
/** Multicast DNS over UDP (port 5353). */
export const mdns: Protocol<Dns> = udpDns('mdns');
/** LLMNR over UDP (port 5355). */
export const llmnr: Protocol<Dns> = udpDns('llmnr');

/** tcpdump's names of the 12-bit RCODE (header bits plus the OPT record's extension). */
const EXTENDED_RCODES: Record<number, string> = {
  11: ' DSOTYPENI',
  16: ' BADVERS',
  17: ' BADKEY',
  18: ' BADTIME',
  19: ' BADMODE',
  20: ' BADNAME',
  21: ' BADALG',
  22: ' BADTRUNC',
  23: ' BadCookie',
};

const OPCODES = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef'];
const RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone'];

/** The upper RCODE bits an OPT record carries (0 without one), read without building `edns`. */
function extendedRcode(l: Dns): number {
  for (const r of l.records) if (r.type === 41) return r.ttl >>> 24;
  return 0;
}

/** tcpdump's text of a DNS message: `4660+ A? www.test. (26)`, `4660 1/0/0 A 1.2.3.4 (45)`. */
export function dnsText(l: Dns): string {
  return textOf((out) => writeDnsText(out, l));
}

/** `dnsText` written into `out`. */
export function writeDnsText(out: TextBuffer, l: Dns): void {
  const complete = l.headerComplete;
  const response = l.isResponse;
  writeHeadText(out, l.bytes, l.messageOffset, complete, complete && response ? extendedRcode(l) : 0);
  if (complete) {
    if (response) {
      const answers = l.answers;
      for (let i = 0; i < answers.length; i++) writeAnswerText(out, i, answers[i]!.cacheFlush, answers[i]!.type, answers[i]!.data);
    } else {
      for (const q of l.questions) writeQuestionText(out, q.name, q.type);
    }
  }
  writeTailText(out, !complete || l.error !== undefined, l.declaredLength);
}

/**
 * `writeDnsText` for the message from `at` to `end` of `b`, the whole of a UDP datagram's
 * data (at least the 4 bytes a DNS layer needs), written without making its layer: one
 * walk of the sections that keeps no question or record. `mdns` for multicast DNS.
 */
export function writeDnsMessageText(out: TextBuffer, b: Uint8Array, at: number, end: number, mdns: boolean): void {
  const have = end - at;
  if (have < 12) {
    writeHeadText(out, b, at, false, 0);
    writeTailText(out, true, have);
    return;
  }
  // The text of the questions or answers waits until the walk has found the OPT record,
  // whose extended RCODE comes before them.
  const walk = lineWalk;
  const msg = b.subarray(at, end);
  walk.start(msg, (b[at + 2]! & 0x80) !== 0);
  const error = walkSections(msg, mdns, walk);
  writeHeadText(out, b, at, true, walk.response ? walk.extendedRcode : 0);
  out.bytes(walk.body.contents());
  writeTailText(out, error !== undefined, have);
}

/** The walk of `writeDnsMessageText`: the text of the questions of a query or the answers of a response, and the first OPT record's RCODE bits. */
class LineWalk implements SectionVisitor {
  questionNames = false;
  readonly recordNames = false;
  response = false;
  extendedRcode = 0;
  readonly body = new TextBuffer(256);
  private opt = false;
  private answers = 0;
  private section = 0;
  private type = 0;
  private flush = false;
  private readonly holder: RDataHolder = { data: undefined };
  private msg: Uint8Array = new Uint8Array(0);

  start(msg: Uint8Array, response: boolean): void {
    this.msg = msg;
    this.response = response;
    this.questionNames = !response;
    this.extendedRcode = 0;
    this.opt = false;
    this.answers = 0;
    this.body.clear();
  }
  question(name: string, type: number): void {
    if (!this.response) writeQuestionText(this.body, name, type);
  }
  record(section: number, _name: string, type: number, _cls: number, ttl: number, cacheFlush: boolean, at: number, rdlength: number): RDataHolder | undefined {
    if (type === 41 && !this.opt) {
      this.opt = true;
      this.extendedRcode = ttl >>> 24;
    }
    // Most records are read without decoding them: what is not an answer needs only to be
    // known to decode (an empty one always does), and an answer's address is copied as it is.
    const answer = this.response && section === 0;
    const size = addressSize(this.msg, type, at, rdlength);
    if (rdlength === 0 || (size !== 0 && answer)) {
      if (answer) {
        writeAnswerStart(this.body, this.answers++, cacheFlush);
        writeAddressData(this.body, type, this.msg, at, size);
      }
      return undefined;
    }
    if (size !== 0) return undefined;
    this.section = section;
    this.type = type;
    this.flush = cacheFlush;
    this.holder.data = undefined;
    return this.holder;
  }
  recordDone(holder: RDataHolder): void {
    if (this.response && this.section === 0) writeAnswerText(this.body, this.answers++, this.flush, this.type, holder.data);
  }
}
const lineWalk = new LineWalk();

/** The message's id, opcode, RCODE and flags, and its section counts when the header was captured whole. */
function writeHeadText(out: TextBuffer, b: Uint8Array, at: number, complete: boolean, extended: number): void {
  const f = u16(b, at + 2);
  out.decimal(u16(b, at));
  out.text(OPCODES[(f >> 11) & 0x0f]!);
  if (f & DnsFlags.QR) {
    const rcode = (extended << 4) | (f & 0x0f);
    out.text(RCODES[rcode] ?? EXTENDED_RCODES[rcode] ?? ` Resp${rcode}`);
    if (f & DnsFlags.AA) out.byte(0x2a);
    if (!(f & DnsFlags.RA)) out.byte(0x2d);
    if (f & DnsFlags.TC) out.byte(0x7c);
    if (f & DnsFlags.AD) out.byte(0x24);
    if (complete) {
      const qd = u16(b, at + 4);
      if (qd !== 1) writeCount(out, qd, 'q]');
      out.byte(0x20);
      out.decimal(u16(b, at + 6));
      out.byte(0x2f);
      out.decimal(u16(b, at + 8));
      out.byte(0x2f);
      out.decimal(u16(b, at + 10));
    }
  } else {
    if (f & DnsFlags.RD) out.byte(0x2b);
    if (f & DnsFlags.TC) out.byte(0x7c);
    if (complete) {
      const an = u16(b, at + 6);
      const ns = u16(b, at + 8);
      const ar = u16(b, at + 10);
      const qd = u16(b, at + 4);
      if (an) writeCount(out, an, 'a]');
      if (ns) writeCount(out, ns, 'n]');
      if (ar) writeCount(out, ar, 'au]');
      if (qd !== 1) writeCount(out, qd, 'q]');
    }
  }
}

/** ` A? www.test.`: a question of a query. */
function writeQuestionText(out: TextBuffer, name: string, type: number): void {
  out.byte(0x20);
  out.text(dnsTypeName(type));
  out.text('? ');
  writeNameWithDot(out, name);
}

/** ` A 1.2.3.4` for the first answer of a response, `, A 1.2.3.4` for the others. */
function writeAnswerText(out: TextBuffer, i: number, cacheFlush: boolean, type: number, data: DnsRData | undefined): void {
  writeAnswerStart(out, i, cacheFlush);
  writeRdataText(out, type, data);
}

/** What comes before the data of an answer. */
function writeAnswerStart(out: TextBuffer, i: number, cacheFlush: boolean): void {
  out.text(i === 0 ? ' ' : ', ');
  if (cacheFlush) out.text('(Cache flush) ');
}

/** ` [|domain]` for a message cut short or malformed, then its declared length. */
function writeTailText(out: TextBuffer, broken: boolean, declaredLength: number): void {
  if (broken) out.text(' [|domain]');
  out.text(' (');
  out.decimal(declaredLength);
  out.byte(0x29);
}

/** ` [3q]` and the like: a section count tcpdump mentions. */
function writeCount(out: TextBuffer, n: number, tail: string): void {
  out.text(' [');
  out.decimal(n);
  out.text(tail);
}

function summarizeDns(l: Dns, ctx: SummaryContext, out: TextBuffer): boolean {
  // Over TCP the segment speaks first, then its first message.
  let i = ctx.index;
  while (i > 0 && ctx.layers[i - 1]!.protocol === 'dns') i--;
  const first = ctx.layers[i] as Dns;
  const below = ctx.layers[i - 1] as (Layer & { srcport?: number; dstport?: number }) | undefined;
  if (below?.protocol === 'tcp') {
    tcp.writeSummary!(below as Tcp, { layers: ctx.layers, index: i - 1, tcpSequence: ctx.tcpSequence }, out);
    out.byte(0x20);
  } else if (below && below.srcport !== undefined && below.dstport !== undefined) {
    writeEndpoints(out, ctx.layers, i - 1, below.srcport, below.dstport);
    out.text(': ');
  } else {
    writeDnsText(out, l);
    return true;
  }
  writeDnsText(out, first);
  return true;
}
