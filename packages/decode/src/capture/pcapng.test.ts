import { afterAll, describe, expect, it } from 'vitest';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';
import { fromHex } from '../test/hex.js';
import { CaptureFileError } from './errors.js';
import { block, concat, epb, idb, opb, shb, spb, u64opt, type Endian } from './fixture-bytes.js';
import { parseCapture, readCapture } from './read.js';
import type { CaptureInfo, CaptureRecord } from './record.js';
import { missing, removeTempFiles, tempFile, tsharkFields } from './tool-readers.js';

afterAll(removeTempFiles);

// 13:48:01.133938 IP 127.0.0.1.1 > 127.0.0.1.57608: Flags [R.], seq 0, ack 3624408344, win 0, length 0
const RST = fromHex(`
  000000000000 000000000000 0800
  450000280000400040063cce7f0000017f000001
  0001e10800000000d808151850140000e3a30000`);
const RST_IP = RST.subarray(14);

const FRAME_FIELDS = ['frame.number', 'frame.time_epoch', 'frame.interface_id', 'frame.len', 'frame.cap_len'];

/**
 * One section with five interfaces (micro, nano, 2^-20, tsoffset, a 16-byte snaplen) and
 * every packet block kind, unknown blocks between them.
 */
function oneSection(e: Endian): Uint8Array {
  return concat(
    shb(e, [
      [1, 'section comment'],
      [2, 'x86_64'],
      [3, 'Linux 6.1'],
      [4, 'fixture writer'],
    ]),
    idb(e, 1, 65535, [
      [2, 'eth0'],
      [3, 'first NIC'],
      [8, u64opt(e, 1_000_000_000n)],
      [11, [0, ...new TextEncoder().encode('tcp')]],
      [12, 'Linux'],
      [13, [4]],
    ]),
    idb(e, 1, 65535, [[9, [9]]]),
    idb(e, 1, 65535, [[9, [0x94]]]),
    idb(e, 1, 65535, [[14, u64opt(e, 1000n)]]),
    // Unknown and statistics blocks are skipped by their length.
    block(e, 0x0ff0, [1, 2, 3, 4, 5, 6, 7, 8]),
    block(e, 5, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    idb(e, 1, 16, [[9, [12]]]),
    epb(e, 0, 1591780794740079n, RST),
    epb(e, 1, 1591780794740079123n, RST),
    epb(e, 2, (1591780794n << 20n) + 123456n, RST),
    epb(e, 3, 1591780794740079n, RST),
    epb(e, 4, 10000000740079123456n, RST.subarray(0, 16), RST.length),
    spb(e, RST.length, RST),
    epb(e, 0, 1591780794740079n, RST, RST.length, [
      [1, 'hello, world'],
      [1, 'second'],
      [2, e === 'le' ? [1, 0, 0, 0] : [0, 0, 0, 1]],
      [4, u64opt(e, 7n)],
    ]),
    opb(e, 1, 3, 1591780795000000001n, RST),
  );
}

/** Two more sections after the first: the second big-endian when the first is little, one raw-IP interface each. */
function threeSections(e: Endian): Uint8Array {
  const other: Endian = e === 'le' ? 'be' : 'le';
  return concat(
    oneSection(e),
    shb(other),
    idb(other, 101, 100),
    idb(other, 101, 100),
    epb(other, 1, 5n, RST_IP),
    epb(other, 0, 4323283200000000n, RST_IP),
    shb(e),
    idb(e, 228, 0),
    epb(e, 0, 1999999n, RST_IP),
  );
}

function frameRows(records: readonly CaptureRecord[]): string[][] {
  const sel = new FieldSelector(FRAME_FIELDS);
  return records.map((r) => sel.values(r, decodePacket(r.data, r.linkType)));
}

function readAll(bytes: Uint8Array): { records: CaptureRecord[]; info: CaptureInfo } {
  const records: CaptureRecord[] = [];
  const it = parseCapture(bytes);
  for (;;) {
    const n = it.next();
    if (n.done) return { records, info: n.value };
    records.push(n.value);
  }
}

describe('pcapng reader', () => {
  for (const e of ['le', 'be'] as const) {
    it(`reads every block kind, resolution and option (${e === 'le' ? 'little' : 'big'}-endian)`, () => {
      const { records, info } = readAll(oneSection(e));
      expect(frameRows(records)).toEqual([
        ['1', '1591780794.740079000', '0', '54', '54'],
        ['2', '1591780794.740079123', '1', '54', '54'],
        // 123456 / 2^20 s, truncated to nanoseconds.
        ['3', '1591780794.117736816', '2', '54', '54'],
        // if_tsoffset adds 1000 s.
        ['4', '1591781794.740079000', '3', '54', '54'],
        // Picoseconds: exact (tshark 4.0 overflows here and prints .002209360).
        ['5', '10000000.740079123', '4', '54', '16'],
        // A Simple Packet Block has no time.
        ['6', '', '0', '54', '54'],
        ['7', '1591780794.740079000', '0', '54', '54'],
        // Obsolete packet block on the nanosecond interface.
        ['8', '1591780795.000000001', '1', '54', '54'],
      ]);
      expect(records[5]!.noTimestamp).toBe(true);
      expect(records[6]!.comments).toEqual(['hello, world', 'second']);
      expect([records[6]!.flags, records[6]!.dropCount]).toEqual([1, 7]);
      expect(records[7]!.dropCount).toBe(3);
      expect(records[0]!.data).toEqual(RST);
      expect(info.format).toBe('pcapng');
      expect(info.bigEndian).toBe(e === 'be');
      expect(info.sections).toEqual([
        { bigEndian: e === 'be', versionMajor: 1, versionMinor: 0, comments: ['section comment'], hardware: 'x86_64', os: 'Linux 6.1', application: 'fixture writer' },
      ]);
      expect(info.interfaces![0]).toEqual({
        id: 0,
        section: 0,
        indexInSection: 0,
        linkType: 1,
        snaplen: 65535,
        tsresol: 6,
        tsoffset: 0,
        name: 'eth0',
        description: 'first NIC',
        speed: 1e9,
        filter: 'tcp',
        os: 'Linux',
        fcslen: 4,
      });
      expect(info.interfaces!.map((i) => [i.tsresol, i.tsoffset, i.snaplen])).toEqual([
        [6, 0, 65535],
        [9, 0, 65535],
        [0x94, 0, 65535],
        [6, 1000, 65535],
        [12, 0, 16],
      ]);
    });
  }

  it('numbers interfaces across sections, each section with its own byte order and link types', () => {
    const { records, info } = readAll(threeSections('le'));
    expect(frameRows(records.slice(8))).toEqual([
      ['9', '0.000005000', '6', '40', '40'],
      ['10', '4323283200.000000000', '5', '40', '40'],
      ['11', '1.999999000', '7', '40', '40'],
    ]);
    expect(records.slice(8).map((r) => r.linkType)).toEqual([101, 101, 228]);
    expect(info.sections!.map((s) => s.bigEndian)).toEqual([false, true, false]);
    expect(info.interfaces!.slice(5).map((i) => [i.id, i.section, i.indexInSection, i.linkType])).toEqual([
      [5, 1, 0, 101],
      [6, 1, 1, 101],
      [7, 2, 0, 228],
    ]);
  });

  it.skipIf(missing('tshark'))('agrees with tshark on every frame field of the generated file', () => {
    const file = tempFile('sections.pcapng', threeSections('be'));
    const { rows, stderr } = tsharkFields(file, FRAME_FIELDS);
    expect(stderr).not.toMatch(/damaged|corrupt/i);
    const ours = readAll(threeSections('be'));
    const mine = frameRows(ours.records);
    expect(rows.length).toBe(mine.length);
    for (let i = 0; i < rows.length; i++) {
      const rec = ours.records[i]!;
      const iface = ours.info.interfaces![rec.interfaceId!]!;
      // tshark 4.0 prints the interface's index within its section as frame.interface_id.
      expect(rows[i]![2]).toBe(String(iface.indexInSection));
      if (rec.number === 5) continue; // picosecond timestamp: tshark 4.0 overflows (see above)
      expect([rows[i]![0], rows[i]![1], rows[i]![3], rows[i]![4]]).toEqual([mine[i]![0], mine[i]![1], mine[i]![3], mine[i]![4]]);
    }
  });

  it('yields every whole packet of a file cut at any byte, then says where it was cut', async () => {
    const file = threeSections('le');
    const whole = readAll(file).records;
    // Where each block ends and how many packets precede that point, read from the blocks' own lengths.
    const ends: { end: number; packets: number }[] = [];
    let at = 0;
    let packets = 0;
    let le = true;
    while (at < file.length) {
      const dv = new DataView(file.buffer, file.byteOffset + at);
      if (dv.getUint32(0) === 0x0a0d0d0a) le = dv.getUint32(8, true) === 0x1a2b3c4d;
      const type = dv.getUint32(0, le);
      at += dv.getUint32(4, le);
      if (type === 2 || type === 3 || type === 6) packets++;
      ends.push({ end: at, packets });
    }
    expect(packets).toBe(whole.length);
    for (let cut = 0; cut < file.length; cut++) {
      const part = file.subarray(0, cut);
      const boundary = ends.find((b) => b.end === cut);
      const before = [...ends].reverse().find((b) => b.end <= cut) ?? { end: 0, packets: 0 };
      const got: CaptureRecord[] = [];
      let error: unknown;
      try {
        for (const r of parseCapture(part)) got.push(r);
      } catch (err) {
        error = err;
      }
      expect(got.length, `cut at ${cut}`).toBe(before.packets);
      if (cut < 4) {
        expect((error as CaptureFileError).code).toBe('NOT_A_CAPTURE');
      } else if (boundary) {
        expect(error, `cut at ${cut}`).toBeUndefined();
      } else {
        expect(error).toBeInstanceOf(CaptureFileError);
        const e = error as CaptureFileError;
        expect(e.code).toBe('TRUNCATED');
        if (cut >= 16) {
          expect(e.offset).toBe(before.end);
          expect(e.packetsRead).toBe(before.packets);
          expect(e.message).toMatch(new RegExp(`at byte ${before.end}: ${cut - before.end} of (at least )?\\d+ bytes present`));
        }
      }
      // The streaming reader, fed a few bytes at a time, agrees.
      if (cut % 7 === 0) {
        const streamed: CaptureRecord[] = [];
        let streamError: unknown;
        try {
          for await (const r of readCapture(chunked(part, 5))) streamed.push(r);
        } catch (err) {
          streamError = err;
        }
        expect(streamed.map((r) => r.number)).toEqual(got.map((r) => r.number));
        expect((streamError as CaptureFileError | undefined)?.message).toBe((error as CaptureFileError | undefined)?.message);
      }
    }
  });

  it('says which block is cut and which packet it holds', () => {
    const file = concat(shb('le'), idb('le', 1, 0), epb('le', 0, 1n, RST));
    const cut = file.length - 10;
    expect(() => [...parseCapture(file.subarray(0, cut))]).toThrow(
      `file ends inside packet 1's enhanced packet block at byte ${file.length - 88}: 78 of 88 bytes present`,
    );
  });

  describe('refuses damaged blocks with a CORRUPT error naming the byte', () => {
    const head = concat(shb('le'), idb('le', 1, 0));
    const expectCorrupt = (bytes: Uint8Array, message: RegExp, offset = head.length) => {
      const got: CaptureRecord[] = [];
      let error: CaptureFileError | undefined;
      try {
        for (const r of parseCapture(bytes)) got.push(r);
      } catch (err) {
        error = err as CaptureFileError;
      }
      expect(error).toBeInstanceOf(CaptureFileError);
      expect(error!.code).toBe('CORRUPT');
      expect(error!.message).toMatch(message);
      expect(error!.offset).toBe(offset);
      return got;
    };
    const good = epb('le', 0, 1n, RST);
    const withLength = (b: Uint8Array, at: number, v: number) => {
      const c = b.slice();
      new DataView(c.buffer).setUint32(at, v, true);
      return c;
    };

    it('a length that is not a multiple of 4', () => {
      expectCorrupt(concat(head, withLength(good, 4, 90)), /length of 90, not a multiple of 4/);
    });
    it('a length below the block minimum', () => {
      expectCorrupt(concat(head, withLength(good, 4, 16)), /length of 16, less than the minimum of 32/);
    });
    it('a length beyond any real block (without waiting for the bytes)', () => {
      expectCorrupt(concat(head, withLength(good, 4, 0x7ffffff0)), /claims 2147483632 bytes, more than the largest possible/);
    });
    it('leading and trailing lengths that differ', () => {
      expectCorrupt(concat(head, withLength(good, good.length - 4, 92)), /starts with length 88 but ends with 92/);
    });
    it('a captured length larger than the block', () => {
      expectCorrupt(concat(head, withLength(good, 20, 200)), /claims 200 captured bytes in a block with room for 56/);
    });
    it('a packet on an interface the section does not describe, after the packets before it', () => {
      const got = expectCorrupt(concat(head, good, epb('le', 3, 1n, RST)), /packet 2 .* refers to interface 3, but its section describes 1/, head.length + good.length);
      expect(got.length).toBe(1);
    });
    it('a later section header without byte-order magic', () => {
      const bad = shb('le').slice();
      bad[8] = 0;
      expectCorrupt(concat(head, bad), /section header block at byte \d+ has no valid byte-order magic/);
    });
    it('a simple packet block shorter than its packet', () => {
      expectCorrupt(concat(head, spb('le', 100, RST)), /room for 56 bytes but its packet holds 100/);
    });
  });

  it('refuses an unknown major version as UNSUPPORTED', () => {
    expect(() => [...parseCapture(concat(shb('le', [], [2, 0]), idb('le', 1, 0)))]).toThrow(/pcapng version 2\.0; only version 1/);
  });

  it('names a file that starts like pcapng but has no byte-order magic', () => {
    const bad = shb('le').slice();
    bad.fill(0x41, 8, 12);
    expect(() => [...parseCapture(bad)]).toThrow(/no valid byte-order magic/);
  });
});

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}
