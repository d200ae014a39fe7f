import { Command, CommanderError } from 'commander';
import type { CaptureOptions } from './commands/capture.js';
import type { DevicesOptions } from './commands/devices.js';
import type { FollowOptions } from './commands/follow.js';
import type { HttpOptions } from './commands/http.js';
import { readCommand, type ReadOptions } from './commands/read.js';
import type { ServeOptions } from './commands/serve.js';
import { statsCommand, type StatsOptions } from './commands/stats.js';
import type { TcpOptions } from './commands/tcp.js';
import { CliError, ExitCode } from './errors.js';
import type { Io } from './io.js';
import { addTuningOptions, interfaceOption } from './live-options.js';
import { port, positiveInt, speed, wholeNumber } from './numbers.js';

export type { Io };

// Subcommands are loaded when run, so that `pcap read` does not pay for what it does not use.

/** The options `read` and `capture` share: how each packet is printed. */
function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--fields <names>', 'print these Wireshark fields, tab-separated (tshark -T fields style)')
    .option('--json', 'print one JSON object per packet (NDJSON) with every decoded layer')
    .option('-S, --absolute-tcp-sequence', 'print absolute TCP sequence numbers (by default they are relative to each conversation, as tcpdump prints them)')
    .option('-v, --verbose', 'add each layer and its fields under the line')
    .option('-x, --hex', 'add a hex dump of the packet under the line');
}

function program(io: Io): Command {
  const cmd = new Command('pcap')
    .description('Read, capture and decode packets.')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  cmd
    .command('devices')
    .description('List the devices packets can be captured on, with their addresses and flags (like tcpdump -D).')
    .option('--json', 'print one JSON object per device')
    .addHelpText(
      'after',
      `
Examples:
  pcap devices
  pcap devices --json | jq -r 'select(.up) | .name'`,
    )
    .action(async (opts: DevicesOptions) => {
      const { devicesCommand } = await import('./commands/devices.js');
      devicesCommand(opts, io);
    });

  addOutputOptions(
    cmd
      .command('read')
      .description('Print the packets of a pcap or pcapng file (or of standard input with -), one line each.')
      .argument('<file>', 'capture file, or - for standard input'),
  )
    .option('-f, --filter <bpf>', 'only packets matching this BPF filter (tcpdump syntax; the file is read by libpcap)')
    .option('-c, --count <n>', 'stop after n packets', positiveInt)
    .option(
      '--threads <n>',
      'print on n threads (default for files of 64 MiB or more: one per CPU, at most 4, from 2 CPUs up; one for -c below 100000)',
      positiveInt,
    )
    .addHelpText(
      'after',
      `
Examples:
  pcap read trace.pcap
  pcap read -c 10 trace.pcap
  pcap read -f 'tcp port 443' trace.pcap
  pcap read --fields frame.number,ip.src,ip.dst,tcp.dstport trace.pcap
  pcap read --json trace.pcap | jq .layers[].protocol
  pcap read -v -x -c 1 trace.pcap
  tcpdump -w - -i lo | pcap read -
  pcap read <(zcat trace.pcap.gz)`,
    )
    .action(async (file: string, opts: ReadOptions) => {
      await readCommand(file, opts, io);
    });

  addTuningOptions(
    addOutputOptions(
      cmd
        .command('capture')
        .description('Capture packets live and print them (like tcpdump); -w also writes them to a pcap or pcapng file.')
        .addOption(interfaceOption(true))
        .option('-f, --filter <bpf>', 'only packets matching this BPF filter (tcpdump syntax)')
        .option('-c, --count <n>', 'stop after n packets', positiveInt)
        .option('-w, --write <file>', 'write the packets to FILE: pcapng if it ends in .pcapng, else pcap; - for standard output')
        .option('-q, --quiet', 'print nothing per packet (with -w: only record)'),
    ),
  )
    .addHelpText(
      'after',
      `
Capturing needs root, or capabilities given to node once:
  sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(command -v node)")"
Ctrl-C stops the capture, finishes the -w file and reports how many packets were
captured and dropped.

Examples:
  pcap capture -i eth0
  pcap capture -i eth0 -f 'tcp port 443' -c 100
  pcap capture -i any -w trace.pcapng -q --duration 60
  pcap capture -i lo -f 'udp port 53' --json
  pcap capture -i wlan0 --monitor --no-promisc --snaplen 256 -w air.pcap
  pcap capture -i eth0 -w - | tcpdump -nn -r -`,
    )
    .action(async (opts: CaptureOptions) => {
      const { captureCommand } = await import('./commands/capture.js');
      await captureCommand(opts, io);
    });

  cmd
    .command('follow')
    .description("Print the reassembled data of each TCP connection, like Wireshark's Follow TCP Stream.")
    .argument('<file>', 'capture file, or - for standard input')
    .option('--stream <n>', "only stream n (numbered in order of first packet, as tshark's tcp.stream)", wholeNumber)
    .option('--json', 'one JSON object per stream: {stream, client, server, c2s, s2c (hex), gaps}')
    .option('-f, --filter <bpf>', 'only packets matching this BPF filter (streams are numbered among them)')
    .addHelpText(
      'after',
      `
In the text view the client's data is printed as is and the server's indented by a tab;
bytes the capture missed are marked "[N bytes missing in capture file]".

Examples:
  pcap follow trace.pcap
  pcap follow --stream 3 trace.pcap
  pcap follow --json trace.pcap | jq -r 'select(.server | endswith(":80")) | .c2s' | xxd -r -p`,
    )
    .action(async (file: string, opts: FollowOptions) => {
      const { followCommand } = await import('./commands/follow.js');
      await followCommand(file, opts, io);
    });

  addTuningOptions(
    cmd
      .command('http')
      .description('One line per HTTP/1.x exchange: time, client, method, host and URL, status, sizes, timings.')
      .argument('[file]', 'capture file, or - for standard input (or capture live with -i)')
      .addOption(interfaceOption(false))
      .option('--json', 'one JSON object per exchange, with headers and timings')
      .option('-f, --filter <bpf>', 'only packets matching this BPF filter')
      .option('-c, --count <n>', 'stop after n packets', positiveInt),
  )
    .addHelpText(
      'after',
      `
"wait" is from the end of the request to the first byte of the response; "total" from
the first byte of the request to the last of the response. Sizes are body bytes.

Examples:
  pcap http trace.pcap
  pcap http --json trace.pcap | jq 'select(.status >= 500)'
  pcap http -i eth0 -f 'tcp port 80'
  pcap http -i lo --duration 30 --json`,
    )
    .action(async (file: string | undefined, opts: HttpOptions) => {
      const { httpCommand } = await import('./commands/http.js');
      await httpCommand(file, opts, io);
    });

  addTuningOptions(
    cmd
      .command('tcp')
      .description('Per-connection TCP metrics: handshake time, bytes each way, retransmissions, gaps, duration.')
      .argument('[file]', 'capture file, or - for standard input (or capture live with -i)')
      .addOption(interfaceOption(false))
      .option('--json', 'one JSON object per connection')
      .option('-f, --filter <bpf>', 'only packets matching this BPF filter')
      .option('-c, --count <n>', 'stop after n packets', positiveInt),
  )
    .addHelpText(
      'after',
      `
From a file, connections are listed in stream order; live, each as it ends (FIN, RST,
idle timeout) and the rest when the capture stops.

Examples:
  pcap tcp trace.pcap
  pcap tcp --json trace.pcap | jq 'select(.c2s.retransmissions + .s2c.retransmissions > 0)'
  pcap tcp -i eth0 -f 'tcp port 443' --duration 60`,
    )
    .action(async (file: string | undefined, opts: TcpOptions) => {
      const { tcpCommand } = await import('./commands/tcp.js');
      await tcpCommand(file, opts, io);
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

  addTuningOptions(
    cmd
      .command('serve')
      .description('Serve a live view of the traffic in the browser: rates, protocols, talkers, TCP sessions, an HTTP timeline and packet details.')
      .addOption(interfaceOption(false))
      .option('-r, --read <file>', 'replay this capture file instead of capturing live')
      .option('-f, --filter <bpf>', 'only packets matching this BPF filter (it can be changed from the page)')
      .option('--speed <pace>', 'replay pace for -r: realtime (as captured, the default) or max (as fast as possible)', speed)
      .option('--port <n>', 'port to listen on; 0 picks a free one', port, 8642)
      .option('--host <address>', 'address to listen on; 127.0.0.1 is this machine only', '127.0.0.1')
      .option('--token <secret>', 'require this token on every request (the printed URL carries it)'),
  )
    .addHelpText(
      'after',
      `
The address of the page is printed on standard output once the server listens (with
?token=... when --token is given). Capture, decoding, TCP and HTTP tracking run in a
worker thread; the page gets a few aggregated updates a second, whatever the packet rate.
Ctrl-C stops the capture and the server.

Examples:
  pcap serve -i eth0
  pcap serve -i any -f 'tcp port 80 or tcp port 443' --port 0
  pcap serve -r trace.pcap --speed max
  pcap serve -i eth0 --host 0.0.0.0 --token "$(openssl rand -hex 16)"`,
    )
    .action(async (opts: ServeOptions) => {
      const { serveCommand } = await import('./commands/serve.js');
      await serveCommand(opts, io);
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
