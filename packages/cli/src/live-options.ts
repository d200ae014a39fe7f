import { Option, type Command } from 'commander';
import { UsageError } from './errors.js';
import { positiveInt, positiveNumber, wholeNumber } from './numbers.js';

/** The options every live-capturing subcommand takes. */
export interface LiveOptions {
  interface?: string;
  /** BPF filter, tcpdump syntax. */
  filter?: string;
  /** Stop after this many packets. */
  count?: number;
  snaplen?: number;
  /** `--no-promisc` sets it false. */
  promisc?: boolean;
  immediate?: boolean;
  /** Kernel buffer in KiB, as tcpdump's -B. */
  bufferSize?: number;
  /** Packet buffer timeout in milliseconds. */
  timeout?: number;
  monitor?: boolean;
  /** Stop after this many seconds. */
  duration?: number;
}

/** `-i DEVICE`: mandatory for `capture`, the alternative to a file for `http` and `tcp`. */
export function interfaceOption(required: boolean): Option {
  const o = new Option('-i, --interface <name>', 'device to capture on (pcap devices lists them)');
  return required ? o.makeOptionMandatory() : o;
}

/** Adds the options that tune a live capture (shared by capture, http and tcp) to `cmd`. */
export function addTuningOptions(cmd: Command): Command {
  return cmd
    .option('--snaplen <bytes>', 'bytes kept of each packet (default 262144)', positiveInt)
    .option('--no-promisc', 'do not put the device in promiscuous mode')
    .option('--immediate', 'deliver each packet as soon as it arrives')
    .option('--buffer-size <KiB>', 'kernel capture buffer in KiB, as tcpdump -B (default 2048; 32768 with --immediate)', positiveInt)
    .option('--timeout <ms>', 'packet buffer timeout in milliseconds (default 100)', wholeNumber)
    .option('--monitor', 'capture Wi-Fi in monitor (rfmon) mode')
    .option('--duration <seconds>', 'stop after this many seconds', positiveNumber);
}

/** Options that only make sense when capturing, given to a file command: a usage error. */
export function rejectLiveOnly(opts: LiveOptions, what: string): void {
  const given: string[] = (['snaplen', 'immediate', 'bufferSize', 'timeout', 'monitor', 'duration'] as const).filter((k) => opts[k] !== undefined);
  if (opts.promisc === false) given.push('promisc');
  if (given.length) {
    const flag = (k: string): string => (k === 'promisc' ? '--no-promisc' : `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new UsageError(`${given.map(flag).join(', ')} only apply to a live capture (-i), not to ${what}`);
  }
}

