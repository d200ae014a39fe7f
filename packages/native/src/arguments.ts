import { PcapError } from './errors.js';

// Arguments are checked here, before the addon sees them: the addon would otherwise report
// "A string was expected", silently wrap a number into a C int, or pass a bad value to libpcap.

/** Largest value libpcap takes in an `int` (snaplen, buffer size, timeout). */
export const MAX_INT = 0x7fffffff;
/** Largest batch buffer: records are addressed with 32-bit offsets, and a bigger one only costs memory. */
export const MAX_BATCH_BYTES = 1 << 30;

/** A value as the message shows it: type and value, so `'5'` and `5` differ. */
function shown(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}

/** A positional argument of the wrong type: a bug in the calling code. */
export function badArgument(fn: string, name: string, want: string, value: unknown, hint = ''): PcapError {
  return new PcapError('BAD_ARGUMENT', `${fn}: ${name} must be ${want}, got ${shown(value)}${hint ? `; ${hint}` : ''}`);
}

/** An option whose value has the wrong type or is out of range. */
export function badOption(name: string, want: string, value: unknown): PcapError {
  return new PcapError('BAD_OPTION', `option ${name} must be ${want}, got ${shown(value)}`);
}

export function requireString(fn: string, name: string, value: unknown, hint = ''): asserts value is string {
  if (typeof value !== 'string' || value === '') throw badArgument(fn, name, 'a non-empty string', value, hint);
}

export function requireBytes(fn: string, name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw badArgument(fn, name, 'a Uint8Array or Buffer', value);
}

/**
 * `options` must be an object or left out; returns it or `{}`. An option name not in
 * `known` gets a warning, once per name (see `warnUnknown`).
 */
export function optionsObject<T extends object>(fn: string, value: T | undefined, known: readonly (keyof T & string)[]): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badArgument(fn, 'options', 'an object (or left out)', value);
  }
  for (const key of Object.keys(value)) if (!known.includes(key as keyof T & string)) warnUnknown(fn, key, known);
  return value;
}

const warned = new Set<string>();

/**
 * A process warning (type `PcapWarning`, code `PCAP_UNKNOWN_OPTION`) for an option `fn` does
 * not know: a typo (`promiscuous`, `bufferSize` as `buffersize`) would otherwise be ignored
 * without a word, and a capture run without what was asked for. Not an error, so that one
 * object passed to several functions keeps working.
 */
function warnUnknown(fn: string, key: string, known: readonly string[]): void {
  const seen = `${key}:${known.join()}`;
  if (warned.has(seen)) return;
  warned.add(seen);
  const near = nearest(key, known);
  process.emitWarning(`${fn}: unknown option ${JSON.stringify(key)} is ignored; ${near ? `did you mean ${JSON.stringify(near)}?` : `it takes ${known.join(', ')}`}`, {
    type: 'PcapWarning',
    code: 'PCAP_UNKNOWN_OPTION',
  });
}

/** The known name fewest edits away from `name` (case aside), if within half its length; the binding does not load the decoder's helper. */
function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestEdits = Math.max(3, name.length >> 1) + 1;
  const a = name.toLowerCase();
  for (const k of known) {
    const b = k.toLowerCase();
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    if (row[b.length]! < bestEdits) {
      best = k;
      bestEdits = row[b.length]!;
    }
  }
  return best;
}

/** Checks `options[key]` is an integer in [min, max], when it is given. */
export function integerOption(options: object, key: string, min: number, max: number, unit = ''): void {
  const v = (options as Record<string, unknown>)[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = min === 1 ? `a positive integer${unit} (at most ${max})` : `an integer${unit} from ${min} to ${max}`;
    throw badOption(key, range, v);
  }
}

export function booleanOption(options: object, key: string): void {
  const v = (options as Record<string, unknown>)[key];
  if (v !== undefined && typeof v !== 'boolean') throw badOption(key, 'true or false', v);
}

export function stringOption(options: object, key: string, hint = ''): void {
  const v = (options as Record<string, unknown>)[key];
  if (v !== undefined && typeof v !== 'string') throw badOption(key, `a string${hint}`, v);
}

export function choiceOption(options: object, key: string, choices: readonly string[]): void {
  const v = (options as Record<string, unknown>)[key];
  if (v !== undefined && !(typeof v === 'string' && choices.includes(v))) {
    const list = choices.map((c) => `'${c}'`);
    throw badOption(key, `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`, v);
  }
}

export function functionOption(options: object, key: string): void {
  const v = (options as Record<string, unknown>)[key];
  if (v !== undefined && typeof v !== 'function') throw badOption(key, 'a function', v);
}
