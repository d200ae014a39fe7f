/** The module surface of node_pcap v3 (V3-API.md §1) as user code sees it. */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
type Any = any;

const DECODERS: [string, string, string | undefined, boolean | undefined][] = [
  // [deep path, class name, prototype decoderName, prototype eventsOnDecode]
  ['arp', 'Arp', 'arp', true],
  ['dns', 'DNS', 'dns', true],
  ['ethernet_addr', 'EthernetAddr', undefined, undefined],
  ['ethernet_packet', 'EthernetPacket', 'ethernet-packet', false],
  ['icmp', 'ICMP', 'icmp', true],
  ['igmp', 'IGMP', 'igmp', true],
  ['ipv4', 'IPv4', 'ipv4', true],
  ['ipv4_addr', 'IPv4Addr', 'ipv4-addr', false],
  ['ipv6', 'IPv6', 'ipv6', true],
  ['ipv6_addr', 'IPv6Addr', 'ipv6-addr', false],
  ['llc_packet', 'LogicalLinkControl', 'llc', true],
  ['null_packet', 'NullPacket', 'null-packet', false],
  ['pcap_packet', 'PcapPacket', undefined, undefined],
  ['sll_addr', 'SLLAddr', 'ssl-addr', false],
  ['sll_packet', 'SLLPacket', 'ssl-packet', false],
  ['tcp', 'TCP', 'tcp', true],
  ['udp', 'UDP', 'udp', true],
  ['vlan', 'Vlan', 'vlan', false],
  ['websocket', 'WebSocketParser', undefined, undefined],
  ['ipv6headers/header_extension', 'HeaderExtension', undefined, undefined],
  ['ipv6headers/no_next', 'NoNext', undefined, undefined],
  ['ieee802.11/radio_packet', 'RadioPacket', undefined, undefined],
  ['ieee802.11/radio_frame', 'RadioFrame', undefined, undefined],
  ['ieee802.11/radio_beacon_frame', 'RadioBeaconFrame', undefined, undefined],
  ['ieee802.11/radio_probe_frame', 'RadioProbeFrame', undefined, undefined],
  ['ieee802.11/radio_management_frame_tag', 'RadioMangementFrameTag', undefined, undefined],
];

describe('deep imports', () => {
  it.each(DECODERS)('@pcap/compat/decode/%s exports the %s constructor', (path, name, decoderName, events) => {
    const C = require(`@pcap/compat/decode/${path}`);
    expect(typeof C).toBe('function');
    expect(C.name).toBe(name);
    expect(C.prototype.decoderName).toBe(decoderName);
    expect(C.prototype.eventsOnDecode).toBe(events);
    if (decoderName !== undefined) expect(Object.keys(new C())).not.toContain('decoderName');
  });

  it('exposes ip_protocols, radio_utils, radiotap_fields.json, util, tcp_tracker and dns_cache', () => {
    const protocols = require('@pcap/compat/decode/ip_protocols');
    expect(protocols).toHaveLength(256);
    const filled = protocols.flatMap((c: Any, i: number) => (c ? [`${i}:${c.name}`] : []));
    expect(filled).toEqual([
      '0:HeaderExtension', '1:ICMP', '2:IGMP', '4:IPv4', '6:TCP', '17:UDP', '41:IPv6', '43:HeaderExtension',
      '51:HeaderExtension', '59:NoNext', '60:HeaderExtension', '135:HeaderExtension', '139:HeaderExtension', '140:HeaderExtension',
    ]);
    expect(typeof require('@pcap/compat/decode/ieee802.11/radio_utils').parseTags).toBe('function');
    const fields = require('@pcap/compat/decode/ieee802.11/radiotap_fields.json');
    expect(fields[3]).toMatchObject({ id: 'channel', align: 2, structure: [['u16', 'frequency'], ['u16', 'flags']] });
    const util = require('@pcap/compat/util');
    expect([util.int8_to_dec[255], util.int8_to_hex[10], util.int8_to_hex_nopad[10]]).toEqual(['255', '0a', 'a']);
    expect(Object.keys(require('@pcap/compat/tcp_tracker'))).toEqual(['TCPSession', 'TCPTracker']);
    expect(require('@pcap/compat/dns_cache').name).toBe('DNSCache');
  });

  it('resolves paths written with .js as the same modules', () => {
    expect(require('@pcap/compat/decode/tcp.js')).toBe(require('@pcap/compat/decode/tcp'));
    expect(require('@pcap/compat/decode/ieee802.11/radio_frame.js')).toBe(require('@pcap/compat/decode/ieee802.11/radio_frame'));
    expect(require('@pcap/compat/tcp_tracker.js')).toBe(require('@pcap/compat/tcp_tracker'));
    expect(require('@pcap/compat/pcap.js')).toBe(require('@pcap/compat'));
  });

  it('decode/index exports the five classes and decode, with decode.packet === decode', () => {
    const d = require('@pcap/compat/decode');
    expect(Object.keys(d)).toEqual(['EthernetPacket', 'IPv4Packet', 'IPv6Packet', 'ArpPacket', 'PcapPacket', 'decode']);
    expect(d.decode.packet).toBe(d.decode);
    expect(d.IPv4Packet).toBe(require('@pcap/compat/decode/ipv4'));
  });
});

describe('main module', () => {
  const pcap = require('@pcap/compat');

  it('has v3 exports, and none of the private classes', () => {
    expect(Object.keys(pcap)).toEqual([
      'decode', 'TCPTracker', 'TCPSession', 'DNSCache', 'warningHandler', 'lib_version', 'findalldevs',
      'Pcap', 'PcapSession', 'createSession', 'createOfflineSession',
    ]);
    expect(pcap.Pcap).toBe(pcap.PcapSession);
    expect(pcap.decode).toBe(require('@pcap/compat/decode').decode);
    expect(pcap.TCPTracker).toBe(require('@pcap/compat/tcp_tracker').TCPTracker);
    expect(pcap.DNSCache).toBe(require('@pcap/compat/dns_cache'));
    expect(pcap.PacketWithHeader).toBeUndefined();
  });

  it('shares one class identity between main, deep imports and the tracker', () => {
    const tracker = new pcap.TCPTracker();
    const seen: Any[] = [];
    tracker.on('session', (s: Any) => seen.push(s));
    // A SYN decoded through the main module is tracked: the tracker's instanceof checks
    // use the same IPv4 and TCP classes as decode and the deep imports.
    const syn = Buffer.from(
      '02000000000202000000000108004500002c000140004006b6c7c0000201c00002029c400050000003e80000000060022000d4d30000020405b4',
      'hex',
    );
    const header = Buffer.alloc(16);
    header.writeUInt32LE(syn.length, 8);
    header.writeUInt32LE(syn.length, 12);
    const p = pcap.decode.packet({ buf: syn, header, link_type: 'LINKTYPE_ETHERNET' });
    expect(p.payload.payload).toBeInstanceOf(require('@pcap/compat/decode/ipv4'));
    expect(p.payload.payload.payload).toBeInstanceOf(require('@pcap/compat/decode/tcp'));
    tracker.track_packet(p);
    expect(seen).toHaveLength(1);
    expect(seen[0].state).toBe('SYN_SENT');
    expect(Object.keys(seen[0]).slice(0, 3)).toEqual(['src', 'src_name', 'dst']);
  });

  it('is importable from ESM (plain Node) with the same values as require()', () => {
    const code = [
      "import pcap, { decode, createOfflineSession, TCPTracker } from '@pcap/compat';",
      "import { createRequire } from 'node:module';",
      "const cjs = createRequire(import.meta.url)('@pcap/compat');",
      "console.log(JSON.stringify([pcap === cjs, decode === cjs.decode, createOfflineSession === cjs.createOfflineSession, TCPTracker === cjs.TCPTracker]));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: packageDir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true, true, true]);
  });

  it('reports the libpcap version string', () => {
    expect(pcap.lib_version).toMatch(/^libpcap version \d/);
  });

  it('lists devices in v3 shape', () => {
    const devs = pcap.findalldevs();
    const lo = devs.find((d: Any) => d.flags === 'PCAP_IF_LOOPBACK');
    expect(lo).toBeDefined();
    expect(lo.addresses.map((a: Any) => a.addr)).toContain('127.0.0.1');
    for (const d of devs) for (const a of d.addresses) expect(typeof a.addr).toBe('string');
  });
});
