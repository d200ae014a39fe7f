export { u16, u24, u32, u16le, u32le, macAt, ipv4At, ipv6At, hex, hexBytes } from './bytes.js';
export {
  describeValue,
  argumentTypeError,
  argumentRangeError,
  optionsArgument,
  integerArgument,
  booleanArgument,
  stringArgument,
  isBytes,
} from './arguments.js';
export { DecodeFailure, HeaderLayer, RawPayload, type Layer } from './layer.js';
export {
  Registry,
  type Protocol,
  type DecodeContext,
  type TableName,
  type FieldExtractor,
  type FieldValue,
  type FieldContext,
  type SummaryContext,
} from './registry.js';
export { LinkType, linkTypeName, type LinkTypeName } from './linktype.js';
export { decodePacket, Packet, MAX_LAYERS, type DecodeOptions } from './packet.js';
export { defaultRegistry, registerBuiltins } from './protocols/index.js';
export { Ethernet, ethernet } from './protocols/ethernet.js';
export { IPv4, ipv4 } from './protocols/ipv4.js';
export { IPv6, ipv6 } from './protocols/ipv6.js';
export { Tcp, tcp, TcpFlags, tcpFlagText, writeSequenceText as writeTcpSequenceText, type TcpOption, type WireOption, type OptionVisitor } from './protocols/tcp.js';
export { Udp, udp } from './protocols/udp.js';
export { short as shortHeader } from './protocols/need.js';
export { Llc, llc, snapKey, lengthFrameNext } from './protocols/llc.js';
export { Vlan, vlan } from './protocols/vlan.js';
export { Ieee8021ad, ieee8021ad } from './protocols/ieee8021ad.js';
export { Sll, sll, sll2 } from './protocols/sll.js';
export { Null, nullLink, loop, hostOrderFamily } from './protocols/null.js';
export { RawIp, raw } from './protocols/raw.js';
export { Arp, arp } from './protocols/arp.js';
export { type IPv4Options } from './protocols/ipv4.js';
export { Ipv6Options, hopopts, dstopts, type Ipv6Option } from './protocols/ipv6-options.js';
export { Ipv6Routing, ipv6Routing, ROUTING_SRH } from './protocols/ipv6-routing.js';
export { Ipv6Fragment, ipv6Fragment } from './protocols/ipv6-fragment.js';
export { Ah, ah } from './protocols/ah.js';
export { Esp, esp } from './protocols/esp.js';
export { MAX_EXTENSION_HEADERS } from './protocols/ipv6-chain.js';
export { Icmp, icmp, IcmpType } from './protocols/icmp.js';
export { Icmpv6, icmpv6, Icmpv6Type, type NdOption } from './protocols/icmpv6.js';
export { parseMld, MLD_TYPES, type MldMessage, type MldReport, type MldRecord } from './protocols/mld.js';
export { Igmp, igmp, IgmpType, type IgmpGroupRecord } from './protocols/igmp.js';
export { type QuotedDatagram, quotedDatagram } from './protocols/quoted.js';
export {
  Dns,
  dns,
  mdns,
  llmnr,
  dnsTcp,
  dnsText,
  DnsFlags,
  type DnsFlavor,
  type DnsQuestion,
  type DnsRecord,
  type DnsSection,
  type Edns,
  type DnsWalkError,
} from './protocols/dns.js';
export { DnsType, dnsTypeName, type DnsRData, type EdnsOption, type SvcParam } from './protocols/dns-rr.js';
export { tryReadName as readDnsName, formatNameText as formatDnsNameText, type DnsName } from './protocols/dns-name.js';
export {
  Radiotap,
  radiotap,
  RadiotapBit,
  RadiotapFlags,
  radiotapSummary,
  type RadiotapItem,
  type RadiotapMcs,
  type RadiotapProblem,
  type RadiotapTlv,
  type RadiotapVendorNamespace,
  type RadiotapVht,
} from './protocols/radiotap.js';
export { formatG, htRate, vhtRate } from './protocols/radiotap-fields.js';
export { Ieee80211, ieee80211, FrameType, FcFlags, ControlSubtype, type Protection, type AmsduSubframe } from './protocols/ieee80211.js';
export { Ieee80211Mgmt, ieee80211Mgmt, MgmtSubtype } from './protocols/ieee80211-mgmt.js';
export {
  ElementId,
  ElementIdExtension,
  walkElements,
  elementThrows,
  parseRsn,
  parseTim,
  parseCountry,
  parseHtCapabilities,
  parseHtOperation,
  parseVhtCapabilities,
  parseVhtOperation,
  parseHeCapabilities,
  parseHeOperation,
  parseVendor,
  rateMbps,
  ratesText,
  type Element,
  type ElementWalk,
  type Rsn,
  type Suite,
  type Vendor,
  type VendorKind,
} from './protocols/ieee80211-elements.js';
export { Ppi, ppi, type PpiField } from './protocols/ppi.js';
export { FieldSelector, UnknownFieldError, knownFields, layerFields, type LayerFields } from './fields.js';
export { TextBuffer } from './text-buffer.js';
export { summarize, writeSummary, writeRecordSummary, type SummaryOptions } from './summary.js';
export { TcpSequenceBases } from './protocols/tcp-sequence.js';
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
export { readCapture, parseCapture, CaptureReader, fileChunks as readFileChunks, type CaptureSource, type FileReadOptions } from './capture/read.js';
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
