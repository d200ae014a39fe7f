import { argumentRangeError, argumentTypeError } from '@pcap/decode';

/**
 * Packet time: when a packet was captured, as the capture record says. Everything in this
 * package (timeouts, flushing, durations) runs on it, never on the wall clock, so reading a
 * file and capturing live behave the same. A `CaptureRecord` from `@pcap/decode` is one.
 */
export interface PacketTime {
  /** Whole seconds since 1970-01-01 UTC. */
  readonly seconds: number;
  /** Nanoseconds after `seconds`. */
  readonly nanoseconds: number;
}

/** A copy holding only the time, so that keeping it does not keep a record's packet bytes alive. */
export function timeOf(t: PacketTime): PacketTime {
  return { seconds: t.seconds, nanoseconds: t.nanoseconds };
}

/** Seconds since the epoch as one number (about 0.25 µs resolution today): for comparisons, not for display. */
export function toSeconds(t: PacketTime): number {
  return t.seconds + t.nanoseconds / 1e9;
}

/** `b - a` in seconds, exact to the nanosecond for spans shorter than about 100 days. */
export function secondsBetween(a: PacketTime, b: PacketTime): number {
  return b.seconds - a.seconds + (b.nanoseconds - a.nanoseconds) / 1e9;
}

/** A packet time from seconds (fractions allowed), for tests and for callers that keep time as a number. */
export function fromSeconds(s: number): PacketTime {
  if (typeof s !== 'number') throw argumentTypeError('fromSeconds', 's', 'a number of seconds since 1970', s, 'for a Date use date.getTime() / 1000');
  if (!Number.isFinite(s)) throw argumentRangeError('fromSeconds', 's', 'a finite number of seconds', s);
  const seconds = Math.floor(s);
  return { seconds, nanoseconds: Math.round((s - seconds) * 1e9) };
}
