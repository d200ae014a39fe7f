import { formatEpoch, linkTypeName, readCapture, type CaptureInfo, type Layer } from '@pcap/decode';
import type { Io } from '../io.js';
import { decodeRecord } from '../records.js';
import { describeReadError, sourceFor } from './read.js';

export interface StatsOptions {
  json?: boolean;
  /** How many conversations to list. */
  top?: number;
}

interface Hierarchy {
  packets: number;
  bytes: number;
  children: Map<string, Hierarchy>;
}

interface Conversation {
  kind: string;
  a: string;
  b: string;
  packets: number;
  bytes: number;
}

/** Everything `pcap stats` reports about a file. */
export interface FileStats {
  file: string;
  format: string;
  packets: number;
  bytesCaptured: number;
  bytesOnWire: number;
  firstTime?: string;
  lastTime?: string;
  durationSeconds: number;
  linkTypes: Record<string, number>;
  interfaces: Record<string, number>;
  truncatedPackets: number;
  malformedPackets: number;
  hierarchy: Array<{ path: string; depth: number; packets: number; bytes: number }>;
  conversations: Conversation[];
  /** Set when the file is damaged: the statistics cover the packets before the damage. */
  error?: string;
}

const node = (): Hierarchy => ({ packets: 0, bytes: 0, children: new Map() });

/** The layer names of a conversation key: addresses of the network layer, ports of the transport. */
function conversationOf(layers: readonly Layer[]): { kind: string; a: string; b: string } | undefined {
  let net: { kind: string; src: string; dst: string } | undefined;
  for (const l of layers) {
    const x = l as Layer & { src?: string; dst?: string; srcport?: number; dstport?: number };
    if ((l.protocol === 'ip' || l.protocol === 'ipv6') && !net) net = { kind: l.protocol === 'ip' ? 'IPv4' : 'IPv6', src: x.src!, dst: x.dst! };
    if ((l.protocol === 'tcp' || l.protocol === 'udp') && net) {
      const fmt = (a: string, p: number): string => (net!.kind === 'IPv6' ? `[${a}]:${p}` : `${a}:${p}`);
      const s = fmt(net.src, x.srcport!);
      const d = fmt(net.dst, x.dstport!);
      return { kind: l.protocol.toUpperCase(), a: s < d ? s : d, b: s < d ? d : s };
    }
  }
  if (net) return { kind: net.kind, a: net.src < net.dst ? net.src : net.dst, b: net.src < net.dst ? net.dst : net.src };
  return undefined;
}

export async function collectStats(file: string, io: Io, top: number): Promise<FileStats> {
  const reader = readCapture(sourceFor(file, io));
  const root = node();
  const conv = new Map<string, Conversation>();
  const linkTypes: Record<string, number> = {};
  const interfaces: Record<string, number> = {};
  let packets = 0;
  let bytesCaptured = 0;
  let bytesOnWire = 0;
  let truncated = 0;
  let malformed = 0;
  let first: [number, number] | undefined;
  let last: [number, number] | undefined;
  let error: string | undefined;
  try {
    for await (const rec of reader) {
      packets++;
      bytesCaptured += rec.capturedLength;
      bytesOnWire += rec.originalLength;
      if (rec.capturedLength < rec.originalLength) truncated++;
      const lt = `${linkTypeName(rec.linkType)} (${rec.linkType})`;
      linkTypes[lt] = (linkTypes[lt] ?? 0) + 1;
      if (rec.interfaceId !== undefined) interfaces[String(rec.interfaceId)] = (interfaces[String(rec.interfaceId)] ?? 0) + 1;
      const t: [number, number] = [rec.seconds, rec.nanoseconds];
      if (!first || t[0] < first[0] || (t[0] === first[0] && t[1] < first[1])) first = t;
      if (!last || t[0] > last[0] || (t[0] === last[0] && t[1] > last[1])) last = t;
      const pkt = decodeRecord(rec);
      if (pkt.failure) malformed++;
      let h = root;
      h.packets++;
      h.bytes += rec.originalLength;
      for (const l of pkt.layers) {
        let c = h.children.get(l.protocol);
        if (!c) h.children.set(l.protocol, (c = node()));
        c.packets++;
        c.bytes += rec.originalLength;
        h = c;
      }
      const key = conversationOf(pkt.layers);
      if (key) {
        const id = `${key.kind} ${key.a} ${key.b}`;
        let c = conv.get(id);
        if (!c) conv.set(id, (c = { ...key, packets: 0, bytes: 0 }));
        c.packets++;
        c.bytes += rec.originalLength;
      }
    }
  } catch (e) {
    error = describeReadError(file, e).message;
  }
  const info: CaptureInfo | undefined = reader.info;
  const hierarchy: FileStats['hierarchy'] = [];
  const walk = (h: Hierarchy, depth: number): void => {
    for (const [name, c] of [...h.children].sort((x, y) => y[1].packets - x[1].packets)) {
      hierarchy.push({ path: name, depth, packets: c.packets, bytes: c.bytes });
      walk(c, depth + 1);
    }
  };
  walk(root, 0);
  const duration = first && last ? last[0] - first[0] + (last[1] - first[1]) / 1e9 : 0;
  return {
    file,
    format: info ? describeFormat(info) : 'unknown',
    packets,
    bytesCaptured,
    bytesOnWire,
    ...(first ? { firstTime: isoTime(first), lastTime: isoTime(last!) } : {}),
    durationSeconds: duration,
    linkTypes,
    interfaces,
    truncatedPackets: truncated,
    malformedPackets: malformed,
    hierarchy,
    conversations: [...conv.values()].sort((a, b) => b.bytes - a.bytes || b.packets - a.packets).slice(0, top),
    ...(error ? { error } : {}),
  };
}

function describeFormat(info: CaptureInfo): string {
  if (info.format === 'pcap') return `pcap ${info.versionMajor}.${info.versionMinor}, ${info.bigEndian ? 'big' : 'little'}-endian, ${info.precision}second timestamps, snaplen ${info.snaplen}`;
  return `pcapng ${info.versionMajor}.${info.versionMinor}, ${info.bigEndian ? 'big' : 'little'}-endian`;
}

function isoTime([s, ns]: [number, number]): string {
  const epoch = formatEpoch(s, ns);
  const [whole, frac] = epoch.split('.');
  return `${new Date(Number(whole) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
}

function render(s: FileStats): string {
  const rate = (n: number): string => (s.durationSeconds > 0 ? (n / s.durationSeconds).toFixed(1) : 'n/a');
  const rows: Array<[string, string]> = [
    ['File', s.file],
    ['Format', s.format],
    ['Link types', Object.entries(s.linkTypes).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'],
  ];
  if (Object.keys(s.interfaces).length) rows.push(['Interfaces', Object.entries(s.interfaces).map(([k, v]) => `#${k}: ${v} packets`).join(', ')]);
  rows.push(
    ['Packets', String(s.packets)],
    ['Bytes on wire', String(s.bytesOnWire)],
    ['Bytes captured', String(s.bytesCaptured)],
    ['Cut by snaplen', `${s.truncatedPackets} packets`],
    ['Malformed', `${s.malformedPackets} packets`],
    ['First packet', s.firstTime ?? 'n/a'],
    ['Last packet', s.lastTime ?? 'n/a'],
    ['Duration', `${s.durationSeconds.toFixed(6)} s`],
    ['Average rate', `${rate(s.packets)} packets/s, ${rate(s.bytesOnWire)} bytes/s`],
    ['Average size', s.packets ? `${(s.bytesOnWire / s.packets).toFixed(1)} bytes` : 'n/a'],
  );
  let text = rows.map(([k, v]) => `${`${k}:`.padEnd(16)}${v}`).join('\n');
  text += '\n\nProtocol hierarchy (packets, bytes):\n';
  text += s.hierarchy.map((h) => `  ${`${'  '.repeat(h.depth)}${h.path}`.padEnd(32)}${String(h.packets).padStart(10)}${String(h.bytes).padStart(14)}`).join('\n');
  text += '\n\nTop conversations (by bytes):\n';
  text += s.conversations.map((c) => `  ${c.kind.padEnd(5)} ${`${c.a} <-> ${c.b}`.padEnd(60)}${String(c.packets).padStart(10)}${String(c.bytes).padStart(14)}`).join('\n');
  return text + '\n';
}

/** `pcap stats FILE`: what capinfos says, a protocol hierarchy and the top conversations. */
export async function statsCommand(file: string, opts: StatsOptions, io: Io): Promise<string | undefined> {
  const s = await collectStats(file, io, opts.top ?? 10);
  io.stdout.write(opts.json ? `${JSON.stringify(s)}\n` : render(s));
  return s.error;
}
