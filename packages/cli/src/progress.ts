import { readFileChunks } from '@pcap/decode';
import { SingleBar } from 'cli-progress';
import { statSync } from 'node:fs';

/** Files smaller than this read too fast for a bar to help. */
const MIN_BYTES = 32 << 20;
/** Larger reads than the library's default: the command wants speed more than a few MB of memory. */
const CHUNK_SIZE = 1 << 17;

/**
 * The file's bytes, with a progress bar on stderr while they are read — only when stderr is
 * a terminal and the file is large; never in pipes.
 */
export async function* fileChunks(path: string, stderr: NodeJS.WritableStream & { isTTY?: boolean }): AsyncGenerator<Uint8Array> {
  const stream = readFileChunks(path, { chunkSize: CHUNK_SIZE });
  const size = stderr.isTTY ? statSync(path).size : 0;
  if (size < MIN_BYTES) {
    yield* stream;
    return;
  }
  const bar = new SingleBar({
    stream: stderr,
    format: 'reading [{bar}] {percentage}% | {value}/{total} MB | eta {eta}s',
    hideCursor: true,
    clearOnComplete: true,
  });
  const mb = (n: number): number => Math.round(n / (1 << 20));
  bar.start(mb(size), 0);
  let done = 0;
  try {
    for await (const chunk of stream) {
      done += chunk.length;
      bar.update(mb(done));
      yield chunk;
    }
  } finally {
    bar.stop();
  }
}
