import { describe, expect, it } from 'vitest';
import { compareGoldens, CORPUS, hasGoldens } from './golden.js';

/** The ICMP, ICMPv6, IGMP and DNS fields, plus the quoted-datagram fields ICMP errors bring in. */
const FIELDS = [
  'icmp.type',
  'icmp.code',
  'icmpv6.type',
  'icmpv6.code',
  'igmp.type',
  'igmp.maddr',
  'dns.id',
  'dns.flags',
  'dns.flags.response',
  'dns.count.answers',
  'dns.qry.name',
  'dns.qry.type',
  'dns.resp.type',
  'dns.a',
  'dns.aaaa',
  'dns.cname',
  'dns.txt',
  'ip.src',
  'ipv6.fraghdr.offset',
  'ipv6.fraghdr.more',
  'udp.srcport',
  'udp.dstport',
];

describe('ICMP, IGMP and DNS fields against tshark', () => {
  if (!hasGoldens(CORPUS)) console.log(`skipping the ICMP/IGMP/DNS fidelity check: ${CORPUS} is absent`);
  it.skipIf(!hasGoldens(CORPUS))('match the stored tshark output for every packet of every corpus file', async () => {
    const { packets, mismatches } = await compareGoldens(CORPUS, FIELDS);
    expect(mismatches).toEqual([]);
    expect(packets).toBeGreaterThan(600);
  });
});
