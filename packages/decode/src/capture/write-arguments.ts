import { argumentRangeError, argumentTypeError, booleanArgument, bytesHint, integerArgument, isBytes, optionsArgument } from '../arguments.js';

/**
 * Checks a writer's `options` and `destination` and returns the options (`{}` when left
 * out). A stream given first, in place of the options, is the likely mistake, so it is named.
 */
export function checkWriterArguments<T extends { end?: boolean }>(fn: string, options: T | undefined, destination: unknown, known: readonly (keyof T & string)[]): T {
  if (typeof (options as { write?: unknown } | undefined)?.write === 'function') {
    throw argumentTypeError(fn, 'options', 'an object of options', options, `the destination goes second: new ${fn}({}, stream)`);
  }
  const o = optionsArgument(fn, options, 'options', known);
  booleanArgument(fn, 'option bigEndian', (o as { bigEndian?: unknown }).bigEndian);
  booleanArgument(fn, 'option end', o.end);
  if (destination !== undefined && typeof (destination as { write?: unknown } | null)?.write !== 'function') {
    const hint =
      typeof destination === 'string'
        ? 'open a stream on the path: createWriteStream(path)'
        : 'pass a Node Writable (createWriteStream(path), process.stdout), or leave it out and call bytes()';
    throw argumentTypeError(fn, 'destination', 'a writable stream (an object with a write method)', destination, hint);
  }
  return o;
}

/** Checks the fields every written packet has: bytes, time and, when given, its length on the wire. */
export function checkPacketFields(fn: string, packet: unknown): void {
  if (typeof packet !== 'object' || packet === null) {
    throw argumentTypeError(fn, 'packet', 'an object { seconds, nanoseconds, data }', packet, 'a capture record from readCapture() fits');
  }
  const p = packet as { seconds?: unknown; nanoseconds?: unknown; data?: unknown; originalLength?: unknown };
  if (!isBytes(p.data)) throw argumentTypeError(fn, 'packet.data', "a Uint8Array (or Buffer) of the packet's bytes", p.data, bytesHint(p.data));
  if (typeof p.seconds !== 'number') {
    throw argumentTypeError(fn, 'packet.seconds', 'a number of whole seconds since 1970', p.seconds, 'for a Date use Math.floor(date.getTime() / 1000)');
  }
  if (typeof p.nanoseconds !== 'number') throw argumentTypeError(fn, 'packet.nanoseconds', 'a number of nanoseconds (0 when unknown)', p.nanoseconds);
  integerArgument(fn, 'packet.originalLength', p.originalLength, 0, 0xffffffff, 'leave it out when the whole packet was captured');
}

/** Checks a number option that goes into a header field of `bits` bits. */
export function unsignedOption(fn: string, name: string, value: unknown, bits: 8 | 16 | 32, min = 0): void {
  integerArgument(fn, `option ${name}`, value, min, 2 ** bits - 1);
}

/** Checks that `value`, when given, is one of `choices`. */
export function choiceOption(fn: string, name: string, value: unknown, choices: readonly string[]): void {
  if (value === undefined || (typeof value === 'string' && choices.includes(value))) return;
  const want = choices.map((c) => `'${c}'`).join(' or ');
  if (typeof value !== 'string') throw argumentTypeError(fn, `option ${name}`, want, value);
  throw argumentRangeError(fn, `option ${name}`, want, value);
}
