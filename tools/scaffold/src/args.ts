import type { Carrier } from './frame.js';
import { UsageError } from './names.js';

export const USAGE = `Usage: pnpm new-protocol <name> (--udp-port N | --tcp-port N | --ethertype 0xNNNN | --ip-proto N) [--wireshark-name abbrev]

Creates packages/<name> (@pcap/<name>): a decoder of a placeholder header reached through the
given dissector table row, its registration, a test with a real frame, a README and a changeset.

  <name>                   package name after @pcap/: lowercase words joined by "-"
  --udp-port N             decode UDP port N (1-65535)
  --tcp-port N             decode TCP port N (1-65535)
  --ethertype 0xNNNN       decode EtherType 0x0600-0xffff
  --ip-proto N             decode IP protocol number N (0-255)
  --wireshark-name abbrev  Wireshark's filter name (prefix of the fields); default: <name>`;

export interface Arguments {
  readonly name: string;
  readonly carrier: Carrier;
  readonly wiresharkName?: string | undefined;
}

/** `undefined` when help was asked for. Throws `UsageError` for anything else that is wrong. */
export function parseArguments(argv: readonly string[]): Arguments | undefined {
  const positional: string[] = [];
  const carriers: Carrier[] = [];
  let wiresharkName: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return undefined;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const option = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`${option} needs a value`);
    switch (option) {
      case '--udp-port':
        carriers.push({ table: 'udp.port', key: number(option, value, 1, 0xffff) });
        break;
      case '--tcp-port':
        carriers.push({ table: 'tcp.port', key: number(option, value, 1, 0xffff) });
        break;
      case '--ip-proto':
        carriers.push({ table: 'ip.proto', key: number(option, value, 0, 0xff) });
        break;
      case '--ethertype':
        // Below 0x0600 the field is an 802.3 length, not a type.
        carriers.push({ table: 'ethertype', key: number(option, value, 0x0600, 0xffff) });
        break;
      case '--wireshark-name':
        wiresharkName = value;
        break;
      default:
        throw new UsageError(`unknown option ${option}`);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one name expected, got ${positional.join(' ')}` : 'the package name is missing');
  if (carriers.length !== 1) {
    throw new UsageError('give exactly one of --udp-port, --tcp-port, --ethertype, --ip-proto: the table row that leads to the protocol');
  }
  return { name: positional[0]!, carrier: carriers[0]!, wiresharkName };
}

/** A decimal or 0x-prefixed hexadecimal integer within [min, max]. */
function number(option: string, text: string, min: number, max: number): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^[0-9]+$/.test(text) ? parseInt(text, 10) : NaN;
  if (!(n >= min && n <= max)) {
    const range = option === '--ethertype' ? '0x0600-0xffff' : `${min}-${max}`;
    throw new UsageError(`${option} ${text}: expected a number in ${range}`);
  }
  return n;
}
