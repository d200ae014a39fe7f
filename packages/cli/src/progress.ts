import { readFileChunks } from '@pcap/decode';
import { SingleBar } from 'cli-progress';
import { statSync } from 'node:fs';

/** Files smaller than this read too fast for a bar to help. */
const MIN_BYTES = 32 << 20;

/** A progress bar over the bytes of a file. */
export interface Progress {
  update(bytes: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for reading `size` bytes - only when stderr is a terminal and
 * the file is large; never in pipes.
 */
export function progressBar(stderr: NodeJS.WritableStream & { isTTY?: boolean }, size: number): Progress | undefined {
  if (!stderr.isTTY || size < MIN_BYTES) return undefined;
  const bar = new SingleBar({
    stream: stderr,
    format: 'reading [{bar}] {percentage}% | {value}/{total} MB | eta {eta}s',
    hideCursor: true,
    clearOnComplete: true,
  });
  const mb = (n: number): number => Math.round(n / (1 << 20));
  bar.start(mb(size), 0);
  return { update: (bytes) => bar.update(mb(bytes)), stop: () => bar.stop() };
}

/** The file's bytes, with a progress bar on stderr while they are read (see `progressBar`). */
export async function* fileChunks(path: string, stderr: NodeJS.WritableStream & { isTTY?: boolean }): AsyncGenerator<Uint8Array> {
  const stream = readFileChunks(path);
  const bar = stderr.isTTY ? progressBar(stderr, statSync(path).size) : undefined;
  if (!bar) {
    yield* stream;
    return;
  }
  let done = 0;
  try {
    for await (const chunk of stream) {
      done += chunk.length;
      bar.update(done);
      yield chunk;
    }
  } finally {
    bar.stop();
  }
}
