export { u16, u24, u32, u16le, u32le, macAt, ipv4At, ipv6At, hex, hexBytes } from './bytes.js';
export { DecodeFailure, RawPayload, type Layer } from './layer.js';
export {
  Registry,
  type Protocol,
  type Dissection,
  type DecodeContext,
  type Next,
  type TableName,
  type FieldExtractor,
  type FieldContext,
  type SummaryContext,
} from './registry.js';
export { LinkType, linkTypeName, type LinkTypeName } from './linktype.js';
export { decodePacket, Packet, MAX_LAYERS, type DecodeOptions } from './packet.js';
export { defaultRegistry, registerBuiltins } from './protocols/index.js';
export { Ethernet, ethernet } from './protocols/ethernet.js';
export { IPv4, ipv4 } from './protocols/ipv4.js';
export { IPv6, ipv6 } from './protocols/ipv6.js';
export { Tcp, tcp, TcpFlags, tcpFlagText, type TcpOption } from './protocols/tcp.js';
export { Udp, udp } from './protocols/udp.js';
export { short as shortHeader } from './protocols/need.js';
export { FieldSelector, UnknownFieldError, knownFields } from './fields.js';
export { summarize } from './summary.js';
export { CaptureFileError, type CaptureFileErrorCode } from './capture/errors.js';
export {
  type CaptureRecord,
  type CaptureInfo,
  type CaptureInterface,
  type CaptureSection,
  recordTimeMicros,
  recordTimeNanos,
  formatEpoch,
} from './capture/record.js';
export { readCapture, parseCapture, CaptureReader, type CaptureSource } from './capture/read.js';
export { PcapMagic } from './capture/pcap.js';
export { PcapngBlock, MAX_BLOCK_LENGTH as PCAPNG_MAX_BLOCK_LENGTH } from './capture/pcapng.js';
export { type ByteSink } from './capture/sink.js';
export { PcapWriter, type PcapWriterOptions, type WritablePacket } from './capture/write-pcap.js';
export {
  PcapngWriter,
  type PcapngWriterOptions,
  type PcapngInterfaceOptions,
  type PcapngPacket,
} from './capture/write-pcapng.js';
export { FlowTuple, readFlowTuple, scanCapture, type RecordVisitor } from './fast.js';
