import type { DecoderClass } from './read';

let table: (DecoderClass | undefined)[] | undefined;

/** The `ip_protocols` table, loaded on first use to break the ipv4 <-> ip_protocols cycle. */
export function ipProtocol(n: number | undefined): DecoderClass | undefined {
  table ??= require('../decode/ip_protocols') as (DecoderClass | undefined)[];
  return n === undefined ? undefined : table[n];
}
