import { InvalidArgumentError } from 'commander';

/** Commander parser: an integer >= 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Commander parser: an integer >= 0. */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number (0 or more)');
  return n;
}

/** Commander parser: a number > 0, fractions allowed. */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** Commander parser: a TCP port, 0 to 65535 (0: any free one). */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

/** Commander parser: how fast a file is replayed. */
export function speed(value: string): 'realtime' | 'max' {
  if (value !== 'realtime' && value !== 'max') throw new InvalidArgumentError('expected realtime or max');
  return value;
}
