import { readCapture } from '@pcap/decode';
import { describe, expect, it } from 'vitest';
import { TrafficAggregator } from './aggregator.js';
import { expectedFor, fixture, statsFor } from './test/expected.js';

async function aggregate(file: string, agg = new TrafficAggregator()): Promise<TrafficAggregator> {
  for await (const rec of readCapture(file)) agg.add(rec);
  agg.end();
  return agg;
}

describe('TrafficAggregator on the fixtures', () => {
  for (const name of ['http-keepalive.pcap', 'http-variants.pcap', 'tcp-reassembly.pcap', 'dns.pcap', 'ipv6.pcap']) {
    it(`${name}: totals, sessions and exchanges are what pcap read, tcp and http say`, async () => {
      const file = fixture(name);
      const want = expectedFor(file);
      const v = (await aggregate(file)).view();
      expect(v.totals.packets).toBe(want.packets);
      expect(v.totals.bytes).toBe(want.bytes);
      expect(v.totals.sessions).toBe(want.sessions.length);
      expect(v.totals.openSessions).toBe(0);
      expect(v.totals.httpExchanges).toBe(want.exchanges.length);
      expect(v.totals.httpInProgress).toBe(0);
      // Every session closed; the table lists them (newest first), with pcap tcp's numbers.
      const rows = [...v.sessions].sort((a, b) => a.id - b.id);
      expect(rows.map((r) => r.id)).toEqual(want.sessions.map((s) => s.stream));
      for (const [i, s] of want.sessions.entries()) {
        const r = rows[i]!;
        expect([r.client, r.server, r.state, r.closeReason]).toEqual([s.client, s.server, 'closed', s.close]);
        expect(r.c2s).toMatchObject({ packets: s.c2s.packets, streamBytes: s.c2s.streamBytes, retransmissions: s.c2s.retransmissions });
        expect(r.s2c).toMatchObject({ packets: s.s2c.packets, streamBytes: s.s2c.streamBytes, retransmissions: s.s2c.retransmissions });
      }
      // The timeline: the same exchanges in the same order (by start, then stream).
      const bars = v.http.map((x) => ({ stream: x.stream, method: x.method ?? null, host: x.host ?? null, url: x.url ?? null, status: x.status ?? null }));
      expect(bars).toEqual(want.exchanges.map((x) => ({ stream: x.stream, method: x.method, host: x.host, url: x.url, status: x.status })));
      for (const x of v.http) {
        expect(x.done).toBe(true);
        if (x.end !== undefined) expect(x.end).toBeGreaterThanOrEqual(x.start);
      }
    });
  }

  it('protocols, talkers, conversations and the rate series add up to the file', async () => {
    const file = fixture('http-keepalive.pcap');
    const stats = statsFor(file);
    const v = (await aggregate(file)).view();
    // Flat protocol counts are the hierarchy's (each protocol once per packet here).
    expect(Object.fromEntries(v.protocols.map((p) => [p.name, [p.packets, p.bytes]]))).toEqual(Object.fromEntries(stats.hierarchy.map((h) => [h.path, [h.packets, h.bytes]])));
    expect(v.conversations).toEqual(stats.conversations.map((c) => ({ kind: c.kind, a: c.a, b: c.b, packets: c.packets, bytes: c.bytes })));
    // The server talks in every packet; its bytes are all the bytes.
    expect(v.talkers[0]).toEqual({ address: '198.51.100.1', packets: 49, bytes: 12649 });
    expect(v.talkers.slice(1).map((t) => t.address)).toEqual(['198.51.100.2', '198.51.100.3']);
    expect(v.rate.packets.reduce((a, b) => a + b, 0)).toBe(49);
    expect(v.rate.bytes.reduce((a, b) => a + b, 0)).toBe(12649);
    expect(v.rate.start).toBe(1795701532);
  });

  it('keeps the newest packets for the list and decodes one on demand', async () => {
    const agg = await aggregate(fixture('http-keepalive.pcap'), new TrafficAggregator({ packets: 10 }));
    const v = agg.view();
    expect(v.packets.map((p) => p.number)).toEqual([49, 48, 47, 46, 45, 44, 43, 42, 41, 40]);
    expect(v.packets[0]!.protocol).toBe('tcp');
    expect(v.packets[0]!.summary).toMatch(/^IP 198\.51\.100\.\d+\.\d+ > 198\.51\.100\.\d+\.\d+: Flags/);
    expect(agg.detail(39)).toBeUndefined();
    const d = agg.detail(45)!;
    expect(d.number).toBe(45);
    expect(d.layers.map((l) => l.protocol).slice(0, 3)).toEqual(['eth', 'ip', 'tcp']);
    expect(d.layers[1]!.fields['ip.src']).toMatch(/^198\.51\.100\.\d$/);
    expect(d.hex.length).toBe(d.capturedLength * 2);
  });

  it('stops copying packets when told to, and still counts every one', async () => {
    const agg = new TrafficAggregator();
    agg.keepPackets = false;
    await aggregate(fixture('http-keepalive.pcap'), agg);
    const v = agg.view();
    expect(v.packets).toEqual([]);
    expect(v.totals.packets).toBe(49);
    expect(v.totals.httpExchanges).toBe(8);
  });

  it('shows an exchange in progress before its response ends', async () => {
    const agg = new TrafficAggregator();
    let seen = false;
    for await (const rec of readCapture(fixture('http-keepalive.pcap'))) {
      agg.add(rec);
      // After the first request's packet (the 4th), before its response.
      if (rec.number === 4) {
        const v = agg.view();
        expect(v.totals.httpInProgress).toBe(1);
        expect(v.http).toHaveLength(1);
        expect(v.http[0]).toMatchObject({ method: 'GET', url: '/', done: false });
        expect(v.sessions[0]).toMatchObject({ id: 0, state: 'established' });
        seen = true;
      }
    }
    expect(seen).toBe(true);
  });
});
