import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { readCommand, type ReadOptions } from './commands/read.js';
import { statsCommand, type StatsOptions } from './commands/stats.js';
import { CliError, ExitCode } from './errors.js';
import type { Io } from './io.js';

export type { Io };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function program(io: Io): Command {
  const cmd = new Command('pcap')
    .description('Read, capture and decode packets.')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  cmd
    .command('read')
    .description('Print the packets of a pcap file (or of standard input with -), one line each.')
    .argument('<file>', 'capture file, or - for standard input')
    .option('--fields <names>', 'print these Wireshark fields, tab-separated (tshark -T fields style)')
    .option('--json', 'print one JSON object per packet (NDJSON) with every decoded layer')
    .option('-v, --verbose', 'add each layer and its fields under the line')
    .option('-x, --hex', 'add a hex dump of the packet under the line')
    .option('-c, --count <n>', 'stop after n packets', positiveInt)
    .addHelpText(
      'after',
      `
Examples:
  pcap read trace.pcap
  pcap read -c 10 trace.pcap
  pcap read --fields frame.number,ip.src,ip.dst,tcp.dstport trace.pcap
  pcap read --json trace.pcap | jq .layers[].protocol
  pcap read -v -x -c 1 trace.pcap
  tcpdump -w - -i lo | pcap read -`,
    )
    .action(async (file: string, opts: ReadOptions) => {
      await readCommand(file, opts, io);
    });
  cmd
    .command('stats')
    .description('Summarise a capture file: counts, times, link types, protocol hierarchy and top conversations.')
    .argument('<file>', 'capture file, or - for standard input')
    .option('--json', 'print the statistics as one JSON object')
    .option('--top <n>', 'how many conversations to list (default 10)', positiveInt)
    .addHelpText(
      'after',
      `
Examples:
  pcap stats trace.pcap
  pcap stats --json --top 3 trace.pcapng`,
    )
    .action(async (file: string, opts: StatsOptions) => {
      const error = await statsCommand(file, opts, io);
      if (error) throw new CliError(error);
    });
  return cmd;
}

/** Runs the command line `argv` (without node and script) and returns the exit status. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    await program(io).parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return ExitCode.OK;
      return ExitCode.USAGE;
    }
    if (e instanceof CliError) {
      io.stderr.write(`pcap: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'EPIPE') return ExitCode.OK;
    io.stderr.write(`pcap: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.RUNTIME;
  }
}
