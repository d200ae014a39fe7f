import { argumentRangeError, argumentTypeError, bytesHint, describeValue, isBytes, optionsArgument } from '../arguments.js';
import { CaptureFileError, describeMagic } from './errors.js';
import type { FormatParser } from './format.js';
import { u32 } from '../bytes.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import { PCAPNG_PROBE, PcapngBlock, PcapngParser } from './pcapng.js';
import type { CaptureInfo, CaptureRecord } from './record.js';

/** Anything a capture can be read from: a file path, bytes, a Node stream or a web stream. */
export type CaptureSource = string | Uint8Array | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Records handed over per batch: enough to amortise an await, few enough to keep memory flat. */
const BATCH = 256;

/** Bytes the file header of each format takes before the first record. */
const PCAP_HEADER = 24;

/** What a file's first bytes open: its parser and where its first step starts. */
interface Opened {
  readonly parser: FormatParser;
  readonly headerLength: number;
}

/** Bytes `openFormat` needs before it can decide, for the magic number at the start of `buf`. */
function probeLength(buf: Uint8Array): number {
  if (buf.length < 4) return 4;
  return u32(buf, 0) === PcapngBlock.SECTION_HEADER ? PCAPNG_PROBE : PCAP_HEADER;
}

/**
 * Recognises the format from the file's first bytes. Returns undefined when more bytes are
 * needed; throws `CaptureFileError('NOT_A_CAPTURE')` naming what was found otherwise.
 */
function openFormat(buf: Uint8Array, final: boolean): Opened | undefined {
  if (buf.length < 4) {
    if (!final) return undefined;
    throw new CaptureFileError('NOT_A_CAPTURE', `not a capture file: ${describeMagic(buf)}`, 0, 0);
  }
  const magic = u32(buf, 0);
  if (isPcapMagic(magic)) {
    if (buf.length < PCAP_HEADER) {
      if (!final) return undefined;
      throw new CaptureFileError('TRUNCATED', `file ends inside the pcap file header: ${buf.length} of ${PCAP_HEADER} bytes present`, 0, 0);
    }
    return { parser: new PcapParser(buf), headerLength: PCAP_HEADER };
  }
  if (magic === PcapngBlock.SECTION_HEADER) {
    if (buf.length < PCAPNG_PROBE) {
      if (!final) return undefined;
      throw new CaptureFileError(
        'TRUNCATED',
        `file ends inside the pcapng section header block: ${buf.length} of at least 28 bytes present`,
        0,
        0,
      );
    }
    // The section header is read again as the parser's first block.
    return { parser: new PcapngParser(buf), headerLength: 0 };
  }
  // What the file is instead is told from its first 16 bytes: wait for them, so that a
  // stream names it as the whole file does, whatever its chunks.
  if (!final && buf.length < 16) return undefined;
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
export function parseCapture(input: Uint8Array): Generator<CaptureRecord, CaptureInfo, undefined> {
  // Checked here, not in the generator, so that a wrong argument throws at the call.
  if (!isBytes(input)) {
    const hint =
      typeof input === 'string'
        ? 'parseCapture takes the file\'s bytes: parseCapture(readFileSync(path)), or read the file with readCapture(path)'
        : bytesHint(input) || 'for a stream or a file path use readCapture(source)';
    throw argumentTypeError('parseCapture', 'input', 'a Uint8Array (or Buffer) holding a whole pcap or pcapng file', input, hint);
  }
  return parseBytes(input);
}

function* parseBytes(input: Uint8Array): Generator<CaptureRecord, CaptureInfo, undefined> {
  const bytes = plain(input);
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

/**
 * Reads a capture record by record. Besides the chunk being parsed it holds only the bytes of
 * one incomplete record or block, never more than the format's largest (a damaged length
 * field is refused before anything is buffered for it).
 */
export class CaptureReader implements AsyncIterable<CaptureRecord> {
  private parser: FormatParser | undefined;
  private started = false;

  constructor(
    private readonly source: CaptureSource,
    private readonly options: FileReadOptions = {},
  ) {
    checkSource('CaptureReader', source);
    checkReadOptions('CaptureReader', options);
  }

  /** The file header, once the first record has been asked for. */
  get info(): CaptureInfo | undefined {
    return this.parser?.info;
  }

  /**
   * Records as they are parsed from each chunk of the source, at most `BATCH` at a time: one
   * await per batch instead of one per record, for loops that want the last bit of speed.
   */
  async *batches(): AsyncGenerator<CaptureRecord[], void, undefined> {
    if (this.started) throw new Error('a CaptureReader can be iterated once; make another for a second pass');
    this.started = true;
    const held: CaptureRecord[][] = [[]];
    try {
      yield* this.parse(held);
    } catch (e) {
      // Every whole record before the damage is handed over before the error.
      if (held[0]!.length > 0) yield held[0]!;
      throw e;
    }
  }

  /** `held[0]` is the batch being filled, so that `batches` can hand it over when parsing fails. */
  private async *parse(held: CaptureRecord[][]): AsyncGenerator<CaptureRecord[], void, undefined> {
    // `buf[pos..]` is unread; `fileOffset` is the file position of buf[0]. Chunks arriving while
    // a step is incomplete wait in `pending` until the step's `need` is met, then are joined once.
    let buf: Uint8Array = new Uint8Array(0);
    let pos = 0;
    let fileOffset = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let want = 4;
    let parser: FormatParser | undefined;
    let batch = held[0]!;
    // Parses every whole step in `buf[pos..]`, handing records over in batches of at most BATCH.
    const drain = function* (p: FormatParser): Generator<CaptureRecord[]> {
      for (;;) {
        const step = p.next(buf, pos, fileOffset);
        if (!step) break;
        pos = step.end;
        if (step.record && batch.push(step.record) >= BATCH) {
          yield batch;
          batch = held[0] = [];
        }
      }
      if (batch.length > 0) {
        yield batch;
        batch = held[0] = [];
      }
    };
    const join = (): void => {
      const joined = new Uint8Array(buf.length - pos + pendingBytes);
      joined.set(buf.subarray(pos), 0);
      let at = buf.length - pos;
      for (const c of pending) {
        joined.set(c, at);
        at += c.length;
      }
      fileOffset += pos;
      buf = joined;
      pos = 0;
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of chunksOf(this.source, this.options)) {
      if (chunk.length === 0) continue;
      if (pos >= buf.length && pendingBytes === 0) {
        fileOffset += buf.length;
        buf = chunk;
        pos = 0;
      } else {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (buf.length - pos + pendingBytes < want) continue;
        join();
      }
      if (!parser) {
        const opened = openFormat(buf, false);
        if (!opened) {
          want = probeLength(buf);
          continue;
        }
        this.parser = parser = opened.parser;
        pos = opened.headerLength;
      }
      yield* drain(parser);
      want = pos < buf.length ? parser.need(buf, pos, fileOffset) : 0;
    }
    if (pendingBytes > 0) join();
    if (!parser) {
      const opened = openFormat(buf, true)!;
      this.parser = parser = opened.parser;
      pos = opened.headerLength;
      yield* drain(parser);
    }
    if (pos < buf.length) {
      throw new CaptureFileError('TRUNCATED', parser.describeCut(buf, pos, fileOffset), fileOffset + pos, parser.packets);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<CaptureRecord> {
    const batches = this.batches();
    let current: CaptureRecord[] = [];
    let i = 0;
    const done: IteratorResult<CaptureRecord> = { value: undefined, done: true };
    const pull = async (): Promise<IteratorResult<CaptureRecord>> => {
      for (;;) {
        const r = await batches.next();
        if (r.done) return done;
        current = r.value;
        i = 0;
        if (current.length > 0) return { value: take(), done: false };
      }
    };
    // A record handed out is no longer held here: one the caller drops is garbage at once,
    // so a collection finds only the records still to come alive, not the whole batch.
    const take = (): CaptureRecord => {
      const r = current[i]!;
      current[i++] = undefined as unknown as CaptureRecord;
      return r;
    };
    // Records already parsed are handed out without going back to the source.
    return {
      next: () => (i < current.length ? Promise.resolve({ value: take(), done: false }) : pull()),
      return: async () => {
        current = [];
        await batches.return(undefined);
        return done;
      },
    };
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
export function readCapture(source: CaptureSource, options: FileReadOptions = {}): CaptureReader {
  checkSource('readCapture', source);
  checkReadOptions('readCapture', options);
  return new CaptureReader(source, options);
}

const SOURCE_KINDS = 'a file path, a Uint8Array, a Node Readable, a web ReadableStream or an AsyncIterable of Uint8Array chunks';

/** Throws for a value `readCapture` cannot read from, before any reading starts. */
function checkSource(fn: string, source: unknown): void {
  if (typeof source === 'string') {
    if (source === '') throw argumentTypeError(fn, 'source', SOURCE_KINDS, source, 'an empty path names no file');
    return;
  }
  if (isBytes(source)) return;
  if (typeof source === 'object' && source !== null) {
    const s = source as { getReader?: unknown; [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown };
    // Sync iterables (an array of chunks) are read by the same `for await`.
    if (typeof s.getReader === 'function' || typeof s[Symbol.asyncIterator] === 'function' || typeof s[Symbol.iterator] === 'function') return;
  }
  let hint = bytesHint(source);
  if (source instanceof URL) hint = 'pass its path: fileURLToPath(url)';
  else if (typeof source === 'object' && source !== null && typeof (source as { fd?: unknown }).fd === 'number') {
    hint = 'pass the path, or a stream: handle.readableWebStream() or createReadStream(path)';
  } else if (hint === '') hint = "e.g. readCapture('trace.pcap') or readCapture(createReadStream('trace.pcap'))";
  throw argumentTypeError(fn, 'source', SOURCE_KINDS, source, hint);
}

/** Largest read asked for: a bigger one only costs memory, and would fail to allocate long before anything is gained. */
const MAX_CHUNK = 1 << 30;

function checkReadOptions(fn: string, options: unknown): number {
  const o = optionsArgument<FileReadOptions>(fn, options as FileReadOptions);
  const size = o.chunkSize as unknown;
  if (size === undefined) return FILE_CHUNK;
  const want = `a positive integer of bytes (at most ${MAX_CHUNK})`;
  const hint = `e.g. { chunkSize: ${1 << 17} } for 128 KiB reads`;
  if (typeof size !== 'number') throw argumentTypeError(fn, 'option chunkSize', want, size, hint);
  if (!Number.isInteger(size) || size < 1 || size > MAX_CHUNK) throw argumentRangeError(fn, 'option chunkSize', want, size, hint);
  return size;
}

/** A plain Uint8Array view of a chunk (Node streams give Buffers), so records look alike whatever the source. */
function plain(chunk: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(chunk) === Uint8Array.prototype ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Bytes per read of a file: small chunks are collected sooner, which keeps memory flat. */
const FILE_CHUNK = 1 << 15;

/** How a file is read. */
export interface FileReadOptions {
  /**
   * Bytes per read; default 32 KiB. Each read is a round trip to libuv's thread pool, so
   * larger reads go faster (128 KiB reads a third to a half again as fast), at the price of a few
   * MB more memory held between collections.
   */
  chunkSize?: number;
}
/** Reads kept in flight ahead of the parser, so that it does not wait on the disk between chunks. */
const READ_AHEAD = 3;

/**
 * A file's bytes in order, with a few positioned reads in flight at once. A short read before
 * the end (not seen on regular files, but allowed) restarts the read-ahead where it stopped.
 */
export function fileChunks(path: string, options: FileReadOptions = {}): AsyncGenerator<Uint8Array> {
  // Checked here, not in the generator, so that a wrong argument throws at the call.
  if (typeof path !== 'string' || path === '') {
    throw argumentTypeError('readFileChunks', 'path', 'a non-empty file path string', path, isBytes(path) ? 'for bytes in memory use parseCapture(bytes)' : "e.g. readFileChunks('trace.pcap')");
  }
  return readChunks(path, checkReadOptions('readFileChunks', options));
}

async function* readChunks(path: string, size: number): AsyncGenerator<Uint8Array> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  const queue: Array<{ at: number; read: Promise<Uint8Array> }> = [];
  let next = 0;
  const issue = (): void => {
    const buf = new Uint8Array(size);
    const at = next;
    next += size;
    queue.push({ at, read: handle.read(buf, 0, size, at).then((r) => buf.subarray(0, r.bytesRead)) });
  };
  try {
    for (let i = 0; i < READ_AHEAD; i++) issue();
    for (;;) {
      const { at, read } = queue.shift()!;
      const chunk = await read;
      if (chunk.length === 0) return;
      if (chunk.length < size) {
        await Promise.allSettled(queue.map((q) => q.read));
        queue.length = 0;
        next = at + chunk.length;
      }
      issue();
      yield chunk;
    }
  } finally {
    await Promise.allSettled(queue.map((q) => q.read));
    await handle.close();
  }
}

async function* chunksOf(source: CaptureSource, options: FileReadOptions): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield* fileChunks(source, options);
  } else if (source instanceof Uint8Array) {
    yield plain(source);
  } else if (typeof (source as ReadableStream).getReader === 'function' && !(Symbol.asyncIterator in source)) {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        if (!isBytes(value)) throw badChunk(value);
        yield plain(value);
      }
    } finally {
      // Like a Node stream left by `break`, a web stream left early is cancelled.
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  } else {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      if (!isBytes(chunk)) throw badChunk(chunk);
      yield plain(chunk);
    }
  }
}

/** A chunk that is not bytes: found only while reading, so the error names the stream, not an argument. */
function badChunk(chunk: unknown): TypeError {
  const hint =
    typeof chunk === 'string'
      ? "open it without an encoding (createReadStream(path), not createReadStream(path, 'utf8'))"
      : 'a stream in object mode cannot be read as a capture; pass a byte stream';
  return Object.assign(new TypeError(`readCapture: the source yielded ${describeValue(chunk)} where Uint8Array chunks were expected; ${hint}`), {
    code: 'ERR_INVALID_ARG_TYPE',
  });
}
