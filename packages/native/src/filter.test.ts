import { describe, expect, it } from 'vitest';
import { compileFilter, validateFilter, PcapError } from './index.js';

describe('compileFilter', () => {
  it('compiles tcpdump syntax to the program tcpdump -dd prints', () => {
    // tcpdump -dd 'udp' on Ethernet starts by loading the ethertype (ldh [12]).
    const prog = compileFilter('udp');
    expect(prog[0]).toEqual([0x28, 0, 0, 12]);
    expect(prog.at(-1)).toEqual([6, 0, 0, 0]);
    expect(prog.length).toBeGreaterThan(4);
  });

  it('reports a bad filter with its text and libpcap reason', () => {
    let err: unknown;
    try {
      compileFilter('udp port banana');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PcapError);
    const pe = err as PcapError;
    expect(pe.code).toBe('BAD_FILTER');
    expect(pe.filter).toBe('udp port banana');
    expect(pe.message).toContain('"udp port banana"');
    expect(pe.pcapMessage).toMatch(/banana/);
  });

  it('depends on the link type: ether addresses are refused on raw IP', () => {
    expect(validateFilter('ether host 01:02:03:04:05:06', { linkType: 1 }).ok).toBe(true);
    const raw = validateFilter('ether host 01:02:03:04:05:06', { linkType: 101 });
    expect(raw.ok).toBe(false);
    if (!raw.ok) expect(raw.error.code).toBe('BAD_FILTER');
  });

  it('optimizing shrinks the program', () => {
    const f = 'tcp port 80 or tcp port 443 or udp port 53';
    expect(compileFilter(f, { optimize: true }).length).toBeLessThan(compileFilter(f, { optimize: false }).length);
  });

  it('validateFilter counts instructions without throwing', () => {
    const ok = validateFilter('icmp or arp');
    expect(ok).toEqual({ ok: true, instructions: compileFilter('icmp or arp').length });
    const bad = validateFilter('host');
    expect(bad.ok).toBe(false);
  });
});
