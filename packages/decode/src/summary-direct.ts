/**
 * Summaries written straight from the bytes of the commonest packets (see packet-shape.ts,
 * here with IPv6 option headers, ICMP and later IPv4 fragments too): a TCP or UDP line whose
 * payload the registry leaves as data, a DNS message over UDP, an ICMP or ICMPv6 echo, or
 * the line of a fragment after the first. The tree of such a
 * packet is known in advance, so its line is too; the TCP, UDP and DNS summaries and this
 * file end in the same writers (a DNS message is walked once, keeping none of its questions
 * and records, see `writeDnsMessageText`).
 *
 * The differential test (fuzz/summary-direct.test.ts) holds this to `writeSummary` over
 * mutated and truncated packets, with relative TCP numbers counted both ways.
 */
import { u16, u32, writeIpv4At, writeIpv6At } from './bytes.js';
import { builtinDecoders, builtinOptionHeaders, byRevision, type DirectShape } from './packet-shape.js';
import { data } from './protocols/data.js';
import { dns, dnsTcp, llmnr, mdns, writeDnsMessageText } from './protocols/dns.js';
import { icmp } from './protocols/icmp.js';
import { icmpv6 } from './protocols/icmpv6.js';
import { ipv4 } from './protocols/ipv4.js';
import { tcp, writeFlagsText, writeSegmentText, writeSequenceText } from './protocols/tcp.js';
import type { TcpSequenceBases } from './protocols/tcp-sequence.js';
import { udp } from './protocols/udp.js';
import type { Protocol, Registry } from './registry.js';
import { ascii, type TextBuffer } from './text-buffer.js';

/** True while `registry` decodes and summarises the common shape with the built-in protocols (worked out once per revision). */
export const builtinSummaries = byRevision((registry) => {
  // A protocol registered under one of these names would speak, or speak differently.
  const dnsSpeaker = registry.protocol('dns');
  return (
    builtinDecoders(registry) &&
    registry.protocol('tcp') === tcp &&
    registry.protocol('udp') === udp &&
    registry.protocol('data') === data &&
    (dnsSpeaker === undefined || DNS.has(dnsSpeaker))
  );
});

/**
 * Writes the summary of `b`, a packet of the shape `s` describes, and returns true; false,
 * having written nothing, when a protocol above the transport header would speak for it.
 */
export function writeShapeSummary(b: Uint8Array, s: DirectShape, registry: Registry, tcpSequence: TcpSequenceBases | undefined, out: TextBuffer): boolean {
  if (s.extensions > 0 && !optionHeaders(registry)) return false;
  if (s.laterFragment) return writeLaterFragmentAt(b, s, registry, out);
  const t = s.transport;
  const sport = u16(b, t);
  const dport = u16(b, t + 2);
  if (s.protocol === 6) {
    const header = (b[t + 12]! >> 4) * 4;
    const length = s.end - t - header;
    // The decoders look the ports up only for a segment that carries data.
    if (length > 0 && registry.resolve('tcp.port', Math.min(sport, dport), Math.max(sport, dport)) !== undefined) return false;
    writeEndpointsAt(out, b, s, sport, dport);
    const flags = u16(b, t + 12) & 0x0fff;
    writeFlagsText(out, flags);
    const addresses = s.ip + (s.version === 4 ? 12 : 8);
    if (tcpSequence) tcpSequence.writeAt(b, addresses, s.version === 4 ? 4 : 16, t, length, out);
    else writeSequenceText(out, flags, length, u32(b, t + 4), u32(b, t + 8));
    writeSegmentText(out, b, t, header - 20, header - 20, 20, length, t + header, s.end);
    return true;
  }
  if (s.protocol !== 17) return writeEchoAt(b, s, registry, out);
  const field = u16(b, t + 4);
  // A length field below 8 is a malformed header, which the decoders report.
  if (field < 8) return false;
  const datagram = field <= s.end - t ? field : s.end - t;
  if (datagram > 8) {
    const next = registry.resolve('udp.port', Math.min(sport, dport), Math.max(sport, dport));
    if (next !== undefined) return writeDnsOverUdp(b, s, next, t + 8, t + datagram, sport, dport, out);
  }
  writeEndpointsAt(out, b, s, sport, dport);
  out.bytes(UDP_LENGTH);
  out.decimal(field - 8);
  return true;
}

/** `builtinOptionHeaders`, worked out once per registry revision. */
const optionHeaders = byRevision(builtinOptionHeaders);

/**
 * `IP src > dst: ip-proto-17 528 (frag 45186:528@1480)`, the line of an IPv4 fragment after
 * the first, which the IPv4 header speaks for; false when the registry's `ip` is another.
 */
function writeLaterFragmentAt(b: Uint8Array, s: DirectShape, registry: Registry, out: TextBuffer): boolean {
  if (registry.protocol('ip') !== ipv4) return false;
  const ip = s.ip;
  const length = s.end - s.transport;
  const fragment = u16(b, ip + 6);
  writeIpPrefixAt(out, b, s);
  out.bytes(IP_PROTO);
  out.decimal(b[ip + 9]!);
  out.byte(0x20);
  out.decimal(length);
  out.bytes(FRAG);
  out.decimal(u16(b, ip + 4));
  out.byte(0x3a);
  out.decimal(length);
  out.byte(0x40);
  out.decimal((fragment & 0x1fff) * 8);
  out.bytes(fragment & 0x2000 ? MORE : LAST);
  return true;
}

/** True while `registry` decodes and summarises ICMP and ICMPv6 with the built-in protocols. */
const builtinIcmp = byRevision(
  (registry) => registry.lookup('ip.proto', 1) === icmp && registry.lookup('ip.proto', 58) === icmpv6 && registry.protocol('icmp') === icmp && registry.protocol('icmpv6') === icmpv6,
);

/**
 * `IP src > dst: ICMP echo request, id 1, seq 1, length 64` (or ICMPv6's), for an echo
 * request or reply at the shape's transport offset; false, having written nothing, for
 * any other message, which the decoders' summaries speak for.
 */
function writeEchoAt(b: Uint8Array, s: DirectShape, registry: Registry, out: TextBuffer): boolean {
  const t = s.transport;
  const type = b[t]!;
  const v6 = s.protocol === 58;
  if ((v6 ? type !== 128 && type !== 129 : type !== 0 && type !== 8) || !builtinIcmp(registry)) return false;
  writeIpPrefixAt(out, b, s);
  out.bytes(v6 ? (type === 128 ? ICMP6_REQUEST : ICMP6_REPLY) : type === 8 ? ICMP_REQUEST : ICMP_REPLY);
  out.decimal(u16(b, t + 4));
  out.bytes(SEQ);
  out.decimal(u16(b, t + 6));
  out.bytes(LENGTH);
  out.decimal(s.end - t);
  return true;
}

/** DNS, mDNS and LLMNR over UDP: messages alone, nothing after them. */
const UDP_DNS: ReadonlySet<Protocol<any>> = new Set<Protocol<any>>([dns, mdns, llmnr]);
/** Every built-in DNS protocol: each speaks for a message as the others do. */
const DNS: ReadonlySet<Protocol<any>> = new Set<Protocol<any>>([dns, mdns, llmnr, dnsTcp]);

/** The line of a DNS message over UDP from `at` to `end`: the ports, then the message; false when `next` is no UDP DNS decoder or the message is too short to be one. */
function writeDnsOverUdp(b: Uint8Array, s: DirectShape, next: Protocol<any>, at: number, end: number, sport: number, dport: number, out: TextBuffer): boolean {
  // Under 4 bytes the decoder reports a short message, which the tree's summary speaks for.
  if (!UDP_DNS.has(next) || end - at < 4) return false;
  writeEndpointsAt(out, b, s, sport, dport);
  out.text(': ');
  writeDnsMessageText(out, b, at, end, next === mdns);
  return true;
}

/** `IP src.port > dst.port` (or `IP6 ...`) from the IP header of the shape; `IP6 src > dst: HBH sport > dport` after option headers. */
function writeEndpointsAt(out: TextBuffer, b: Uint8Array, s: DirectShape, sport: number, dport: number): void {
  if (s.extensions > 0) {
    writeIpPrefixAt(out, b, s);
    out.decimal(sport);
    out.bytes(TO);
    out.decimal(dport);
    return;
  }
  out.bytes(s.version === 4 ? IP : IP6);
  writeAddressAt(out, b, s, false);
  out.byte(0x2e);
  out.decimal(sport);
  out.bytes(TO);
  writeAddressAt(out, b, s, true);
  out.byte(0x2e);
  out.decimal(dport);
}

/** `IP src > dst: ` (or `IP6 ...`), then the tags of the option headers (`HBH DSTOPT `): what comes before the rest of a line. */
function writeIpPrefixAt(out: TextBuffer, b: Uint8Array, s: DirectShape): void {
  out.bytes(s.version === 4 ? IP : IP6);
  writeAddressAt(out, b, s, false);
  out.bytes(TO);
  writeAddressAt(out, b, s, true);
  out.bytes(COLON);
  // Option headers follow an IPv6 header only (`s.extensions` is 0 after IPv4).
  let next = b[s.ip + 6]!;
  for (let i = 0, o = s.ip + 40; i < s.extensions; i++, o += (b[o + 1]! + 1) * 8) {
    out.bytes(next === 0 ? HBH : DSTOPT);
    next = b[o]!;
  }
}

/** The source (or with `destination`, the destination) address of the shape's IP header. */
function writeAddressAt(out: TextBuffer, b: Uint8Array, s: DirectShape, destination: boolean): void {
  if (s.version === 4) writeIpv4At(out, b, s.ip + (destination ? 16 : 12));
  else writeIpv6At(out, b, s.ip + (destination ? 24 : 8));
}

// The words of these lines, as bytes (see `ascii`).
const IP = ascii('IP ');
const IP6 = ascii('IP6 ');
const TO = ascii(' > ');
const COLON = ascii(': ');
const HBH = ascii('HBH ');
const DSTOPT = ascii('DSTOPT ');
const ICMP_REQUEST = ascii('ICMP echo request, id ');
const ICMP_REPLY = ascii('ICMP echo reply, id ');
const ICMP6_REQUEST = ascii('ICMP6, echo request, id ');
const ICMP6_REPLY = ascii('ICMP6, echo reply, id ');
const SEQ = ascii(', seq ');
const IP_PROTO = ascii('ip-proto-');
const FRAG = ascii(' (frag ');
const MORE = ascii('+)');
const LAST = ascii(')');
const LENGTH = ascii(', length ');
const UDP_LENGTH = ascii(': UDP, length ');
