/** Decoding entry point: `decode(packetWithHeader, emitter?, options?)`, also as `decode.packet`. */
import EthernetPacket = require('./ethernet_packet');
import IPv4Packet = require('./ipv4');
import IPv6Packet = require('./ipv6');
import ArpPacket = require('./arp');
import PcapPacket = require('./pcap_packet');
import type { Emitter } from '../internal/read';

export type DecodeFn = {
  (packet: Parameters<PcapPacket['decode']>[0], emitter?: Emitter, options?: object): PcapPacket;
  packet: DecodeFn;
};

const decode = function decode(packet, emitter, options) {
  return new PcapPacket(emitter).decode(packet, options);
} as DecodeFn;
decode.packet = decode;

export { EthernetPacket, IPv4Packet, IPv6Packet, ArpPacket, PcapPacket, decode };
