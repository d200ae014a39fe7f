/**
 * What to do when the reader of standard output goes away (`pcap capture -w f | head`).
 * A command that holds something worth finishing - a capture file, a summary - registers
 * a handler; otherwise the process simply ends, as `pcap read x | head` should.
 */
let handler: (() => void) | undefined;

/** Registers `fn` to run on a broken pipe; returns a function that unregisters it. */
export function onBrokenPipe(fn: () => void): () => void {
  handler = fn;
  return () => {
    if (handler === fn) handler = undefined;
  };
}

/** Called when writing to standard output fails with EPIPE; false when nobody handles it. */
export function brokenPipe(): boolean {
  if (!handler) return false;
  handler();
  return true;
}
