import { afterAll, describe, expect, it } from 'vitest';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';
import { fromHex } from '../test/hex.js';
import { CaptureFileError } from './errors.js';
import { pcapFile, type Endian } from './fixture-bytes.js';
import { parseCapture } from './read.js';
import type { CaptureRecord } from './record.js';
import { missing, removeTempFiles, tempFile, tsharkFields } from './tool-readers.js';

afterAll(removeTempFiles);

// 00:16:40.000500 IP 192.168.0.1 > 192.168.0.2: [|tcp]   (a bare 20-byte IPv4 header, raw IP)
const IP = fromHex('45000014000100004006f97ac0a80001c0a80002');

const FRAME_FIELDS = ['frame.number', 'frame.time_epoch', 'frame.interface_id', 'frame.len', 'frame.cap_len'];

function rows(bytes: Uint8Array): string[][] {
  const sel = new FieldSelector(FRAME_FIELDS);
  return [...parseCapture(bytes)].map((r: CaptureRecord) => sel.values(r, decodePacket(r.data, r.linkType)));
}

const records = [0, 1, 2].map((i) => ({ sec: 1000 + i, frac: 500 + i, data: IP, orig: IP.length + 10 }));

describe('classic pcap reader', () => {
  const variants: [string, number, string[]][] = [
    ['microsecond', 0xa1b2c3d4, ['1000.000500000', '1001.000501000', '1002.000502000']],
    ['nanosecond', 0xa1b23c4d, ['1000.000000500', '1001.000000501', '1002.000000502']],
    ['modified (a1b2cd34)', 0xa1b2cd34, ['1000.000500000', '1001.000501000', '1002.000502000']],
  ];
  for (const [name, magic, times] of variants) {
    for (const e of ['le', 'be'] as Endian[]) {
      const file = pcapFile(e, magic, 101, records);
      it(`reads the ${name} format, ${e === 'le' ? 'little' : 'big'}-endian`, () => {
        expect(rows(file)).toEqual(times.map((t, i) => [String(i + 1), t, '', '30', '20']));
        for (const r of parseCapture(file)) expect([r.linkType, r.data]).toEqual([101, IP]);
      });
      it.skipIf(missing('tshark'))(`reads the ${name} format as tshark does (${e})`, () => {
        const got = tsharkFields(tempFile(`${magic.toString(16)}-${e}.pcap`, file), FRAME_FIELDS);
        expect(got.rows).toEqual(rows(file));
      });
    }
  }

  it('reports the header fields', () => {
    const done = parseCapture(pcapFile('be', 0xa1b23c4d, 228, [], 1234)).next();
    expect(done.done && done.value).toEqual({
      format: 'pcap',
      bigEndian: true,
      precision: 'nano',
      versionMajor: 2,
      versionMinor: 4,
      snaplen: 1234,
      linkType: 228,
    });
  });

  it('yields the whole records of a modified-format file cut at any byte, then a TRUNCATED error', () => {
    const file = pcapFile('le', 0xa1b2cd34, 101, records);
    const recordLength = 24 + IP.length;
    for (let cut = 24; cut < file.length; cut++) {
      const whole = Math.floor((cut - 24) / recordLength);
      const got: CaptureRecord[] = [];
      let error: unknown;
      try {
        for (const r of parseCapture(file.subarray(0, cut))) got.push(r);
      } catch (e) {
        error = e;
      }
      expect(got.length).toBe(whole);
      if ((cut - 24) % recordLength === 0) expect(error).toBeUndefined();
      else {
        expect((error as CaptureFileError).code).toBe('TRUNCATED');
        expect((error as CaptureFileError).offset).toBe(24 + whole * recordLength);
        expect((error as CaptureFileError).message).toMatch(`packet ${whole + 1}'s`);
      }
    }
  });

  it('refuses a record longer than any packet as CORRUPT, after the records before it', () => {
    const file = pcapFile('le', 0xa1b2c3d4, 101, records);
    new DataView(file.buffer).setUint32(24 + 16 + 20 + 8, 0x10000000, true);
    const got: CaptureRecord[] = [];
    expect(() => {
      for (const r of parseCapture(file)) got.push(r);
    }).toThrow(/packet 2 at byte 60 claims 268435456 captured bytes/);
    expect(got.length).toBe(1);
  });
});
