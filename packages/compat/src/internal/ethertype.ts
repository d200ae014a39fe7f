import type { Emitter } from './read';
import IPv4 = require('../decode/ipv4');
import IPv6 = require('../decode/ipv6');
import Arp = require('../decode/arp');

/** The payload v3 chose for an ethertype, or null with v3's log line for an unknown one. */
export function ethertypePayload(
  ethertype: number,
  raw: Buffer,
  offset: number,
  emitter: Emitter | undefined,
  who: string,
): IPv4 | IPv6 | Arp | string | null {
  switch (ethertype) {
    case 0x800:
      return new IPv4(emitter).decode(raw, offset);
    case 0x806:
      return new Arp(emitter).decode(raw, offset);
    case 0x86dd:
      return new IPv6(emitter).decode(raw, offset);
    case 0x88cc:
      return 'need to implement LLDP';
    default:
      console.log(`node_pcap: ${who} - Don't know how to decode ethertype ${ethertype}`);
      return null;
  }
}

/** The word v3's toString printed for an ethertype. */
export function ethertypeText(ethertype: number | null): string {
  switch (ethertype) {
    case 0x800:
      return ' IPv4';
    case 0x806:
      return ' ARP';
    case 0x86dd:
      return ' IPv6';
    case 0x88cc:
      return ' LLDP';
    default:
      return ` ethertype ${ethertype}`;
  }
}
