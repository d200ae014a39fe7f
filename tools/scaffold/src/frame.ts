/**
 * The example frame a new package's test decodes: Ethernet, then whatever carries the
 * protocol (IPv4 and UDP or TCP, IPv4 alone, or Ethernet alone), then the example message.
 * Lengths and checksums are computed so that tcpdump and tshark read it as a valid packet.
 */

/** The dissector table row that leads to the new protocol. */
export type Carrier =
  | { readonly table: 'udp.port'; readonly key: number }
  | { readonly table: 'tcp.port'; readonly key: number }
  | { readonly table: 'ip.proto'; readonly key: number }
  | { readonly table: 'ethertype'; readonly key: number };

/**
 * The example message of the template: type 1, length 8 (header included), body "ping".
 * The templates assert these values; change both together.
 */
export const EXAMPLE_MESSAGE = Uint8Array.of(0x00, 0x01, 0x00, 0x08, 0x70, 0x69, 0x6e, 0x67);

const ETH_DST = [0x02, 0, 0, 0, 0, 0x02];
const ETH_SRC = [0x02, 0, 0, 0, 0, 0x01];
const IP_SRC = [192, 0, 2, 1];
const IP_DST = [192, 0, 2, 2];
const EPHEMERAL_PORT = 40000;
const TCP_WINDOW = 502;

/** One header of the frame: its bytes, split into the groups the test shows on one line. */
interface Part {
  readonly groups: readonly (readonly number[])[];
}

export interface ExampleFrame {
  /** Every byte of the frame. */
  readonly bytes: Uint8Array;
  /** The frame as hex, one header per line, fields separated by spaces. */
  readonly hexLines: readonly string[];
  /** What `tcpdump -nn -t -r` prints for the frame (no dissector for the new protocol). */
  readonly tcpdump: string;
  /** Wireshark names of the layers below the new protocol, outermost first. */
  readonly lower: readonly string[];
  /** Offset of the example message in the frame. */
  readonly headerOffset: number;
  /** What a tcpdump-like summary prints before the new protocol's own text. */
  readonly summaryPrefix: string;
}

/** Builds the example frame carrying `message` to the new protocol through `carrier`. */
export function exampleFrame(carrier: Carrier, message: Uint8Array = EXAMPLE_MESSAGE): ExampleFrame {
  const msg = [...message];
  const ip = IP_SRC.join('.');
  const ipDst = IP_DST.join('.');
  const sport = carrier.key === EPHEMERAL_PORT ? EPHEMERAL_PORT + 1 : EPHEMERAL_PORT;
  let parts: Part[];
  let tcpdump: string;
  let lower: string[];
  let summaryPrefix: string;
  switch (carrier.table) {
    case 'ethertype':
      parts = [ethernet(carrier.key), messagePart(msg)];
      tcpdump = `${mac(ETH_SRC)} > ${mac(ETH_DST)}, ethertype Unknown (0x${hex(carrier.key, 4)}), length ${14 + msg.length}:`;
      lower = ['eth'];
      summaryPrefix = '';
      break;
    case 'ip.proto':
      parts = [ethernet(0x0800), ipv4(carrier.key, msg.length), messagePart(msg)];
      tcpdump = `IP ${ip} > ${ipDst}:  ip-proto-${carrier.key} ${msg.length}`;
      lower = ['eth', 'ip'];
      summaryPrefix = `IP ${ip} > ${ipDst}: `;
      break;
    case 'udp.port':
      parts = [ethernet(0x0800), ipv4(17, 8 + msg.length), udp(sport, carrier.key, msg), messagePart(msg)];
      tcpdump = `IP ${ip}.${sport} > ${ipDst}.${carrier.key}: UDP, length ${msg.length}`;
      lower = ['eth', 'ip', 'udp'];
      summaryPrefix = `IP ${ip}.${sport} > ${ipDst}.${carrier.key}: `;
      break;
    case 'tcp.port':
      parts = [ethernet(0x0800), ipv4(6, 20 + msg.length), tcp(sport, carrier.key, msg), messagePart(msg)];
      tcpdump = `IP ${ip}.${sport} > ${ipDst}.${carrier.key}: Flags [P.], seq 1:${1 + msg.length}, ack 1, win ${TCP_WINDOW}, length ${msg.length}`;
      lower = ['eth', 'ip', 'tcp'];
      summaryPrefix = `IP ${ip}.${sport} > ${ipDst}.${carrier.key}: `;
      break;
  }
  const bytes = Uint8Array.from(parts.flatMap((p) => p.groups.flat()));
  const hexLines = parts.map((p) => p.groups.map((g) => g.map((b) => hex(b, 2)).join('')).join(' '));
  return { bytes, hexLines, tcpdump, lower, headerOffset: bytes.length - msg.length, summaryPrefix };
}

/** The message split as the example header reads it: type, length, body. */
function messagePart(msg: number[]): Part {
  return { groups: [msg.slice(0, 2), msg.slice(2, 4), msg.slice(4)].filter((g) => g.length > 0) };
}

function ethernet(type: number): Part {
  return { groups: [ETH_DST, ETH_SRC, be16(type)] };
}

function ipv4(protocol: number, payloadLength: number): Part {
  const head = [0x45, 0x00, ...be16(20 + payloadLength), 0x00, 0x01, 0x40, 0x00, 64, protocol, 0, 0, ...IP_SRC, ...IP_DST];
  const sum = be16(checksum(head));
  head[10] = sum[0]!;
  head[11] = sum[1]!;
  return { groups: [head.slice(0, 4), head.slice(4, 8), head.slice(8, 12), head.slice(12, 16), head.slice(16, 20)] };
}

function udp(sport: number, dport: number, payload: number[]): Part {
  const head = [...be16(sport), ...be16(dport), ...be16(8 + payload.length), 0, 0];
  const sum = transportChecksum(17, head, payload);
  // A computed 0 is sent as 0xffff: 0 means "no checksum" in UDP.
  const wire = be16(sum === 0 ? 0xffff : sum);
  return { groups: [be16(sport), be16(dport), be16(8 + payload.length), wire] };
}

function tcp(sport: number, dport: number, payload: number[]): Part {
  const seq = [0, 0, 0, 1];
  const ack = [0, 0, 0, 1];
  const offsetFlags = [0x50, 0x18]; // 5 words, PSH+ACK
  const head = [...be16(sport), ...be16(dport), ...seq, ...ack, ...offsetFlags, ...be16(TCP_WINDOW), 0, 0, 0, 0];
  const sum = be16(transportChecksum(6, head, payload));
  return { groups: [be16(sport), be16(dport), seq, ack, offsetFlags, be16(TCP_WINDOW), sum, [0, 0]] };
}

/** The UDP/TCP checksum: over the IPv4 pseudo-header, the header (checksum zero) and the payload. */
function transportChecksum(protocol: number, head: number[], payload: number[]): number {
  const length = head.length + payload.length;
  return checksum([...IP_SRC, ...IP_DST, 0, protocol, ...be16(length), ...head, ...payload]);
}

/** RFC 1071 Internet checksum. */
function checksum(bytes: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function be16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

function mac(bytes: readonly number[]): string {
  return bytes.map((b) => hex(b, 2)).join(':');
}

function hex(v: number, digits: number): string {
  return v.toString(16).padStart(digits, '0');
}
