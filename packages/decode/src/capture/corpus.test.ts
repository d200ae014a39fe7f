import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';
import { CaptureFileError } from './errors.js';
import { readCapture } from './read.js';

// The third-party corpus with tshark's stored output beside each capture (absent in a fresh clone).
const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/corpus');
const present = existsSync(join(corpus, 'fields.tsv'));
const FRAME = ['frame.number', 'frame.time_epoch', 'frame.interface_id', 'frame.len', 'frame.cap_len'];

describe('corpus frame fields', () => {
  if (!present) console.log(`skipping the corpus frame fields: ${corpus} is absent`);
  it.skipIf(!present)('match tshark for every packet of every corpus file, read as a stream', async () => {
    const columns = readFileSync(join(corpus, 'fields.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t')[0]!);
    const index = FRAME.map((f) => columns.indexOf(f));
    expect(index).not.toContain(-1);
    const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(pcap|pcapng|cap)$/.test(f));
    const selector = new FieldSelector(FRAME);
    let packets = 0;
    for (const name of files) {
      const expected = readFileSync(join(corpus, name.replace(/\.[^.]+$/, '.fields.tsv')), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => {
          const cells = l.split('\t');
          return index.map((i) => cells[i]!.split(',')[0]!);
        });
      const got: string[][] = [];
      try {
        for await (const r of readCapture(join(corpus, name))) got.push(selector.values(r, decodePacket(r.data, r.linkType)));
      } catch (e) {
        // tshark stops at damage too; the lines before it must still agree.
        expect(e, name).toBeInstanceOf(CaptureFileError);
      }
      expect(got, name).toEqual(expected);
      packets += got.length;
    }
    expect(packets).toBeGreaterThan(0);
  });
});
