/**
 * The main module of node_pcap v3: sessions on @pcap/native, decoding, the TCP tracker and
 * the DNS cache, with v3's names, options, defaults, fields and events.
 */
import { EventEmitter } from 'node:events';
import * as native from '@pcap/native';
import decodeIndex = require('./decode/index');
import tcp_tracker = require('./tcp_tracker');
import DNSCache = require('./dns_cache');
import { v3LinkType } from './internal/linktype';

type NativeCapture = ReturnType<typeof native.openLive>;


/** The object every `packet` event carries; `buf` and `header` are reused for every packet. */
class PacketWithHeader {
  constructor(
    public buf: Buffer,
    public header: Buffer,
    public link_type: string | null,
  ) {}
}

interface PcapSession extends EventEmitter {
  is_live: boolean;
  device_name: string;
  filter: string;
  buffer_size: number;
  snap_length: number;
  outfile: string;
  is_monitor: boolean;
  buffer_timeout: number;
  promiscuous: unknown;
  link_type: string | null;
  opened: boolean | null;
  buf: Buffer | null;
  header: Buffer | null;
  empty_reads: number;
  packets_read: number | null;
  session: NativeCapture | null;
  close(): void;
  stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
  inject(data: Buffer): void;
  findalldevs(): V3Device[];
}

function rounded(v: unknown, fallback: number): number {
  return typeof v === 'number' && !Number.isNaN(v) ? Math.round(v) : fallback;
}

/** v3's default device: the first non-loopback device with an IPv4 address. */
function defaultDevice(): string {
  const dev = native.listDevices().find((d) => !d.loopback && d.addresses.some((a) => a.family === 'inet'));
  if (!dev) throw new TypeError('pcap Open: info[0] must be a String');
  return dev.name;
}

/**
 * A live or offline capture (v3's positional constructor; `createSession` and
 * `createOfflineSession` are the usual way in). Emits `packet` ({buf, header, link_type})
 * and, for files, `complete` after the last packet.
 */
function PcapSession(
  this: PcapSession,
  is_live: boolean,
  device_name: string,
  filter?: string,
  buffer_size?: number,
  snap_length?: number,
  outfile?: string | null,
  is_monitor?: boolean,
  buffer_timeout?: number,
  promiscuous?: unknown,
): void {
  this.is_live = is_live;
  this.device_name = device_name;
  this.filter = filter || '';
  this.buffer_size = rounded(buffer_size, 10 * 1024 * 1024);
  this.snap_length = rounded(snap_length, 65535);
  this.outfile = outfile || '';
  this.is_monitor = Boolean(is_monitor);
  this.buffer_timeout = rounded(buffer_timeout, 1000);
  this.promiscuous = typeof promiscuous === 'undefined' ? true : promiscuous;
  this.link_type = null;
  this.opened = null;
  this.buf = null;
  this.header = null;
  this.empty_reads = 0;
  this.packets_read = null;
  this.session = null;

  const warn = (w: { message: string }): void => pcap.warningHandler(w.message);
  let capture: NativeCapture;
  if (is_live) {
    this.device_name = this.device_name || defaultDevice();
    const live: native.LiveOptions = {
      snaplen: Math.max(1, this.snap_length),
      promisc: Boolean(this.promiscuous),
      rfmon: this.is_monitor,
      onWarning: warn,
    };
    if (this.buffer_size > 0) live.bufferSize = this.buffer_size;
    if (this.buffer_timeout > 0) live.timeout = this.buffer_timeout;
    else live.immediate = true;
    if (this.filter) live.filter = this.filter;
    capture = native.openLive(this.device_name, live);
  } else {
    capture = native.openOffline(this.device_name, this.filter ? { filter: this.filter } : {});
  }
  this.session = capture;
  this.link_type = v3LinkType(capture.linkType);
  this.opened = true;
  const buf = Buffer.alloc(this.snap_length);
  const header = Buffer.alloc(16);
  this.buf = buf;
  this.header = header;

  capture.on('packet', (p: native.Packet) => {
    const bytes = p.borrowedData;
    const n = Math.min(bytes.length, buf.length);
    buf.set(n === bytes.length ? bytes : bytes.subarray(0, n), 0);
    header.writeUInt32LE(p.seconds >>> 0, 0);
    header.writeUInt32LE(Math.floor(p.nanoseconds / 1000), 4);
    header.writeUInt32LE(p.caplen, 8);
    header.writeUInt32LE(p.length, 12);
    this.emit('packet', new PacketWithHeader(buf, header, this.link_type));
  });
  capture.on('warning', warn);
  capture.on('error', (err: Error) => {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else pcap.warningHandler(err.message);
  });
  if (!is_live) {
    // Files are read a batch per event-loop turn; 'end' follows the last packet.
    capture.on('end', () => {
      if (this.opened) this.emit('complete');
    });
  }
  EventEmitter.call(this);
}
Object.setPrototypeOf(PcapSession.prototype, EventEmitter.prototype);
const proto = PcapSession.prototype as PcapSession;

/** Stops the capture and removes every listener (as v3 did, `complete` included). */
proto.close = function close() {
  this.opened = false;
  this.removeAllListeners();
  this.session?.close();
};

/** libpcap's counters as `{ps_recv, ps_drop, ps_ifdrop}`. */
proto.stats = function stats() {
  if (!this.session || this.session.closed) throw new Error('Error: pcap session already closed');
  let s: native.CaptureStats;
  try {
    s = this.session.stats();
  } catch {
    throw new Error('Error in pcap_stats');
  }
  return { ps_recv: s.recv, ps_drop: s.drop, ps_ifdrop: s.ifdrop };
};

/** Sends a raw frame on the capture's device. */
proto.inject = function inject(this: PcapSession, data: Buffer, ...extra: unknown[]) {
  if (arguments.length !== 1 || extra.length > 0) throw new Error('Inject takes exactly one argument');
  if (!Buffer.isBuffer(data)) throw new TypeError('First argument must be a buffer');
  try {
    this.session!.inject(data);
  } catch {
    throw new Error('Pcap inject failed.');
  }
};

/**
 * The device list, also on sessions: node_pcap's own speed_server example calls
 * `pcap_session.findalldevs()`, which v3 lacked.
 */
proto.findalldevs = function findalldevs() {
  return pcap.findalldevs();
};

type Session = PcapSession;
const Session = PcapSession as unknown as {
  new (...args: Parameters<typeof PcapSession>): Session;
  prototype: Session;
};

/** Options of `createSession`; a string is taken as the filter (v2 style). */
interface SessionOptions {
  filter?: string;
  buffer_size?: number;
  snap_length?: number;
  buffer_timeout?: number;
  monitor?: boolean;
  promiscuous?: boolean;
}

/** A device as v3's findalldevs() listed it. */
interface V3Device {
  name: string;
  description?: string;
  addresses: { addr: string; netmask?: string; broadaddr?: string; dstaddr?: string }[];
  flags?: 'PCAP_IF_LOOPBACK';
}

let libVersion: string | undefined;

const pcap = {
  decode: decodeIndex.decode,
  TCPTracker: tcp_tracker.TCPTracker,
  TCPSession: tcp_tracker.TCPSession,
  DNSCache,
  /** Receives libpcap warnings; replace it on the module to handle them yourself. */
  warningHandler: function warningHandler(x: string): void {
    console.warn('warning: %s - this may not actually work', x);
  },
  /** The libpcap version string, e.g. "libpcap version 1.10.3 (with TPACKET_V3)". */
  get lib_version(): string {
    libVersion ??= native.libVersion();
    return libVersion;
  },
  /** Devices with their IPv4/IPv6 addresses; loopback devices carry flags "PCAP_IF_LOOPBACK". */
  findalldevs(): V3Device[] {
    let devices: native.Device[];
    try {
      devices = native.listDevices();
    } catch (e) {
      throw new TypeError(e instanceof Error ? e.message : String(e));
    }
    if (devices.length === 0) throw new TypeError('No devices found');
    return devices.map((d) => {
      const out: V3Device = { name: d.name, addresses: [] };
      if (d.description) out.description = d.description;
      for (const a of d.addresses) {
        if (a.family === 'link' || !a.addr) continue;
        const entry: V3Device['addresses'][number] = { addr: a.addr };
        if (a.netmask) entry.netmask = a.netmask;
        if (a.broadaddr) entry.broadaddr = a.broadaddr;
        if (a.dstaddr) entry.dstaddr = a.dstaddr;
        out.addresses.push(entry);
      }
      if (d.loopback) out.flags = 'PCAP_IF_LOOPBACK';
      return out;
    });
  },
  Pcap: Session,
  PcapSession: Session,
  /** Opens `device` ('' for the default) for live capture. */
  createSession(device?: string, options?: SessionOptions | string): Session {
    const o: SessionOptions = typeof options === 'string' ? { filter: options } : options || {};
    return new Session(true, device as string, o.filter, o.buffer_size, o.snap_length, null, o.monitor, o.buffer_timeout, o.promiscuous);
  },
  /** Reads a pcap or pcapng file; `complete` follows the last packet. */
  createOfflineSession(path: string, options?: { filter?: string } | string): Session {
    const o = typeof options === 'string' ? { filter: options } : options || {};
    return new Session(false, path, o.filter, 0, undefined, null);
  },
};

export = pcap;
