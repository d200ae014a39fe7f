/**
 * Argument errors of the public API. A value of the wrong type would otherwise fail deep
 * inside ("Cannot read properties of null") or, worse, give a wrong answer (a string read
 * as bytes), so each entry point checks its arguments first and says what to pass instead.
 * `@pcap/tcp` and `@pcap/http` use the same functions, so every package speaks alike.
 */
import { closestNames } from './names.js';

/**
 * How a value shows in an error message: its type and, when short, the value itself, so
 * that `'5'` and `5` differ: `string "abc"`, `number 123`, `null`, `an array of 3`,
 * `an object (ArrayBuffer)`.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'bigint':
      return `bigint ${String(value)}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const name = proto?.constructor?.name;
  return name && name !== 'Object' ? `an object (${name})` : 'an object';
}

/** An error that also carries Node's code for the same mistake, so that callers can branch on it. */
function withCode<E extends Error>(error: E, code: string): E & { code: string } {
  return Object.assign(error, { code });
}

function message(fn: string, name: string, want: string, value: unknown, hint: string): string {
  return `${fn}: ${name} must be ${want}, got ${describeValue(value)}${hint ? `; ${hint}` : ''}`;
}

/**
 * A `TypeError` (code `ERR_INVALID_ARG_TYPE`) for an argument of the wrong type:
 * `fn: name must be want, got ...; hint`.
 */
export function argumentTypeError(fn: string, name: string, want: string, value: unknown, hint = ''): TypeError & { code: string } {
  return withCode(new TypeError(message(fn, name, want, value, hint)), 'ERR_INVALID_ARG_TYPE');
}

/**
 * A `RangeError` (code `ERR_OUT_OF_RANGE`) for an argument of the right type but a value
 * that cannot be used: `fn: name must be want, got ...; hint`.
 */
export function argumentRangeError(fn: string, name: string, want: string, value: unknown, hint = ''): RangeError & { code: string } {
  return withCode(new RangeError(message(fn, name, want, value, hint)), 'ERR_OUT_OF_RANGE');
}

/**
 * `options` must be an object or left out; returns it, or `{}` when left out. With `known`,
 * the option names `fn` takes, a name it does not know gets a warning (see
 * `warnUnknownOptions`).
 */
export function optionsArgument<T extends object>(fn: string, options: T | undefined, name = 'options', known?: readonly (keyof T & string)[]): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw argumentTypeError(fn, name, 'an object (or left out)', options);
  }
  if (known) warnUnknownOptions(fn, options, known);
  return options;
}

const warned = new Set<string>();

/**
 * Warns, once per name, of an option `fn` does not know: a mistyped name
 * (`chunksize`, `maxbodybytes`) would otherwise be ignored without a word. A warning, not an
 * error, so that callers passing one object to several functions keep working. In Node it
 * is a process warning (type `PcapWarning`, code `PCAP_UNKNOWN_OPTION`), which Node prints
 * on stderr and `process.on('warning')` receives; elsewhere it goes to `console.warn`.
 */
export function warnUnknownOptions(fn: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    // Once per name and set of options, so that a function that checks what another has
    // checked already (a constructor behind a factory) does not warn twice.
    const seen = `${key}:${known.join()}`;
    if (warned.has(seen)) continue;
    warned.add(seen);
    const near = closestNames(key, known, 1);
    const text = `${fn}: unknown option ${JSON.stringify(key)} is ignored; ${near.length ? `did you mean ${JSON.stringify(near[0])}?` : `it takes ${known.join(', ')}`}`;
    const proc = (globalThis as { process?: { emitWarning?: (text: string, options: { type: string; code: string }) => void } }).process;
    if (typeof proc?.emitWarning === 'function') proc.emitWarning(text, { type: 'PcapWarning', code: 'PCAP_UNKNOWN_OPTION' });
    else console.warn(text);
  }
}

/**
 * Checks that `value`, when given, is an integer from `min` to `max`: a `TypeError` for
 * anything but a number, a `RangeError` for a number outside the range or with a fraction.
 */
export function integerArgument(fn: string, name: string, value: unknown, min: number, max: number, hint = ''): void {
  if (value === undefined) return;
  if (typeof value !== 'number') throw argumentTypeError(fn, name, `an integer from ${min} to ${max}`, value, hint);
  if (!Number.isInteger(value) || value < min || value > max) throw argumentRangeError(fn, name, `an integer from ${min} to ${max}`, value, hint);
}

/** Checks that `value`, when given, is a boolean. */
export function booleanArgument(fn: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw argumentTypeError(fn, name, 'true or false', value);
}

/** Checks that `value`, when given, is a string. */
export function stringArgument(fn: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') throw argumentTypeError(fn, name, 'a string', value);
}

/** Checks that `value`, when given, is an array of strings. */
export function stringsArgument(fn: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    throw argumentTypeError(fn, name, 'an array of strings', value, typeof value === 'string' ? `wrap one in a list: ${name.split('.').at(-1)}: [text]` : '');
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') throw argumentTypeError(fn, `${name}[${i}]`, 'a string', value[i]);
  }
}

/**
 * True for a `Uint8Array` (a `Buffer` is one), also one made in another realm (a `vm`
 * context), which `instanceof` alone would refuse.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'Uint8Array');
}

/** What to do with a value given where bytes were wanted, for the message's hint. */
export function bytesHint(value: unknown): string {
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
    return 'wrap it: new Uint8Array(buffer)';
  }
  if (ArrayBuffer.isView(value)) return 'view its bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength)';
  if (Array.isArray(value)) return 'convert it: Uint8Array.from(array)';
  if (typeof value === 'string') return "text is not bytes: for hex use Buffer.from(text, 'hex')";
  return '';
}
