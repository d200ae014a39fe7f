import { CaptureFileError, describeMagic } from './errors.js';
import type { FormatParser } from './format.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import type { CaptureInfo, CaptureRecord } from './record.js';

/** Anything a capture can be read from: a file path, bytes, a Node stream or a web stream. */
export type CaptureSource = string | Uint8Array | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Bytes the file header of each format takes before the first record. */
const PCAP_HEADER = 24;

/**
 * Recognises the format from the file's first bytes. Returns undefined when more bytes are
 * needed; throws `CaptureFileError('NOT_A_CAPTURE')` naming what was found otherwise.
 */
function openFormat(buf: Uint8Array, final: boolean): { parser: FormatParser; headerLength: number } | undefined {
  if (buf.length < 4) {
    if (!final) return undefined;
    throw new CaptureFileError('NOT_A_CAPTURE', `not a capture file: ${describeMagic(buf)}`, 0, 0);
  }
  const magic = ((buf[0]! << 24) >>> 0) + ((buf[1]! << 16) | (buf[2]! << 8) | buf[3]!);
  if (isPcapMagic(magic)) {
    if (buf.length < PCAP_HEADER) {
      if (!final) return undefined;
      throw new CaptureFileError('TRUNCATED', `file ends inside the pcap file header: ${buf.length} of ${PCAP_HEADER} bytes present`, 0, 0);
    }
    return { parser: new PcapParser(buf), headerLength: PCAP_HEADER };
  }
  if (magic === 0x0a0d0d0a) {
    throw new CaptureFileError('UNSUPPORTED', 'pcapng files are not read by this version; convert with `editcap -F pcap`', 0, 0);
  }
  throw new CaptureFileError('NOT_A_CAPTURE', `not a pcap or pcapng file: ${describeMagic(buf)}`, 0, 0);
}

/**
 * Reads every record from an in-memory capture, synchronously. After the last whole
 * record of a damaged file it throws a `CaptureFileError` saying where and why.
 *
 * ```ts
 * for (const rec of parseCapture(readFileSync('x.pcap'))) console.log(rec.number, rec.capturedLength);
 * ```
 */
export function* parseCapture(bytes: Uint8Array): Generator<CaptureRecord, CaptureInfo, undefined> {
  const opened = openFormat(bytes, true)!;
  const { parser } = opened;
  let pos = opened.headerLength;
  for (;;) {
    const step = parser.next(bytes, pos, 0);
    if (!step) break;
    pos = step.end;
    if (step.record) yield step.record;
  }
  if (pos < bytes.length) throw new CaptureFileError('TRUNCATED', parser.describeCut(bytes, pos, 0), pos, parser.packets);
  return parser.info;
}

/** Reads a capture record by record, holding at most one partial record beside the current chunk. */
export class CaptureReader implements AsyncIterable<CaptureRecord> {
  private parser: FormatParser | undefined;
  private started = false;

  constructor(private readonly source: CaptureSource) {}

  /** The file header, once the first record has been asked for. */
  get info(): CaptureInfo | undefined {
    return this.parser?.info;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CaptureRecord> {
    if (this.started) throw new Error('a CaptureReader can be iterated once; make another for a second pass');
    this.started = true;
    let buf: Uint8Array = new Uint8Array(0);
    let pos = 0;
    let fileOffset = 0;
    for await (const chunk of chunksOf(this.source)) {
      if (chunk.length === 0) continue;
      if (pos >= buf.length) {
        fileOffset += buf.length;
        buf = chunk;
      } else {
        // Only the tail of one record is carried over, so this copy stays small.
        const joined = new Uint8Array(buf.length - pos + chunk.length);
        joined.set(buf.subarray(pos), 0);
        joined.set(chunk, buf.length - pos);
        fileOffset += pos;
        buf = joined;
      }
      pos = 0;
      if (!this.parser) {
        const opened = openFormat(buf, false);
        if (!opened) continue;
        this.parser = opened.parser;
        pos = opened.headerLength;
      }
      for (;;) {
        const step = this.parser.next(buf, pos, fileOffset);
        if (!step) break;
        pos = step.end;
        if (step.record) yield step.record;
      }
    }
    if (!this.parser) {
      this.parser = openFormat(buf, true)!.parser;
      pos = PCAP_HEADER;
    }
    if (pos < buf.length) {
      throw new CaptureFileError('TRUNCATED', this.parser.describeCut(buf, pos, fileOffset), fileOffset + pos, this.parser.packets);
    }
  }
}

/**
 * Reads a capture file's records as an async iterator with backpressure: the source is
 * read only as fast as the loop consumes records, so memory stays flat for any file size.
 *
 * ```ts
 * for await (const rec of readCapture('trace.pcap')) {
 *   const pkt = decodePacket(rec.data, rec.linkType);
 * }
 * ```
 */
export function readCapture(source: CaptureSource): CaptureReader {
  return new CaptureReader(source);
}

async function* chunksOf(source: CaptureSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    const { createReadStream } = await import('node:fs');
    yield* createReadStream(source, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>;
  } else if (source instanceof Uint8Array) {
    yield source;
  } else if (typeof (source as ReadableStream).getReader === 'function' && !(Symbol.asyncIterator in source)) {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source as AsyncIterable<Uint8Array>;
  }
}
