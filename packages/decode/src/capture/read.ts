import { argumentRangeError, argumentTypeError, bytesHint, describeValue, isBytes, optionsArgument } from '../arguments.js';
import { CaptureFileError } from './errors.js';
import { RecordCursor } from './cursor.js';
import { openFormat } from './open.js';
import type { CaptureInfo, CaptureRecord } from './record.js';

/** Anything a capture can be read from: a file path, bytes, a Node stream or a web stream. */
export type CaptureSource = string | Uint8Array | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Records handed over per batch: enough to amortise an await, few enough to keep memory flat. */
const BATCH = 256;

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
 * Reads a capture record by record, from any source, as the loop asks for them (see
 * `RecordCursor` for what it holds meanwhile).
 */
export class CaptureReader implements AsyncIterable<CaptureRecord> {
  private cursor: RecordCursor | undefined;
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
    return this.cursor?.parser?.info;
  }

  /**
   * Records as they are parsed from each chunk of the source, at most `BATCH` at a time: one
   * await per batch instead of one per record, for loops that want the last bit of speed.
   */
  async *batches(): AsyncGenerator<CaptureRecord[], void, undefined> {
    const cursor = this.start();
    let batch: CaptureRecord[] = [];
    try {
      for await (const chunk of chunksOf(this.source, this.options)) {
        if (!cursor.feed(chunk)) continue;
        for (let r = cursor.next(); r; r = cursor.next()) {
          if (batch.push(r) >= BATCH) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
      }
      cursor.end();
      for (let r = cursor.next(); r; r = cursor.next()) batch.push(r);
      if (batch.length > 0) yield batch;
      batch = [];
      cursor.checkComplete();
    } catch (e) {
      // Every whole record before the damage is handed over before the error.
      if (batch.length > 0) yield batch;
      throw e;
    }
  }

  /**
   * Records one at a time, parsed only when asked for: what waits to be handed out is bytes,
   * not objects, so nothing the caller has let go of stays alive here.
   */
  [Symbol.asyncIterator](): AsyncIterator<CaptureRecord> {
    const cursor = this.start();
    const chunks = chunksOf(this.source, this.options);
    let ended = false;
    let finished = false;
    const done: IteratorResult<CaptureRecord> = { value: undefined, done: true };
    const fail = async (e: unknown): Promise<never> => {
      finished = true;
      await chunks.return(undefined);
      throw e;
    };
    // Reads chunks until one completes a record, or the source ends.
    const pull = async (): Promise<IteratorResult<CaptureRecord>> => {
      try {
        while (!ended) {
          const c = await chunks.next();
          if (c.done) {
            ended = true;
            cursor.end();
          } else if (!cursor.feed(c.value)) continue;
          const r = cursor.next();
          if (r) return { value: r, done: false };
        }
        finished = true;
        cursor.checkComplete();
        return done;
      } catch (e) {
        return fail(e);
      }
    };
    // A call made while a pull is under way waits for it, so records come out in order.
    let pulling: Promise<IteratorResult<CaptureRecord>> | undefined;
    const settle = (): void => {
      pulling = undefined;
    };
    const next = (): Promise<IteratorResult<CaptureRecord>> => {
      if (pulling) return pulling.then(next, next);
      if (finished) return Promise.resolve(done);
      let r: CaptureRecord | undefined;
      try {
        r = cursor.next();
      } catch (e) {
        return fail(e);
      }
      if (r) return Promise.resolve({ value: r, done: false });
      const p = pull();
      pulling = p;
      p.then(settle, settle);
      return p;
    };
    return {
      next,
      return: async () => {
        finished = true;
        await chunks.return(undefined);
        return done;
      },
    };
  }

  /** Marks the reader as iterated; a second iteration could only see what the first left. */
  private start(): RecordCursor {
    if (this.started) throw new Error('a CaptureReader can be iterated once; make another for a second pass');
    this.started = true;
    const cursor = new RecordCursor();
    this.cursor = cursor;
    return cursor;
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
  const o = optionsArgument<FileReadOptions>(fn, options as FileReadOptions, 'options', ['chunkSize']);
  const size = o.chunkSize as unknown;
  if (size === undefined) return FILE_CHUNK;
  const want = `a positive integer of bytes (at most ${MAX_CHUNK})`;
  const hint = `e.g. { chunkSize: ${1 << 16} } for 64 KiB reads`;
  if (typeof size !== 'number') throw argumentTypeError(fn, 'option chunkSize', want, size, hint);
  if (!Number.isInteger(size) || size < 1 || size > MAX_CHUNK) throw argumentRangeError(fn, 'option chunkSize', want, size, hint);
  return size;
}

/** A plain Uint8Array view of a chunk (Node streams give Buffers), so records look alike whatever the source. */
function plain(chunk: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(chunk) === Uint8Array.prototype ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Bytes per read of a file. Larger reads save little now that a regular file is read
 * synchronously (128 KiB ones about 5-10 % faster over 1M packets), but a chunk lives until its
 * last record is parsed: a loop that does much per record (every field of every layer read,
 * say) then makes several young-generation collections per chunk, the chunk is moved to the
 * old generation, and such chunks pile up until a full collection (128 KiB: 137 MB peak for
 * 1M packets against 63 MB at 32 KiB). Much smaller ones cost more: more records cross from
 * one chunk into the next and are copied together (8 KiB: about 1.7 times the time).
 */
const FILE_CHUNK = 1 << 15;

/** How a file is read. */
export interface FileReadOptions {
  /**
   * Bytes per read; default 32 KiB. Larger reads are a little faster (128 KiB ones about 5-10 %)
   * at the price of memory: a chunk is held until its last record is parsed, and a loop doing
   * much work per record can then keep larger chunks alive until a full collection.
   */
  chunkSize?: number;
}
/**
 * How long a loop over a regular file's records may run before the reader lets the event loop
 * turn. Its reads do not wait on it, so without this, timers, signals and other I/O would
 * wait for the whole file; and the memory of chunks already collected is given back to the
 * system only as the loop turns (`pcap read --fields` over 1M packets peaks at 88 MB with a
 * turn every 10 ms, 66 MB with one every 2 ms, at the same speed).
 */
const TURN_MS = 2;

/**
 * A file's bytes in order. A regular file is read with synchronous reads: from the page cache
 * one takes about 10 µs, where the trip through libuv's thread pool that an asynchronous read makes
 * costs about 60 µs, more than parsing the chunk's records. Anything else (a FIFO, /dev/stdin, a
 * character device) may block for as long as its writer likes, so it is read asynchronously,
 * one read at a time from where the last one stopped.
 */
export function fileChunks(path: string, options: FileReadOptions = {}): AsyncGenerator<Uint8Array> {
  // Checked here, not in the generator, so that a wrong argument throws at the call.
  if (typeof path !== 'string' || path === '') {
    throw argumentTypeError('readFileChunks', 'path', 'a non-empty file path string', path, isBytes(path) ? 'for bytes in memory use parseCapture(bytes)' : "e.g. readFileChunks('trace.pcap')");
  }
  return readChunks(path, checkReadOptions('readFileChunks', options));
}

async function* readChunks(path: string, size: number): AsyncGenerator<Uint8Array> {
  const fs = await import('node:fs');
  const fd = await new Promise<number>((resolve, reject) => fs.open(path, 'r', (e, fd) => (e ? reject(e) : resolve(fd))));
  try {
    const regular = await new Promise<boolean>((resolve, reject) => fs.fstat(fd, (e, st) => (e ? reject(e) : resolve(st.isFile()))));
    let turned = Date.now();
    for (;;) {
      // A fresh buffer per read: records are views of it, and the caller may keep them.
      const buf = new Uint8Array(size);
      let n: number;
      if (regular) {
        n = fs.readSync(fd, buf, 0, size, null);
        const now = Date.now();
        if (now - turned >= TURN_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          turned = Date.now();
        }
      } else {
        n = await new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, size, null, (e, n) => (e ? reject(e) : resolve(n))));
      }
      if (n === 0) return;
      yield n === size ? buf : buf.subarray(0, n);
    }
  } finally {
    await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
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
