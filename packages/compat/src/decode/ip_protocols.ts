import type { DecoderClass } from '../internal/read';
import HeaderExtension = require('./ipv6headers/header_extension');
import ICMP = require('./icmp');
import IGMP = require('./igmp');
import IPv4 = require('./ipv4');
import TCP = require('./tcp');
import UDP = require('./udp');
import IPv6 = require('./ipv6');
import NoNext = require('./ipv6headers/no_next');

/**
 * IP protocol number -> decoder class, shared by IPv4, IPv6 and the IPv6 extension headers.
 * Those three look this table up lazily, so 4 (IP-in-IP) and 41 (IPv6-in-IP) are real classes
 * whichever module is loaded first.
 */
const protocols: (DecoderClass | undefined)[] = new Array(256);
protocols[0] = HeaderExtension;
protocols[1] = ICMP;
protocols[2] = IGMP;
protocols[4] = IPv4;
protocols[6] = TCP;
protocols[17] = UDP;
protocols[41] = IPv6;
protocols[43] = HeaderExtension;
protocols[51] = HeaderExtension;
protocols[59] = NoNext;
protocols[60] = HeaderExtension;
protocols[135] = HeaderExtension;
protocols[139] = HeaderExtension;
protocols[140] = HeaderExtension;

export = protocols;
