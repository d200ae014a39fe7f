import { SingleBar } from 'cli-progress';
import { createReadStream, statSync } from 'node:fs';

/** Files smaller than this read too fast for a bar to help. */
const MIN_BYTES = 32 << 20;

/**
 * The file's bytes, with a progress bar on stderr while they are read — only when stderr is
 * a terminal and the file is large; never in pipes.
 */
export async function* fileChunks(path: string, stderr: NodeJS.WritableStream & { isTTY?: boolean }): AsyncGenerator<Uint8Array> {
  const size = statSync(path).size;
  const stream = createReadStream(path, { highWaterMark: 1 << 15 });
  if (!stderr.isTTY || size < MIN_BYTES) {
    yield* stream as AsyncIterable<Uint8Array>;
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
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      done += chunk.length;
      bar.update(mb(done));
      yield chunk;
    }
  } finally {
    bar.stop();
  }
}
