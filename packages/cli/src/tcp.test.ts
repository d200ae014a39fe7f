import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenStreams } from './test/follow-golden.js';
import { pcap, REPO } from './test/run-cli.js';

const fixtures = join(REPO, 'fixtures');
const reassembly = join(fixtures, 'tcp-reassembly.pcap');

const sessions = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('pcap tcp', () => {
  // tools/fixtures/gen-tcp-reassembly.py says what each of the 7 streams holds.
  const r = pcap(['tcp', '--json', reassembly]);
  const s = sessions(r.stdout);

  it('lists every connection in stream order', () => {
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(s.map((x) => x.stream)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("counts each direction's stream bytes and gaps as tshark's Follow TCP Stream does", () => {
    for (const g of goldenStreams(join(fixtures, 'tcp-reassembly.follow'))) {
      const x = s[g.stream];
      expect([x.client, x.server]).toEqual(g.nodes);
      expect(x.c2s.streamBytes, `stream ${g.stream} c2s`).toBe(g.hex[0].length / 2);
      expect(x.s2c.streamBytes, `stream ${g.stream} s2c`).toBe(g.hex[1].length / 2);
      expect(x.c2s.gapBytes).toBe(g.gaps[0].reduce((n, y) => n + y.size, 0));
      expect(x.s2c.gapBytes).toBe(g.gaps[1].reduce((n, y) => n + y.size, 0));
    }
  });

  it('reports handshake times, and none for a connection joined mid-stream', () => {
    for (const id of [0, 1, 2, 3, 4, 6]) expect(s[id].handshake, `stream ${id}`).toBe(0.002);
    expect(s[5].handshake).toBeNull();
    expect(s[0].duration).toBe(0.01);
  });

  it('counts retransmissions, out-of-order segments, conflicting overlaps and how each connection ended', () => {
    expect(s[0].c2s).toMatchObject({ outOfOrder: 1, retransmissions: 0 });
    expect(s[1].s2c).toMatchObject({ retransmissions: 2 });
    expect(s[2].c2s).toMatchObject({ retransmissions: 1, conflicts: 1 });
    expect(s[3].c2s).toMatchObject({ gaps: 1, gapBytes: 300 });
    expect(s[6].s2c).toMatchObject({ retransmissions: 1 });
    expect(s.map((x) => x.close)).toEqual(['fin', 'fin', 'reset', 'fin', 'fin', 'reset', 'fin']);
  });

  it('prints one readable line per connection', () => {
    const t = pcap(['tcp', reassembly]);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[3]).toBe(
      '03:04:05.033000 #3 192.0.2.21:40003 -> 203.0.113.5:7000  handshake 2.000 ms  c2s 1200 B in 7 pkts, 2 out-of-order, 1 gap (300 B missing)  s2c 9 B in 4 pkts  duration 11.000 ms  close fin',
    );
    expect(lines[5]).toMatch(/#5 203\.0\.113\.5:7000 -> 192\.0\.2\.22:40005  handshake -  .* reset$/);
  });

  it('-c stops after that many packets', () => {
    const t = sessions(pcap(['tcp', '--json', '-c', '3', reassembly]).stdout);
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ stream: 0, close: 'end', handshake: 0.002 });
  });

  it('lists the connections before the damage of a truncated file, then one error line and status 1', () => {
    const t = pcap(['tcp', '--json', join(fixtures, 'cut-mid-record.pcap')]);
    expect(t.status).toBe(1);
    expect(sessions(t.stdout).length).toBe(4);
    expect(t.stderr).toMatch(/^pcap: .*cut-mid-record\.pcap: file ends inside packet \d+'s data/);
  });
});
