import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { Writable } from 'node:stream';
import { readCommand } from './commands/read.js';
import { CliError, ExitCode } from './errors.js';

export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream;
}

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
    .option('-c, --count <n>', 'stop after n packets', positiveInt)
    .addHelpText(
      'after',
      `
Examples:
  pcap read trace.pcap
  pcap read -c 10 trace.pcap
  pcap read --fields frame.number,ip.src,ip.dst,tcp.dstport trace.pcap
  tcpdump -w - -i lo | pcap read -`,
    )
    .action(async (file: string, opts: { fields?: string; count?: number }) => {
      await readCommand(file, opts, io.stdout, io.stdin);
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
