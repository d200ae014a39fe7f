// The shapes that travel from the capture worker to the server and on to the page (as
// JSON). Everything here is plain data: no classes, no typed arrays.

/** A count of packets and of their bytes on the wire. */
export interface Tally {
  packets: number;
  bytes: number;
}

/** Packets and bytes per second of packet time, oldest bucket first. */
export interface RateSeries {
  /** Epoch seconds of the first bucket; bucket `i` covers `[start + i, start + i + 1)`. */
  start: number;
  packets: number[];
  bytes: number[];
}

/** One protocol of the breakdown: packets that carried a layer of it. */
export interface ProtocolRow extends Tally {
  name: string;
}

/** An address and what it sent and received. */
export interface TalkerRow extends Tally {
  address: string;
}

/** Two endpoints (addresses, or address:port for TCP and UDP) and the traffic between them. */
export interface ConversationRow extends Tally {
  kind: string;
  a: string;
  b: string;
}

/** One direction of a TCP session. */
export interface DirectionRow {
  packets: number;
  /** Bytes delivered to the ordered stream, each once (as `pcap tcp` counts them). */
  streamBytes: number;
  retransmissions: number;
  gaps: number;
}

/** A TCP session as the table shows it. */
export interface SessionRow {
  /** Stream number in order of first packet (tshark's `tcp.stream`). */
  id: number;
  client: string;
  server: string;
  state: 'opening' | 'established' | 'closing' | 'closed';
  /** Why it closed, once it has. */
  closeReason?: string;
  /** Epoch seconds of the first and the latest packet. */
  first: number;
  last: number;
  c2s: DirectionRow;
  s2c: DirectionRow;
}

/** An HTTP exchange for the timeline: a bar from request start to response end. */
export interface HttpRow {
  /** Position in order of first sight, from 1. */
  seq: number;
  stream: number;
  client: string;
  method?: string;
  host?: string;
  url?: string;
  status?: number;
  reason?: string;
  /** Epoch seconds; `end` is missing while the exchange is in progress. */
  start: number;
  end?: number;
  /** Body bytes of the response. */
  responseBytes?: number;
  done: boolean;
  incomplete: boolean;
}

/** A line of the packet list. */
export interface PacketRow {
  /** Frame number from 1 (resets when a file replay restarts). */
  number: number;
  /** Epoch seconds. */
  time: number;
  length: number;
  protocol: string;
  summary: string;
}

/** A decoded layer in the detail pane. */
export interface LayerDetail {
  protocol: string;
  offset: number;
  length: number;
  truncated?: boolean;
  /** Wireshark field names and their values (an array when a field repeats). */
  fields: Record<string, string | string[]>;
  error?: string;
}

/** Everything the detail pane shows for one packet. */
export interface PacketDetail {
  number: number;
  time: number;
  length: number;
  capturedLength: number;
  linkType: number;
  summary: string;
  layers: LayerDetail[];
  /** Lowercase hex of the captured bytes. */
  hex: string;
}

/** Live capture counters from libpcap. */
export interface DropCounters {
  recv: number;
  drop: number;
  ifdrop: number;
}

/** What the aggregate says about the traffic so far. */
export interface TrafficView {
  totals: {
    packets: number;
    bytes: number;
    capturedBytes: number;
    tcpPackets: number;
    /** TCP sessions seen (open and closed). */
    sessions: number;
    openSessions: number;
    /** HTTP exchanges that ended (as `pcap http` lists them), and those still in progress. */
    httpExchanges: number;
    httpInProgress: number;
    malformed: number;
  };
  rate: RateSeries;
  protocols: ProtocolRow[];
  talkers: TalkerRow[];
  conversations: ConversationRow[];
  sessions: SessionRow[];
  http: HttpRow[];
  packets: PacketRow[];
}

/** Where the packets come from. */
export interface SourceView {
  kind: 'live' | 'file';
  /** Device or file name. */
  name: string;
  filter: string;
  speed?: 'realtime' | 'max';
  linkType?: number;
}

/** One update of the page: the aggregate plus the state of the capture. */
export interface Snapshot extends TrafficView {
  /** Increases with every snapshot. */
  seq: number;
  /** Increases every time the counts start over (a file replay restarted with a new filter). */
  generation: number;
  source: SourceView;
  state: 'running' | 'ended' | 'failed';
  error?: string;
  drops?: DropCounters;
  /** Wall-clock epoch milliseconds when the snapshot was taken. */
  at: number;
  /** Wall-clock epoch milliseconds when these counts began (the capture opened, or the replay last restarted). */
  started: number;
}

/** Messages from the server thread to the capture worker. */
export type ToWorker =
  | { type: 'filter'; id: number; filter: string }
  | { type: 'detail'; id: number; number: number }
  | { type: 'stop' };

/** Messages from the capture worker to the server thread. */
export type FromWorker =
  | { type: 'ready'; source: SourceView }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'filter'; id: number; ok: true; filter: string }
  | { type: 'filter'; id: number; ok: false; error: string }
  | { type: 'detail'; id: number; detail: PacketDetail | null }
  | { type: 'fatal'; error: string; code?: string }
  | { type: 'stopped' };
