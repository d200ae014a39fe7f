import { MAX_INT, badArgument, booleanOption, integerOption, optionsObject } from './arguments.js';
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

function checkCompile(fn: string, filter: unknown, options: CompileOptions | undefined): void {
  if (typeof filter !== 'string') throw badArgument(fn, 'filter', 'a string in tcpdump syntax, e.g. "udp port 53"', filter);
  const o = optionsObject(fn, options, ['linkType', 'snaplen', 'optimize', 'netmask']);
  integerOption(o, 'linkType', 0, MAX_INT);
  integerOption(o, 'snaplen', 1, MAX_INT, ' of bytes');
  integerOption(o, 'netmask', 0, 0xffffffff);
  booleanOption(o, 'optimize');
}

/**
 * Compiles `filter` (tcpdump syntax) without opening a device.
 * Throws a PcapError with code BAD_FILTER, the filter text and libpcap's reason.
 */
export function compileFilter(filter: string, options?: CompileOptions): BpfProgram {
  checkCompile('compileFilter', filter, options);
  options ??= {};
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
export function validateFilter(filter: string, options?: CompileOptions): FilterCheck {
  checkCompile('validateFilter', filter, options);
  try {
    return { ok: true, instructions: compileFilter(filter, options).length };
  } catch (err) {
    if (err instanceof PcapError && err.code === 'BAD_FILTER') return { ok: false, error: err };
    throw err;
  }
}
