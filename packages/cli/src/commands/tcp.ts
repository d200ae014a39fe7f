import { formatEpoch } from '@pcap/decode';
import { TcpTracker, type CloseReason, type DirectionStats, type TcpSession } from '@pcap/tcp';
import { colorsFor } from '../colors.js';
import { endpoint } from '../format/endpoints.js';
import type { Io } from '../io.js';
import { LineWriter } from '../output.js';
import { checkInput, feedPackets, finishInput, type InputOptions } from '../packet-input.js';
import { clockTime } from '../time.js';

export interface TcpOptions extends InputOptions {
  json?: boolean;
}

const round6 = (n: number | undefined): number | null => (n === undefined ? null : Math.round(n * 1e6) / 1e6);

function directionJson(d: DirectionStats): Record<string, number> {
  return {
    packets: d.packets,
    bytes: d.bytes,
    payloadBytes: d.payloadBytes,
    streamBytes: d.streamBytes,
    retransmissions: d.retransmissions,
    outOfOrder: d.outOfOrder,
    keepalives: d.keepalives,
    gaps: d.gaps,
    gapBytes: d.gapBytes,
    conflicts: d.conflicts,
    syn: d.syn,
    fin: d.fin,
    rst: d.rst,
  };
}

/** One session's metrics as a JSON object with stable keys. */
function toJson(s: TcpSession, reason: CloseReason): string {
  return JSON.stringify({
    stream: s.id,
    client: endpoint(s, s.client),
    server: endpoint(s, s.server),
    start: formatEpoch(s.firstTime.seconds, s.firstTime.nanoseconds),
    end: formatEpoch(s.lastTime.seconds, s.lastTime.nanoseconds),
    duration: round6(s.duration),
    handshake: round6(s.handshakeTime),
    synAck: round6(s.synAckTime),
    close: reason,
    c2s: directionJson(s.stats.client),
    s2c: directionJson(s.stats.server),
  });
}

function seconds(v: number | undefined): string {
  if (v === undefined) return '-';
  return v < 1 ? `${(v * 1000).toFixed(3)} ms` : `${v.toFixed(3)} s`;
}

/** `TIME #N CLIENT -> SERVER  handshake T  c2s ... s2c ...  duration T  close REASON`. */
function toLine(s: TcpSession, reason: CloseReason, io: Io): string {
  const c = colorsFor(io.stdout as { isTTY?: boolean });
  const dir = (d: DirectionStats): string => {
    let t = `${d.streamBytes} B in ${d.packets} pkts`;
    if (d.retransmissions) t += `, ${c.yellow(`${d.retransmissions} retrans`)}`;
    if (d.outOfOrder) t += `, ${d.outOfOrder} out-of-order`;
    if (d.gaps) t += `, ${c.red(`${d.gaps} gap${d.gaps === 1 ? '' : 's'} (${d.gapBytes} B missing)`)}`;
    return t;
  };
  const t = s.firstTime;
  return (
    `${c.dim(clockTime(t.seconds, t.nanoseconds))} #${s.id} ${endpoint(s, s.client)} -> ${endpoint(s, s.server)}` +
    `  handshake ${seconds(s.handshakeTime)}  c2s ${dir(s.stats.client)}  s2c ${dir(s.stats.server)}` +
    `  duration ${seconds(s.duration)}  ${reason === 'reset' ? c.red('reset') : `close ${reason}`}`
  );
}

/**
 * `pcap tcp FILE|-i DEV`: per-connection metrics - handshake time, bytes and packets each
 * way, retransmissions, gaps, duration, how it ended. From a file in stream order; live,
 * as each connection ends.
 */
export async function tcpCommand(file: string | undefined, opts: TcpOptions, io: Io): Promise<void> {
  checkInput(file, opts);
  const tracker = new TcpTracker();
  const out = new LineWriter(io.stdout);
  const format = (s: TcpSession, r: CloseReason): string => (opts.json ? toJson(s, r) : toLine(s, r, io));
  const found: Array<{ id: number; text: string }> = [];
  tracker.on('close', (s, reason) => {
    if (file === undefined) {
      io.stdout.write(`${format(s, reason)}\n`);
    } else {
      found.push({ id: s.id, text: format(s, reason) });
    }
  });
  const result = await feedPackets(file, opts, io, (rec) => tracker.addRecord(rec));
  tracker.end();
  found.sort((a, b) => a.id - b.id);
  for (const f of found) {
    const w = out.line(f.text);
    if (w) await w;
  }
  await out.flush();
  finishInput(result, io);
}
