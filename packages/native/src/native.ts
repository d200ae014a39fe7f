import type { LibraryInfo } from './binding.js';
// The shape of the compiled addon (native/*.cc). Nothing here runs; the loader casts the
// addon to NativeBinding and the classes in this package are the only users.

/** A warning from pcap_activate. */
export interface NativeWarning {
  code: 'WARNING' | 'PROMISC_NOTSUP' | 'TSTAMP_TYPE_NOTSUP';
  message: string;
}

export interface NativeOpenResult {
  linkType: number;
  snaplen: number;
  /** Timestamps in the batch records are nanoseconds either way; this says what libpcap delivers. */
  nano: boolean;
}

export interface NativeLiveResult extends NativeOpenResult {
  warnings: NativeWarning[];
  tstampTypes: string[];
}

export interface NativeLiveOptions {
  snaplen?: number;
  promisc?: boolean;
  timeout?: number;
  bufferSize?: number;
  rfmon?: boolean;
  immediate?: boolean;
  tstampType?: string;
  precision?: 'auto' | 'nano' | 'micro';
  direction?: 'in' | 'out' | 'inout';
  nonblock?: boolean;
}

export interface NativeStats {
  recv: number;
  drop: number;
  ifdrop: number;
}

/** BPF program rows as tcpdump -dd prints them: [code, jt, jf, k]. */
export type NativeProgram = Array<[number, number, number, number]>;

export interface NativeDumper {
  write(seconds: number, nanoseconds: number, wireLength: number, bytes: Uint8Array): void;
  flush(): void;
  close(): void;
}

export interface NativeCapture {
  /** Set by the owner; called once per batch while polling. */
  onbatch?: (count: number, error: Error | undefined) => void;
  openLive(device: string, options: NativeLiveOptions): NativeLiveResult;
  openOffline(path: string): NativeOpenResult;
  openDead(linkType: number, snaplen: number, nano: boolean): NativeOpenResult;
  setBuffer(buffer: ArrayBuffer): void;
  /** Packets copied into the buffer, or -1 at the end of a file. */
  readBatch(maxPackets: number): number;
  /** Polls the selectable descriptor, or with `thread` (or without one) waits on a thread. */
  start(maxPerBatch: number, thread?: boolean): void;
  pause(): void;
  ref(): void;
  unref(): void;
  setFilter(filter: string, optimize: boolean): NativeProgram;
  stats(): NativeStats;
  inject(bytes: Uint8Array): number;
  dumpOpen(path: string, append: boolean): NativeDumper;
  setNonblock(nonblock: boolean): void;
  close(): void;
  isClosed(): boolean;
}

export interface NativeDeviceAddress {
  family: 'inet' | 'inet6' | 'link';
  addr: string | null;
  netmask: string | null;
  broadaddr: string | null;
  dstaddr: string | null;
}

export interface NativeDevice {
  name: string;
  description: string | null;
  flags: number;
  addresses: NativeDeviceAddress[];
}

/** The addon reports exactly what the public `LibraryInfo` documents. */
export type NativeLibraryInfo = LibraryInfo;

export interface NativeBinding {
  Capture: new () => NativeCapture;
  libraryInfo(): NativeLibraryInfo;
  findAllDevs(): NativeDevice[];
  compileFilter(
    filter: string,
    linkType: number,
    snaplen: number,
    optimize: boolean,
    netmask: number | undefined,
  ): NativeProgram;
  linkTypeName(linkType: number): string | null;
}
