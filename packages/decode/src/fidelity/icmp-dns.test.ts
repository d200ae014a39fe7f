import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaptureFileError } from '../capture/errors.js';
import { readCapture } from '../capture/read.js';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';

// The third-party corpus with tshark's stored output beside each capture (absent in a fresh clone).
const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/corpus');
const present = existsSync(join(corpus, 'fields.tsv'));

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
  if (!present) console.log(`skipping the ICMP/IGMP/DNS fidelity check: ${corpus} is absent`);
  it.skipIf(!present)('match the stored tshark output for every packet of every corpus file', async () => {
    const rows = readFileSync(join(corpus, 'fields.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    const columns = rows.map((r) => r[0]!);
    const index = FIELDS.map((f) => columns.indexOf(f));
    expect(index).not.toContain(-1);
    // Mode F columns keep their first occurrence only, in both outputs.
    const firstOnly = FIELDS.map((f) => rows.find((r) => r[0] === f)![1] === 'F');
    const cut = (v: string, i: number): string => (firstOnly[i] ? v.split(',')[0]! : v);
    const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(pcap|pcapng|cap)$/.test(f));
    const selector = new FieldSelector(FIELDS);
    let packets = 0;
    const mismatches: string[] = [];
    for (const name of files) {
      const expected = readFileSync(join(corpus, name.replace(/\.[^.]+$/, '.fields.tsv')), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => {
          const cells = l.split('\t');
          return index.map((c, i) => cut(cells[c] ?? '', i));
        });
      const got: string[][] = [];
      try {
        for await (const r of readCapture(join(corpus, name))) got.push(selector.values(r, decodePacket(r.data, r.linkType)).map(cut));
      } catch (e) {
        expect(e, name).toBeInstanceOf(CaptureFileError);
      }
      expect(got.length, name).toBe(expected.length);
      got.forEach((row, p) =>
        row.forEach((v, i) => {
          if (v !== expected[p]![i]) mismatches.push(`${name} packet ${p + 1} ${FIELDS[i]}: expected ${expected[p]![i]!.slice(0, 80)}, got ${v.slice(0, 80)}`);
        }),
      );
      packets += got.length;
    }
    expect(mismatches).toEqual([]);
    expect(packets).toBeGreaterThan(600);
  });
});
