import { Registry } from '../registry.js';
import { data } from './data.js';
import { ethernet } from './ethernet.js';
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { tcp } from './tcp.js';
import { udp } from './udp.js';
import { LinkType } from '../linktype.js';
import { ah } from './ah.js';
import { arp } from './arp.js';
import { esp } from './esp.js';
import { ieee8021ad } from './ieee8021ad.js';
import { ipv6Fragment } from './ipv6-fragment.js';
import { dstopts, hopopts } from './ipv6-options.js';
import { ipv6Routing } from './ipv6-routing.js';
import { llc } from './llc.js';
import { loop, nullLink } from './null.js';
import { raw } from './raw.js';
import { sll, sll2 } from './sll.js';
import { vlan } from './vlan.js';
import { dns, dnsTcp, llmnr, mdns } from './dns.js';
import { icmp } from './icmp.js';
import { icmpv6 } from './icmpv6.js';
import { igmp } from './igmp.js';
import { radiotap } from './radiotap.js';
import { ieee80211 } from './ieee80211.js';
import { ieee80211Mgmt } from './ieee80211-mgmt.js';
import { ppi } from './ppi.js';

/** Adds the built-in protocols' rows to a registry. */
export function registerBuiltins(r: Registry): Registry {
  r.addProtocol(data);
  return r
    .register('linktype', LinkType.ETHERNET, ethernet)
    .register('ethertype', 0x0800, ipv4)
    .register('ethertype', 0x86dd, ipv6)
    .register('ip.proto', 6, tcp)
    .register('ip.proto', 17, udp)
    // Link layers, ARP, IP tunnels and IPv6 extension headers.
    .register('linktype', LinkType.NULL, nullLink)
    .register('linktype', LinkType.LOOP, loop)
    .register('linktype', LinkType.RAW, raw)
    .register('linktype', LinkType.IPV4, ipv4)
    .register('linktype', LinkType.IPV6, ipv6)
    .register('linktype', LinkType.LINUX_SLL, sll)
    .register('linktype', LinkType.LINUX_SLL2, sll2)
    .register('null.family', 2, ipv4)
    .register('null.family', [24, 28, 30], ipv6)
    .register('sll.ltype', 0x0003, ethernet)
    .register('sll.ltype', 0x0004, llc)
    .register('llc', 0, llc)
    .register('ethertype', 0x8870, llc)
    .register('llc.sap', 0x06, ipv4)
    .register('ethertype', [0x8100, 0x9100], vlan)
    .register('ethertype', 0x88a8, ieee8021ad)
    .register('ethertype', [0x0806, 0x8035], arp)
    .register('ip.proto', 0, hopopts)
    .register('ip.proto', 4, ipv4)
    .register('ip.proto', 41, ipv6)
    .register('ip.proto', 43, ipv6Routing)
    .register('ip.proto', 44, ipv6Fragment)
    .register('ip.proto', 50, esp)
    .register('ip.proto', 51, ah)
    .register('ip.proto', 60, dstopts)
    // ICMP, ICMPv6 (MLD inside), IGMP and DNS over UDP and TCP.
    .register('ip.proto', 1, icmp)
    .register('ip.proto', 58, icmpv6)
    .register('ip.proto', 2, igmp)
    .register('udp.port', 53, dns)
    .register('udp.port', 5353, mdns)
    .register('udp.port', 5355, llmnr)
    .register('tcp.port', [53, 5353], dnsTcp)
    .register('dns.tcp', 0, dnsTcp)
    // Wi-Fi: radiotap, PPI and plain 802.11 link types; 802.11 management bodies by subtype.
    .register('linktype', LinkType.IEEE802_11_RADIOTAP, radiotap)
    .register('linktype', LinkType.IEEE802_11, ieee80211)
    .register('linktype', LinkType.PPI, ppi)
    .register('wlan', 0, ieee80211)
    .register('wlan.mgt', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], ieee80211Mgmt);
}

let builtin: Registry | undefined;

/** The registry `decodePacket` uses when given none: the built-in protocols, plus what packages registered. */
export function defaultRegistry(): Registry {
  return (builtin ??= registerBuiltins(new Registry()));
}
