import { describe, expect, it } from 'vitest';
import { parseArguments } from './args.js';
import { UsageError, protocolNames } from './names.js';

describe('parseArguments', () => {
  it('reads each kind of table row, in both option spellings', () => {
    expect(parseArguments(['ntp', '--udp-port', '123'])).toEqual({ name: 'ntp', carrier: { table: 'udp.port', key: 123 }, wiresharkName: undefined });
    expect(parseArguments(['--tcp-port=179', 'bgp'])?.carrier).toEqual({ table: 'tcp.port', key: 179 });
    expect(parseArguments(['lldp', '--ethertype', '0x88CC'])?.carrier).toEqual({ table: 'ethertype', key: 0x88cc });
    expect(parseArguments(['vrrp', '--ip-proto', '112', '--wireshark-name', 'vrrp'])).toEqual({
      name: 'vrrp',
      carrier: { table: 'ip.proto', key: 112 },
      wiresharkName: 'vrrp',
    });
    expect(parseArguments(['x', '--help'])).toBeUndefined();
  });

  it('rejects what would make a package nothing reaches', () => {
    const bad: [string[], RegExp][] = [
      [['ntp'], /exactly one of/],
      [['ntp', '--udp-port', '123', '--tcp-port', '123'], /exactly one of/],
      [['--udp-port', '123'], /name is missing/],
      [['a', 'b', '--udp-port', '1'], /one name expected/],
      [['ntp', '--udp-port'], /needs a value/],
      [['ntp', '--udp-port', '0'], /1-65535/],
      [['ntp', '--udp-port', '65536'], /1-65535/],
      [['ntp', '--tcp-port', '12ab'], /1-65535/],
      [['ntp', '--ip-proto', '256'], /0-255/],
      [['ntp', '--ethertype', '0x05ff'], /0x0600-0xffff/],
      [['ntp', '--udp-prot', '123'], /unknown option --udp-prot/],
    ];
    for (const [argv, message] of bad) expect(() => parseArguments(argv), argv.join(' ')).toThrow(message);
  });
});

describe('protocolNames', () => {
  it('derives the class, the protocol object, the Wireshark name and the label', () => {
    expect(protocolNames('my-proto')).toEqual({ name: 'my-proto', pascal: 'MyProto', camel: 'myProto', abbrev: 'my-proto', label: 'MY-PROTO' });
    expect(protocolNames('gtp-v2', 'gtpv2')).toMatchObject({ pascal: 'GtpV2', abbrev: 'gtpv2', label: 'GTPV2' });
    expect(protocolNames('sixlowpan', '6lowpan').abbrev).toBe('6lowpan');
  });

  it('rejects names that are not package names, shadow an identifier or are not Wireshark names', () => {
    for (const name of ['My-proto', '1proto', 'my_proto', 'my--proto', 'proto-', '', 'registry', 'record', 'new', 'summarize']) {
      expect(() => protocolNames(name), name).toThrow(UsageError);
    }
    for (const abbrev of ['Ntp', 'ntp.', 'n tp', '.ntp', 'ntp..x']) expect(() => protocolNames('ntp', abbrev), abbrev).toThrow(UsageError);
  });
});
