import type { Writable } from 'node:stream';

/** The streams a command talks to (the process's own, or a test's). */
export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
}
