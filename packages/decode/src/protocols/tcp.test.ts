import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';
import type { Tcp } from './tcp.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP 192.0.2.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 123 ecr 0,nop,wscale 7], length 0
    name: 'tcp_syn',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108004500003c000d00004006f6abc0000201c00002029c4001bb000003e800000000a002
    faf026ad0000020405b40402080a0000007b0000000001030307`),
    layers: ['eth', 'ip', 'tcp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '60', 'ip.id': '0x000d', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '6', 'ip.checksum': '0xf6ab', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'tcp.srcport': '40000', 'tcp.dstport': '443', 'tcp.seq_raw': '1000', 'tcp.ack_raw': '0', 'tcp.hdr_len': '40', 'tcp.flags': '0x0002', 'tcp.window_size_value': '64240', 'tcp.checksum': '0x26ad', 'tcp.urgent_pointer': '0', 'tcp.len': '0', 'tcp.option_kind': '2,4,8,1,3', 'tcp.options.mss_val': '1460', 'tcp.options.wscale.shift': '7', 'tcp.options.timestamp.tsval': '123'},
    summary: 'IP 192.0.2.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 123 ecr 0,nop,wscale 7], length 0',
  },
  {
    // IP 192.0.2.1.443 > 192.0.2.2.40000: Flags [.], ack 1001, win 500, options [nop,nop,sack 2 {1000:2000}{3000:3500}], length 0
    name: 'tcp_sack',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108004500003c000e00004006f6aac0000201c000020201bb9c4000001388000003e9a010
    01f4e98c000001010512000007d000000bb800000fa000001194`),
    layers: ['eth', 'ip', 'tcp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '60', 'ip.id': '0x000e', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '6', 'ip.checksum': '0xf6aa', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'tcp.srcport': '443', 'tcp.dstport': '40000', 'tcp.seq_raw': '5000', 'tcp.ack_raw': '1001', 'tcp.hdr_len': '40', 'tcp.flags': '0x0010', 'tcp.window_size_value': '500', 'tcp.checksum': '0xe98c', 'tcp.urgent_pointer': '0', 'tcp.len': '0', 'tcp.option_kind': '1,1,5', 'tcp.options.sack_le': '2000,4000', 'tcp.options.sack_re': '3000,4500'},
    summary: 'IP 192.0.2.1.443 > 192.0.2.2.40000: Flags [.], ack 1001, win 500, options [nop,nop,sack 2 {2000:3000}{4000:4500}], length 0',
  },
  {
    // IP 192.0.2.1.40000 > 192.0.2.2.443: Flags [S], seq 1, win 1024, options [mptcp 4 capable v0 csum,tfo  cookiereq,md5 shared secret not supplied with -M, can't check - 00000000000000000000000000000000,tcp-ao keyid 1 rnextkeyid 2 mac 0xaaaaaaaa,unknown-99 0x0102,eol], length 0
    name: 'tcp_misc',
    linkType: 1,
    bytes: fromHex(`
    020000000002020000000001080045000050000f00004006f695c0000201c00002029c4001bb0000000100000000f002
    0400beba00001e04008122021312000000000000000000000000000000001d080102aaaaaaaa6304010200000000`),
    layers: ['eth', 'ip', 'tcp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '80', 'ip.id': '0x000f', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '6', 'ip.checksum': '0xf695', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'tcp.srcport': '40000', 'tcp.dstport': '443', 'tcp.seq_raw': '1', 'tcp.ack_raw': '0', 'tcp.hdr_len': '60', 'tcp.flags': '0x0002', 'tcp.window_size_value': '1024', 'tcp.checksum': '0xbeba', 'tcp.urgent_pointer': '0', 'tcp.len': '0', 'tcp.option_kind': '30,34,19,29,99,0,0,0,0'},
    summary: 'IP 192.0.2.1.40000 > 192.0.2.2.443: Flags [S], seq 1, win 1024, options [mptcp 4 capable,tfo cookiereq,md5,tcp-ao keyid 1 rnextkeyid 2 mac 0xaaaaaaaa,unknown-99 0x0102,eol,eol,eol,eol], length 0',
  },
  {
    // IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [P.], seq 10:28, ack 20, win 1024, length 18: HTTP: GET / HTTP/1.0
    name: 'tcp_data',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108004500003a001000004006f6aac0000201c00002029c4000500000000a000000145018
    0400ac680000474554202f20485454502f312e300d0a0d0a`),
    layers: ['eth', 'ip', 'tcp', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '58', 'ip.id': '0x0010', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '6', 'ip.checksum': '0xf6aa', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'tcp.srcport': '40000', 'tcp.dstport': '80', 'tcp.seq_raw': '10', 'tcp.ack_raw': '20', 'tcp.hdr_len': '20', 'tcp.flags': '0x0018', 'tcp.window_size_value': '1024', 'tcp.checksum': '0xac68', 'tcp.urgent_pointer': '0', 'tcp.len': '18'},
    summary: 'IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [P.], seq 10:28, ack 20, win 1024, length 18: HTTP: GET / HTTP/1.0',
  },
];

describe('tcp', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  // 13:48:01.133938 IP 127.0.0.1.1 > 127.0.0.1.57608: Flags [R.], seq 0, ack 3624408344, win 0, length 0
  const RST = fromHex(`
    000000000000 000000000000 0800
    450000280000400040063cce7f0000017f000001
    0001e10800000000d808151850140000e3a30000`);

  it('decodes a RST-ACK captured on loopback as tcpdump prints it', () => {
    expect(summarize(decodePacket(RST, 1))).toBe('IP 127.0.0.1.1 > 127.0.0.1.57608: Flags [R.], seq 0, ack 3624408344, win 0, length 0');
  });

  // Ethernet + IPv4 (total length 20 + 20 + options) + TCP with `opts` as options.
  const withOptions = (opts: string) => {
    const n = opts.replace(/\s+/g, '').length / 2;
    const total = (40 + n).toString(16).padStart(4, '0');
    const off = ((20 + n) / 4).toString(16);
    return fromHex(`020000000002 020000000001 0800 4500${total}00010000400600007f0000017f000001 00010002 00000001 00000000 ${off}0100100 00000000 ${opts}`);
  };
  const kinds = (opts: string) => fieldsOf(withOptions(opts), 1, ['tcp.option_kind'])['tcp.option_kind'];

  it('walks options as tshark does', () => {
    expect(kinds('020405b4 00000000')).toBe('2,0,0,0,0'); // zero bytes after EOL each show as EOL
    expect(kinds('00020405 b4010101')).toBe('0'); // but a non-zero byte after EOL ends the list
    expect(kinds('01010201 00000000')).toBe('1,1'); // length below 2: not shown, walk ends
    expect(kinds('0101080a 00000000')).toBe('1,1'); // runs past the header: not shown
    expect(kinds('010101fe')).toBe('1,1,1'); // no room for a length byte
    expect(kinds('63040000 01010101')).toBe('99,1,1,1,1'); // unknown kinds skipped by length
    expect(kinds('02030501 01010101')).toBe('2,1,1,1,1,1'); // MSS of the wrong length: shown, skipped by length
  });

  it('shows option values only for options of the right length', () => {
    const t = fieldsOf(withOptions('02030501 03040701 01010101'), 1, ['tcp.options.mss_val', 'tcp.options.wscale.shift']);
    expect(t).toEqual({});
    const sack = fieldsOf(withOptions('0101050e 00000001 00000002 00000003'), 1, ['tcp.options.sack_le', 'tcp.options.sack_re']);
    expect(sack).toEqual({ 'tcp.options.sack_le': '1,3', 'tcp.options.sack_re': '2' });
  });

  it('stops the option walk at a zero length instead of looping', () => {
    const bad = withOptions('020005b4');
    const t = decodePacket(bad, 1).layer<Tcp>('tcp')!;
    expect(t.options).toEqual([]);
    expect(t.mss).toBeUndefined();
  });

  it('shows the fields of a cut header as tshark does: ports from 4 bytes, the rest from 16, 18 and 20', () => {
    const b = CASES[0]!.bytes;
    const at = (n: number) => fieldsOf(b.subarray(0, 34 + n), 1, ['tcp.srcport', 'tcp.seq_raw', 'tcp.window_size_value', 'tcp.checksum', 'tcp.urgent_pointer', 'tcp.len']);
    expect(at(3)).toEqual({});
    expect(at(15)).toEqual({ 'tcp.srcport': '40000' });
    expect(at(16)).toEqual({ 'tcp.srcport': '40000', 'tcp.seq_raw': '1000', 'tcp.window_size_value': '64240', 'tcp.len': '0' });
    expect(at(18)).toMatchObject({ 'tcp.checksum': '0x26ad' });
    expect(at(20)).toMatchObject({ 'tcp.urgent_pointer': '0' });
    expect(layersOf(b.subarray(0, 34 + 15), 1)).toEqual(['eth', 'ip', 'tcp', '_failure']);
    expect(layersOf(b.subarray(0, 34 + 3), 1)).toEqual(['eth', 'ip', '_failure']);
  });

  it('flags a data offset below five words, keeping what tshark keeps', () => {
    const bad = withOptions('');
    bad[34 + 12] = 0x40;
    const pkt = decodePacket(bad, 1);
    expect([pkt.failure!.layer, pkt.failure!.reason]).toEqual(['tcp', 'data offset field below 5']);
    expect(fieldsOf(bad, 1, ['tcp.srcport', 'tcp.seq_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.len'])).toEqual({
      'tcp.srcport': '1',
      'tcp.seq_raw': '1',
      'tcp.hdr_len': '16',
      'tcp.len': '4',
    });
  });

  it('shows no tcp.len when the data offset runs past the segment, and the options up to its end', () => {
    const bad = withOptions('01010101 00000000');
    bad[34 + 12] = 0xf0;
    bad[17] = 44; // the segment ends after the four NOPs
    expect(fieldsOf(bad, 1, ['tcp.hdr_len', 'tcp.flags', 'tcp.len', 'tcp.option_kind'])).toEqual({
      'tcp.hdr_len': '60',
      'tcp.flags': '0x0010',
      'tcp.option_kind': '1,1,1,1',
    });
  });

  it('shows no tcp.len for the first fragment of a fragmented datagram, as tshark does', () => {
    const b = withOptions('');
    b[20] = 0x20; // IPv4 More Fragments
    expect(fieldsOf(b, 1, ['tcp.srcport', 'tcp.len'])).toEqual({ 'tcp.srcport': '1' });
  });

  it('bounds tcp.len by the wire length when the caller gives it', () => {
    const b = withOptions('');
    b[17] = 50; // the IPv4 total length claims 10 payload bytes that were not captured
    expect(fieldsOf(b, 1, ['tcp.len'])).toEqual({ 'tcp.len': '10' }); // a snaplen cut
    expect(fieldsOf(b, 1, ['tcp.len'], { originalLength: b.length })).toEqual({ 'tcp.len': '0' }); // the frame ends there
  });
});
