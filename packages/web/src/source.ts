/** A live capture, as `openLive` takes it. */
export interface LiveSource {
  kind: 'live';
  /** Device name (`pcap devices` lists them). */
  device: string;
  /** BPF filter, tcpdump syntax. */
  filter?: string;
  snaplen?: number;
  /** Promiscuous mode; default true, as tcpdump. */
  promisc?: boolean;
  immediate?: boolean;
  /** Kernel buffer in bytes; default libpcap's 2 MiB, or 32 MiB in immediate mode (where 2 MiB holds only about seven full-snaplen frames). */
  bufferSize?: number;
  /** Packet buffer timeout in milliseconds. */
  timeout?: number;
  /** Wi-Fi monitor mode. */
  monitor?: boolean;
}

/** A capture file replayed: at the pace its timestamps say (`realtime`, the default) or as fast as it can be read (`max`). */
export interface FileSource {
  kind: 'file';
  path: string;
  filter?: string;
  speed?: 'realtime' | 'max';
}

/** Where `pcap serve` takes its packets from. */
export type ServeSource = LiveSource | FileSource;
