import { pcap } from './binding.js';
import { PcapError, native } from './errors.js';

/** A compiled BPF program, one `[code, jt, jf, k]` row per instruction (tcpdump -dd). */
export type BpfProgram = Array<[number, number, number, number]>;

/** How to compile a filter without a device. */
export interface CompileOptions {
  /** Link type the filter will run on (DLT_*); default 1, Ethernet. */
  linkType?: number;
  /** Snapshot length; default 262144. */
  snaplen?: number;
  /** Run libpcap's optimizer; default true. */
  optimize?: boolean;
  /** IPv4 netmask for `ip broadcast`, as a number; unknown by default. */
  netmask?: number;
}

/**
 * Compiles `filter` (tcpdump syntax) without opening a device.
 * Throws a PcapError with code BAD_FILTER, the filter text and libpcap's reason.
 */
export function compileFilter(filter: string, options: CompileOptions = {}): BpfProgram {
  return native({ filter }, () =>
    pcap().compileFilter(
      filter,
      options.linkType ?? 1,
      options.snaplen ?? 262144,
      options.optimize ?? true,
      options.netmask,
    ),
  );
}

/** The outcome of {@link validateFilter}. */
export type FilterCheck = { ok: true; instructions: number } | { ok: false; error: PcapError };

/** Checks a filter without throwing; errors other than a bad filter (no libpcap) still throw. */
export function validateFilter(filter: string, options: CompileOptions = {}): FilterCheck {
  try {
    return { ok: true, instructions: compileFilter(filter, options).length };
  } catch (err) {
    if (err instanceof PcapError && err.code === 'BAD_FILTER') return { ok: false, error: err };
    throw err;
  }
}
