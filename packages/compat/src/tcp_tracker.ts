/**
 * TCP connection tracking over decoded IPv4 packets, with v3's events and statistics.
 * Written as function constructors so instances keep v3's own-property order (session
 * fields first, EventEmitter state after).
 */
import { EventEmitter } from 'node:events';
import IPv4 = require('./decode/ipv4');
import TCP = require('./decode/tcp');
import type PcapPacket = require('./decode/pcap_packet');

type Times = Record<string, number>;

interface TCPSession extends EventEmitter {
  src: string | null;
  src_name: string | null;
  dst: string | null;
  dst_name: string | null;
  state: string | null;
  current_cap_time: number | null;
  syn_time: number | null;
  missed_syn: boolean | null;
  connect_time: number | null;
  send_isn: number | null;
  send_window_scale: number | null;
  send_packets: Times;
  send_acks: Times;
  send_retrans: Times;
  send_next_seq: number | null;
  send_acked_seq: number | null;
  send_bytes_ip: number | null;
  send_bytes_tcp: number | null;
  send_bytes_payload: number;
  recv_isn: number | null;
  recv_window_scale: number | null;
  recv_packets: Times;
  recv_acks: Times;
  recv_retrans: Times;
  recv_next_seq: number | null;
  recv_acked_seq: number | null;
  recv_bytes_ip: number;
  recv_bytes_tcp: number;
  recv_bytes_payload: number;
  close_time?: number;
  track(packet: PcapPacket): void;
  session_stats(): SessionStats;
  [state: string]: unknown;
}

/** What `session_stats()` returns. */
interface SessionStats {
  recv_times: Times;
  send_times: Times;
  send_retrans: Times;
  recv_retrans: Times;
  connect_duration: number;
  total_time: number;
  send_overhead: number;
  send_payload: number;
  send_total: number;
  recv_overhead: number;
  recv_payload: number;
  recv_total: number;
}

interface Parts {
  ip: IPv4;
  tcp: TCP;
  src: string;
  dst: string;
}

function parts(packet: PcapPacket): Parts {
  const ip = (packet.payload as unknown as { payload: IPv4 }).payload;
  const tcp = ip.payload as unknown as TCP;
  return { ip, tcp, src: `${ip.saddr}:${tcp.sport}`, dst: `${ip.daddr}:${tcp.dport}` };
}

/** One TCP connection: state machine, byte counts, and `start`/`data send`/`data recv`/`retransmit`/`syn retry`/`reset`/`end` events. */
function TCPSession(this: TCPSession): void {
  this.src = null;
  this.src_name = null;
  this.dst = null;
  this.dst_name = null;
  this.state = null;
  this.current_cap_time = null;
  this.syn_time = null;
  this.missed_syn = null;
  this.connect_time = null;
  this.send_isn = null;
  this.send_window_scale = null;
  this.send_packets = {};
  this.send_acks = {};
  this.send_retrans = {};
  this.send_next_seq = null;
  this.send_acked_seq = null;
  this.send_bytes_ip = null;
  this.send_bytes_tcp = null;
  this.send_bytes_payload = 0;
  this.recv_isn = null;
  this.recv_window_scale = null;
  this.recv_packets = {};
  this.recv_acks = {};
  this.recv_retrans = {};
  this.recv_next_seq = null;
  this.recv_acked_seq = null;
  this.recv_bytes_ip = 0;
  this.recv_bytes_tcp = 0;
  this.recv_bytes_payload = 0;
  EventEmitter.call(this);
}
Object.setPrototypeOf(TCPSession.prototype, EventEmitter.prototype);
const S = TCPSession.prototype as TCPSession;

S.track = function track(packet) {
  const { ip, tcp, src, dst } = parts(packet);
  const h = packet.pcap_header!;
  this.current_cap_time = h.tv_sec + h.tv_usec / 1000000;
  const flags = tcp.flags!;
  if (this.state === null) {
    this.src = src;
    this.src_name = src;
    this.dst = dst;
    this.dst_name = dst;
    if (flags.syn && !flags.ack) {
      this.state = 'SYN_SENT';
    } else {
      this.missed_syn = true;
      this.connect_time = this.current_cap_time;
      this.state = 'ESTAB';
    }
    this.syn_time = this.current_cap_time;
    this.send_isn = tcp.seqno!;
    // The shift count, as v3 stored it.
    this.send_window_scale = tcp.options!.window_scale || 1;
    this.send_next_seq = tcp.seqno! + 1;
    this.send_bytes_ip = ip.headerLength!;
    this.send_bytes_tcp = tcp.headerLength!;
  } else if (flags.syn && !flags.ack) {
    this.emit('syn retry', this);
  } else {
    const handler = this[this.state];
    if (typeof handler === 'function') handler.call(this, packet);
  }
};

S.SYN_SENT = function SYN_SENT(this: TCPSession, packet: PcapPacket) {
  const { ip, tcp, src } = parts(packet);
  const t = this.current_cap_time!;
  if (src === this.dst && tcp.flags!.syn && tcp.flags!.ack) {
    this.recv_bytes_ip += ip.headerLength!;
    this.recv_bytes_tcp += tcp.headerLength!;
    this.recv_packets[tcp.seqno! + 1] = t;
    this.recv_acks[tcp.ackno!] = t;
    this.recv_isn = tcp.seqno!;
    this.recv_window_scale = tcp.options!.window_scale || 1;
    this.state = 'SYN_RCVD';
  } else if (tcp.flags!.rst) {
    this.state = 'CLOSED';
    this.emit('reset', this, 'recv');
  }
};

S.SYN_RCVD = function SYN_RCVD(this: TCPSession, packet: PcapPacket) {
  const { ip, tcp, src } = parts(packet);
  if (src === this.src && tcp.flags!.ack) {
    this.send_bytes_ip = (this.send_bytes_ip as number) + ip.headerLength!;
    this.send_bytes_tcp = (this.send_bytes_tcp as number) + tcp.headerLength!;
    this.send_acks[tcp.ackno!] = this.current_cap_time!;
    this.connect_time = this.current_cap_time;
    this.emit('start', this);
    this.state = 'ESTAB';
  }
};

S.ESTAB = function ESTAB(this: TCPSession, packet: PcapPacket) {
  const { ip, tcp, src } = parts(packet);
  const t = this.current_cap_time!;
  const len = tcp.dataLength!;
  const next = tcp.seqno! + len;
  if (src === this.src) {
    this.send_bytes_ip = (this.send_bytes_ip as number) + ip.headerLength!;
    this.send_bytes_tcp = (this.send_bytes_tcp as number) + tcp.headerLength!;
    if (len > 0) {
      if (this.send_packets[next]) {
        this.emit('retransmit', this, 'send', next);
        this.send_retrans[next] = (this.send_retrans[next] || 0) + 1;
      } else {
        this.emit('data send', this, tcp.data);
      }
      this.send_bytes_payload += len;
      this.send_packets[next] = t;
    }
    if (this.recv_packets[tcp.ackno!]) this.send_acks[tcp.ackno!] = t;
    if (tcp.flags!.fin) this.state = 'FIN_WAIT';
  } else if (src === this.dst) {
    this.recv_bytes_ip += ip.headerLength!;
    this.recv_bytes_tcp += tcp.headerLength!;
    if (len > 0) {
      if (this.recv_packets[next]) {
        this.emit('retransmit', this, 'recv', next);
        this.recv_retrans[next] = (this.recv_retrans[next] || 0) + 1;
      } else {
        this.emit('data recv', this, tcp.data);
      }
      this.recv_bytes_payload += len;
      this.recv_packets[next] = t;
    }
    if (this.send_packets[tcp.ackno!]) this.recv_acks[tcp.ackno!] = t;
    if (tcp.flags!.fin) this.state = 'CLOSE_WAIT';
  } else {
    console.log(`non-matching packet in session: ${packet}`);
  }
};

S.FIN_WAIT = function FIN_WAIT(this: TCPSession, packet: PcapPacket) {
  const { tcp, src } = parts(packet);
  if (src === this.dst && tcp.flags!.fin) this.state = 'CLOSING';
};

S.CLOSE_WAIT = function CLOSE_WAIT(this: TCPSession, packet: PcapPacket) {
  const { tcp, src } = parts(packet);
  if (src === this.src && tcp.flags!.fin) this.state = 'LAST_ACK';
};

S.LAST_ACK = function LAST_ACK(this: TCPSession, packet: PcapPacket) {
  if (parts(packet).src === this.dst) {
    this.close_time = this.current_cap_time!;
    this.state = 'CLOSED';
    this.emit('end', this);
  }
};

S.CLOSING = function CLOSING(this: TCPSession, packet: PcapPacket) {
  if (parts(packet).src === this.src) {
    this.close_time = this.current_cap_time!;
    this.state = 'CLOSED';
    this.emit('end', this);
  }
};

S.CLOSED = function CLOSED() {};

S.session_stats = function session_stats() {
  const numeric = (o: Times) => Object.keys(o).map(Number).sort((a, b) => a - b);
  const stats: SessionStats = {
    recv_times: {},
    send_times: {},
    send_retrans: {},
    recv_retrans: {},
    connect_duration: 0,
    total_time: 0,
    send_overhead: 0,
    send_payload: 0,
    send_total: 0,
    recv_overhead: 0,
    recv_payload: 0,
    recv_total: 0,
  };
  for (const v of numeric(this.send_acks)) {
    if (this.recv_packets[v]) stats.recv_times[v] = this.send_acks[v]! - this.recv_packets[v]!;
  }
  for (const v of numeric(this.recv_acks)) {
    if (this.send_packets[v]) stats.send_times[v] = this.recv_acks[v]! - this.send_packets[v]!;
  }
  for (const k of Object.keys(this.send_retrans)) stats.send_retrans[k] = this.send_retrans[k]!;
  for (const k of Object.keys(this.recv_retrans)) stats.recv_retrans[k] = this.recv_retrans[k]!;
  stats.connect_duration = (this.connect_time as number) - (this.syn_time as number);
  stats.total_time = (this.close_time as number) - (this.syn_time as number);
  stats.send_overhead = (this.send_bytes_ip as number) + (this.send_bytes_tcp as number);
  stats.send_payload = this.send_bytes_payload;
  stats.send_total = stats.send_overhead + stats.send_payload;
  stats.recv_overhead = this.recv_bytes_ip + this.recv_bytes_tcp;
  stats.recv_payload = this.recv_bytes_payload;
  stats.recv_total = stats.recv_overhead + stats.recv_payload;
  return stats;
};

interface TCPTracker extends EventEmitter {
  sessions: Record<string, TCPSession>;
  track_packet(packet: PcapPacket): void;
}

/** Feeds decoded Ethernet/IPv4/TCP packets to sessions; emits `session` for each new one. */
function TCPTracker(this: TCPTracker): void {
  this.sessions = {};
  EventEmitter.call(this);
}
Object.setPrototypeOf(TCPTracker.prototype, EventEmitter.prototype);

(TCPTracker.prototype as TCPTracker).track_packet = function track_packet(packet) {
  const link = packet && (packet.payload as unknown as { payload?: unknown } | null);
  const ip = link ? link.payload : undefined;
  if (!(ip instanceof IPv4) || !(ip.payload instanceof TCP)) return;
  const { src, dst } = parts(packet);
  const key = src < dst ? `${src}-${dst}` : `${dst}-${src}`;
  let session = this.sessions[key];
  const isNew = !session;
  if (!session) {
    session = new (TCPSession as unknown as new () => TCPSession)();
    this.sessions[key] = session;
  }
  session.track(packet);
  if (isNew) this.emit('session', session);
};

const Session = TCPSession as unknown as { new (): TCPSession; prototype: TCPSession };
const Tracker = TCPTracker as unknown as { new (): TCPTracker; prototype: TCPTracker };
export { Session as TCPSession, Tracker as TCPTracker };
export type { TCPSession as TCPSessionInstance, TCPTracker as TCPTrackerInstance, SessionStats };
