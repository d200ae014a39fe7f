import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveTcpdump, pcap, REPO, tcpdump } from './test/run-cli.js';

const fixtures = join(REPO, 'fixtures');
const corpus = join(REPO, '..', 'shared', 'corpus');

/** Of each TCP line, the `seq …` and `ack …` parts: the numbers tcpdump counts per conversation. */
function numbers(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.includes(': Flags ['))
    .map((l) => (l.match(/, (seq \d+(?::\d+)?|ack \d+)/g) ?? []).join(''));
}

/** Captures with TCP in them: our fixtures, and every capture of the corpus when it is there. */
function tcpFiles(): string[] {
  const files = ['http-keepalive', 'http-variants', 'tcp-reassembly', 'ipv6', 'vlan'].map((n) => join(fixtures, `${n}.pcap`));
  if (existsSync(corpus)) {
    for (const f of readdirSync(corpus, { recursive: true }) as string[]) if (/\.(pcap|pcapng|cap)$/.test(f)) files.push(join(corpus, f));
  } else {
    console.log(`tcp-sequence.test.ts: ${corpus} not found, fixtures only`);
  }
  return files;
}

describe.skipIf(!haveTcpdump)('pcap read: TCP sequence numbers as tcpdump prints them', () => {
  it('are relative to each conversation by default, exactly as tcpdump -nn counts them', () => {
    let compared = 0;
    for (const file of tcpFiles()) {
      const theirs = numbers(tcpdump(file));
      const r = pcap(['read', file]);
      expect(r.status, file).toBe(0);
      const ours = numbers(r.stdout);
      expect(ours, file).toEqual(theirs);
      compared += ours.filter(Boolean).length;
    }
    // Handshakes, data both ways and closes: plenty of numbers, most of them relative.
    expect(compared).toBeGreaterThan(100);
  });

  it('are absolute with -S, as with tcpdump -S', () => {
    const file = join(fixtures, 'http-keepalive.pcap');
    const ours = numbers(pcap(['read', '-S', file]).stdout);
    expect(ours).toEqual(numbers(tcpdump(file, '-S')));
    expect(ours).not.toEqual(numbers(pcap(['read', file]).stdout));
  });
});
