import type { PacketTime } from '@pcap/tcp';

/** Header fields in wire order, names as sent. */
export type HeaderList = Array<[name: string, value: string]>;

/** How a message's body was delimited. */
export type Framing =
  /** No body (request without Content-Length/Transfer-Encoding; 1xx, 204, 304, response to HEAD). */
  | 'none'
  /** Content-Length. */
  | 'length'
  /** Transfer-Encoding: chunked. */
  | 'chunked'
  /** Until the connection closed (response with neither). */
  | 'close';

/** What a request or a response has in common. */
export interface HttpMessage {
  /** `1.0` or `1.1` (as sent: `HTTP/x.y`). */
  version: string;
  headers: HeaderList;
  /** Trailer fields after a chunked body. */
  trailers: HeaderList;
  framing: Framing;
  /** The Content-Length header's value, when present and valid. */
  contentLength: number | undefined;
  /**
   * The body as sent (chunked framing removed, content coding such as gzip kept), as far
   * as captured and up to the tracker's `maxBodyBytes`.
   */
  body: Uint8Array;
  /** Body bytes seen (after removing chunked framing), including any beyond `maxBodyBytes`. */
  bodySize: number;
  /** Body bytes lost in gaps of the capture. */
  missingBytes: number;
  /** Bytes of the start line and header block (with its final empty line). */
  headerBytes: number;
  /** True when a gap cut the message or the connection ended before it did. */
  incomplete: boolean;
  /** Capture time of the message's first and last byte. */
  startTime: PacketTime;
  endTime: PacketTime | undefined;
}

export interface HttpRequest extends HttpMessage {
  method: string;
  /** The request target as sent (`/path?query`, or absolute/authority form). */
  url: string;
  /** The Host header, if any. */
  host: string | undefined;
}

export interface HttpResponse extends HttpMessage {
  status: number;
  reason: string;
}

/** The first value of header `name` (case-insensitive), if present. */
export function header(list: HeaderList, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of list) if (k.toLowerCase() === n) return v;
  return undefined;
}

/** Every value of header `name` (case-insensitive), in order. */
export function headers(list: HeaderList, name: string): string[] {
  const n = name.toLowerCase();
  return list.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

/** True when a comma-separated header (Connection, Transfer-Encoding ...) lists `token`. */
export function hasToken(list: HeaderList, name: string, token: string): boolean {
  const t = token.toLowerCase();
  return headers(list, name).some((v) =>
    v
      .toLowerCase()
      .split(',')
      .some((x) => x.trim() === t),
  );
}
