import { argumentRangeError, argumentTypeError, isBytes, type Packet } from '@pcap/decode';
import type { PacketTime } from './time.js';

/** A decoded packet: duck-typed, so that a `Packet` from another copy of `@pcap/decode` is one too. */
export function isPacket(value: unknown): value is Packet {
  return typeof value === 'object' && value !== null && Array.isArray((value as Packet).layers);
}

/** True for anything with numeric `seconds` and `nanoseconds`: a capture record or a `PacketTime`. */
export function isTime(value: unknown): value is PacketTime {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PacketTime).seconds === 'number' &&
    typeof (value as PacketTime).nanoseconds === 'number'
  );
}

/** Throws for a value given where a decoded packet was wanted. */
export function badPacket(fn: string, value: unknown): TypeError {
  const record = typeof value === 'object' && value !== null && isBytes((value as { data?: unknown }).data);
  return argumentTypeError(
    fn,
    'packet',
    'a Packet (what decodePacket() returns)',
    value,
    record ? 'for a capture record use addRecord(record), or decodePacket(record.data, record.linkType)' : 'decode the bytes first: decodePacket(record.data, record.linkType)',
  );
}

/** Throws for a value given where a packet time was wanted. */
export function badTime(fn: string, name: string, value: unknown): TypeError | RangeError {
  const want = 'a packet time { seconds, nanoseconds }';
  const hint = 'pass the capture record (it has both), or fromSeconds(t) for a time in seconds';
  if (isTime(value)) return argumentRangeError(fn, name, `${want} of finite numbers`, value, hint);
  return argumentTypeError(fn, name, want, value, hint);
}

/** Checks a packet time, also that its numbers are finite (NaN would stop every timeout). */
export function checkTime(fn: string, name: string, value: unknown): void {
  if (!isTime(value) || !Number.isFinite(value.seconds) || !Number.isFinite(value.nanoseconds)) throw badTime(fn, name, value);
}
