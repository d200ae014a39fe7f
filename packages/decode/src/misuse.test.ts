import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runInNewContext } from 'node:vm';
import { argumentError, unknownOptionWarnings } from '@pcap/fuzz';
import { afterAll, describe, expect, it } from 'vitest';
import { describeValue } from './arguments.js';
import { pcapFile } from './capture/fixture-bytes.js';
import { parseCapture, readCapture, fileChunks as readFileChunks, type CaptureSource } from './capture/read.js';
import type { CaptureRecord } from './capture/record.js';
import { PcapWriter } from './capture/write-pcap.js';
import { PcapngWriter } from './capture/write-pcapng.js';
import { FieldSelector, knownFields } from './fields.js';
import { decodePacket, type DecodeOptions } from './packet.js';
import { TcpSequenceBases } from './protocols/tcp-sequence.js';
import { summarize, writeSummary } from './summary.js';
import { TextBuffer } from './text-buffer.js';
import { fromHex } from './test/hex.js';

// 13:48:01.133843 IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495,
//   options [mss 65495,sackOK,TS val 564706255 ecr 0,nop,wscale 10], length 0
const SYN = fromHex(`
  000000000000 000000000000 0800
  4500003ce6344000400656857f0000017f000001
  e1080001d808151700000000a002ffd7fe300000 0204ffd7 0402 080a21a8bbcf00000000 01 03030a`);
const SYN_LINE = 'IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495, options [mss 65495,sackOK,TS val 564706255 ecr 0,nop,wscale 10], length 0';
const FILE = pcapFile('le', 0xa1b2c3d4, 1, [{ sec: 1, frac: 0, data: SYN }]);

const dir = mkdtempSync(join(tmpdir(), 'pcap-misuse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The calls below pass wrong types on purpose, as untyped JavaScript callers would.
/* eslint-disable @typescript-eslint/no-explicit-any */
const anyArg = (v: unknown): any => v;

const misuse = argumentError;

async function misuseAsync(source: CaptureSource, got: RegExp): Promise<void> {
  const reader = readCapture(source);
  const records: CaptureRecord[] = [];
  await expect(
    (async () => {
      for await (const r of reader) records.push(r);
    })(),
  ).rejects.toThrow(got);
}

describe('describeValue', () => {
  it('shows type and value, so that a string "5" and a number 5 differ', () => {
    expect(describeValue('abc')).toBe('string "abc"');
    expect(describeValue(5)).toBe('number 5');
    expect(describeValue('5')).toBe('string "5"');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(new ArrayBuffer(4))).toBe('an object (ArrayBuffer)');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(10n)).toBe('bigint 10n');
    expect(describeValue('x'.repeat(100))).toBe(`string "${'x'.repeat(37)}..."`);
  });
});

describe('decodePacket', () => {
  it('decodes a Buffer and a Uint8Array made in another realm as it decodes a Uint8Array', () => {
    expect(summarize(decodePacket(SYN, 1))).toBe(SYN_LINE);
    expect(summarize(decodePacket(Buffer.from(SYN), 1))).toBe(SYN_LINE);
    const foreign = runInNewContext('new Uint8Array(n)', { n: SYN.length }) as Uint8Array;
    foreign.set(SYN);
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(summarize(decodePacket(foreign, 1))).toBe(SYN_LINE);
    expect(decodePacket(SYN, 1, { originalLength: 74 }).failure).toBeUndefined();
  });

  it('refuses data that is not bytes, instead of reading a string as bytes', () => {
    misuse(() => decodePacket(anyArg('abc'), 1), TypeError, 'decodePacket', 'data', 'string "abc"', /Buffer\.from\(text, 'hex'\)/);
    misuse(() => decodePacket(anyArg(null), 1), TypeError, 'decodePacket', 'data', 'null', /readCapture\(\)/);
    misuse(() => decodePacket(anyArg(undefined), 1), TypeError, 'decodePacket', 'data', 'undefined');
    misuse(() => decodePacket(anyArg(SYN.buffer), 1), TypeError, 'decodePacket', 'data', 'an object (ArrayBuffer)', /new Uint8Array\(buffer\)/);
    misuse(() => decodePacket(anyArg(new DataView(SYN.buffer)), 1), TypeError, 'decodePacket', 'data', 'an object (DataView)', /view\.byteOffset/);
    misuse(() => decodePacket(anyArg([...SYN]), 1), TypeError, 'decodePacket', 'data', 'an array of 74', /Uint8Array\.from/);
    const record = { data: SYN, linkType: 1, seconds: 0, nanoseconds: 0 };
    misuse(() => decodePacket(anyArg(record), anyArg(undefined)), TypeError, 'decodePacket', 'data', 'an object', /decodePacket\(record\.data, record\.linkType\)/);
  });

  it('refuses a link type that is not a LINKTYPE_ number', () => {
    misuse(() => decodePacket(SYN, anyArg('x')), TypeError, 'decodePacket', 'linkType', 'string "x"', /record's linkType/);
    misuse(() => decodePacket(SYN, anyArg('1')), TypeError, 'decodePacket', 'linkType', 'string "1"');
    misuse(() => decodePacket(SYN, anyArg(undefined)), TypeError, 'decodePacket', 'linkType', 'undefined');
    misuse(() => decodePacket(SYN, -1), RangeError, 'decodePacket', 'linkType', 'number -1');
    misuse(() => decodePacket(SYN, 1.5), RangeError, 'decodePacket', 'linkType', 'number 1.5');
    misuse(() => decodePacket(SYN, Number.NaN), RangeError, 'decodePacket', 'linkType', 'number NaN');
    // An unknown link type is no misuse: the bytes stay one raw payload.
    expect(decodePacket(SYN, 4000).layers.map((l) => l.protocol)).toEqual(['data']);
  });

  it('refuses options of the wrong type', () => {
    misuse(() => decodePacket(SYN, 1, anyArg(5)), TypeError, 'decodePacket', 'options', 'number 5');
    misuse(() => decodePacket(SYN, 1, anyArg(null)), TypeError, 'decodePacket', 'options', 'null');
    misuse(() => decodePacket(SYN, 1, { originalLength: anyArg('74') }), TypeError, 'decodePacket', 'options.originalLength', 'string "74"', /originalLength/);
    misuse(() => decodePacket(SYN, 1, { originalLength: -1 }), RangeError, 'decodePacket', 'options.originalLength', 'number -1');
    misuse(() => decodePacket(SYN, 1, { registry: anyArg({}) } as DecodeOptions), TypeError, 'decodePacket', 'options.registry', 'an object', /defaultRegistry\(\)/);
  });
});

describe('capture readers', () => {
  it('reads every kind of source it takes', async () => {
    const path = join(dir, 'one.pcap');
    writeFileSync(path, FILE);
    const sources: Array<[string, () => CaptureSource]> = [
      ['path', () => path],
      ['Uint8Array', () => FILE],
      ['Buffer', () => Buffer.from(FILE)],
      ['Node Readable', () => Readable.from([FILE.subarray(0, 10), FILE.subarray(10)])],
      ['web ReadableStream', () => new Blob([FILE]).stream()],
      ['AsyncIterable', () => (async function* () { yield FILE; })()],
      ['array of chunks', () => [FILE.subarray(0, 30), FILE.subarray(30)] as unknown as CaptureSource],
    ];
    for (const [kind, source] of sources) {
      const lengths: number[] = [];
      for await (const r of readCapture(source())) lengths.push(r.capturedLength);
      expect(lengths, kind).toEqual([74]);
    }
    expect([...parseCapture(Buffer.from(FILE))].length).toBe(1);
  });

  it('refuses what parseCapture cannot parse at the call, not as an empty file', () => {
    misuse(() => parseCapture(anyArg(123)), TypeError, 'parseCapture', 'input', 'number 123', /readCapture/);
    misuse(() => parseCapture(anyArg('trace.pcap')), TypeError, 'parseCapture', 'input', 'string "trace.pcap"', /readFileSync\(path\)/);
    misuse(() => parseCapture(anyArg(FILE.buffer)), TypeError, 'parseCapture', 'input', 'an object (ArrayBuffer)', /new Uint8Array\(buffer\)/);
    misuse(() => parseCapture(anyArg(Readable.from([FILE]))), TypeError, 'parseCapture', 'input', 'an object (Readable)', /readCapture\(source\)/);
  });

  it('refuses a source readCapture cannot read, before reading', () => {
    misuse(() => readCapture(anyArg(123)), TypeError, 'readCapture', 'source', 'number 123', /readCapture\('trace\.pcap'\)/);
    misuse(() => readCapture(anyArg(null)), TypeError, 'readCapture', 'source', 'null');
    misuse(() => readCapture(anyArg(undefined)), TypeError, 'readCapture', 'source', 'undefined');
    misuse(() => readCapture(''), TypeError, 'readCapture', 'source', 'string ""', /empty path/);
    misuse(() => readCapture(anyArg(FILE.buffer)), TypeError, 'readCapture', 'source', 'an object (ArrayBuffer)', /new Uint8Array\(buffer\)/);
    misuse(() => readCapture(anyArg(new URL('file:///x.pcap'))), TypeError, 'readCapture', 'source', 'an object (URL)', /fileURLToPath/);
    misuse(() => readCapture(anyArg({ path: 'x.pcap' })), TypeError, 'readCapture', 'source', 'an object');
  });

  it('refuses read options of the wrong type or out of range', () => {
    misuse(() => readCapture(FILE, anyArg(5)), TypeError, 'readCapture', 'options', 'number 5');
    misuse(() => readCapture(FILE, { chunkSize: anyArg('65536') }), TypeError, 'readCapture', 'option chunkSize', 'string "65536"', /chunkSize: 65536 } for 64 KiB/);
    misuse(() => readCapture(FILE, { chunkSize: 0 }), RangeError, 'readCapture', 'option chunkSize', 'number 0');
    misuse(() => readCapture(FILE, { chunkSize: 2 ** 40 }), RangeError, 'readCapture', 'option chunkSize', `number ${2 ** 40}`);
    misuse(() => readFileChunks(anyArg(5)), TypeError, 'readFileChunks', 'path', 'number 5');
    misuse(() => readFileChunks(anyArg(FILE)), TypeError, 'readFileChunks', 'path', 'an object (Uint8Array)', /parseCapture\(bytes\)/);
    misuse(() => readFileChunks('x.pcap', { chunkSize: 1.5 }), RangeError, 'readFileChunks', 'option chunkSize', 'number 1.5');
  });

  it('names a stream that yields text or objects instead of bytes', async () => {
    await misuseAsync(Readable.from(['GET / HTTP/1.1'], { objectMode: true }), /readCapture: the source yielded string "GET \/ HTTP\/1\.1".*without an encoding/);
    await misuseAsync(Readable.from([{ a: 1 }]), /readCapture: the source yielded an object where Uint8Array chunks were expected; .*object mode/);
    await misuseAsync(new Blob(['x']).stream().pipeThrough(new TextDecoderStream()) as never, /the source yielded string "x"/);
    await misuseAsync([1, 2, 3] as never, /the source yielded number 1/);
  });
});

describe('capture writers', () => {
  it('still write what they are given', () => {
    const w = new PcapWriter({ linkType: 1, precision: 'nano' });
    w.write({ seconds: 1, nanoseconds: 5, data: Buffer.from(SYN) });
    expect([...parseCapture(w.bytes())].map((r) => r.nanoseconds)).toEqual([5]);
  });

  it('refuse options and destinations of the wrong type', () => {
    const stream = { write: () => true };
    misuse(() => new PcapWriter(anyArg(stream)), TypeError, 'PcapWriter', 'options', 'an object', /destination goes second: new PcapWriter\(\{\}, stream\)/);
    misuse(() => new PcapWriter(anyArg('out.pcap')), TypeError, 'PcapWriter', 'options', 'string "out.pcap"');
    misuse(() => new PcapWriter({}, anyArg('out.pcap')), TypeError, 'PcapWriter', 'destination', 'string "out.pcap"', /createWriteStream\(path\)/);
    misuse(() => new PcapWriter({ linkType: anyArg('1') }), TypeError, 'PcapWriter', 'option linkType', 'string "1"');
    misuse(() => new PcapWriter({ snaplen: 0 }), RangeError, 'PcapWriter', 'option snaplen', 'number 0');
    misuse(() => new PcapWriter({ precision: anyArg('pico') }), RangeError, 'PcapWriter', 'option precision', 'string "pico"');
    misuse(() => new PcapWriter({ bigEndian: anyArg('yes') }), TypeError, 'PcapWriter', 'option bigEndian', 'string "yes"');
    misuse(() => new PcapngWriter(anyArg(stream)), TypeError, 'PcapngWriter', 'options', 'an object', /new PcapngWriter\(\{\}, stream\)/);
    misuse(() => new PcapngWriter({ comments: anyArg('hello') }), TypeError, 'PcapngWriter', 'option comments', 'string "hello"', /comments: \[text\]/);
    misuse(() => new PcapngWriter({ application: anyArg(5) }), TypeError, 'PcapngWriter', 'option application', 'number 5');
  });

  it('refuse interfaces whose values a pcapng field cannot hold', () => {
    const w = new PcapngWriter();
    misuse(() => w.addInterface(anyArg('eth0')), TypeError, 'PcapngWriter.addInterface', 'interface', 'string "eth0"');
    misuse(() => w.addInterface({ linkType: 0x10000 }), RangeError, 'PcapngWriter.addInterface', 'option linkType', 'number 65536');
    misuse(() => w.addInterface({ tsresol: 256 }), RangeError, 'PcapngWriter.addInterface', 'option tsresol', 'number 256');
    misuse(() => w.addInterface({ name: anyArg(0) }), TypeError, 'PcapngWriter.addInterface', 'option name', 'number 0');
    misuse(() => w.addInterface({ speed: -1 }), RangeError, 'PcapngWriter.addInterface', 'option speed', 'number -1', /1e9/);
  });

  it('refuse packets with fields of the wrong type', () => {
    const w = new PcapWriter();
    misuse(() => w.write(anyArg(SYN)), TypeError, 'PcapWriter.write', 'packet.data', 'undefined');
    misuse(() => w.write(anyArg(null)), TypeError, 'PcapWriter.write', 'packet', 'null', /capture record/);
    misuse(() => w.write({ seconds: anyArg('1'), nanoseconds: 0, data: SYN }), TypeError, 'PcapWriter.write', 'packet.seconds', 'string "1"');
    misuse(() => w.write({ seconds: 1, nanoseconds: 0, data: anyArg('abc') }), TypeError, 'PcapWriter.write', 'packet.data', 'string "abc"');
    misuse(() => w.write({ seconds: -1, nanoseconds: 0, data: SYN }), RangeError, 'PcapWriter.write', 'packet.seconds', 'number -1', /PcapngWriter/);
    misuse(() => w.write({ seconds: 1, nanoseconds: 0, data: SYN, originalLength: -5 }), RangeError, 'PcapWriter.write', 'packet.originalLength', 'number -5');
    const n = new PcapngWriter();
    n.addInterface();
    misuse(() => n.write({ seconds: 1, nanoseconds: 0, data: SYN, interfaceId: 3 }), RangeError, 'PcapngWriter.write', 'packet.interfaceId', 'number 3', /addInterface\(\) first/);
    misuse(() => n.write({ seconds: 1.5, nanoseconds: 0, data: SYN }), RangeError, 'PcapngWriter.write', 'packet.seconds', 'number 1.5');
    misuse(() => n.write({ seconds: 1, nanoseconds: 0, data: SYN, comments: anyArg('c') }), TypeError, 'PcapngWriter.write', 'packet.comments', 'string "c"');
  });
});

describe('FieldSelector and summarize', () => {
  const record = [...parseCapture(FILE)][0]!;
  const packet = decodePacket(record.data, record.linkType);

  it('refuses field names that are not a list of strings', () => {
    misuse(() => new FieldSelector(anyArg(5)), TypeError, 'FieldSelector', 'names', 'number 5', /'ip\.src'/);
    misuse(() => new FieldSelector(anyArg('ip.src,tcp.flags')), TypeError, 'FieldSelector', 'names', 'string "ip.src,tcp.flags"', /new FieldSelector\(\["ip\.src","tcp\.flags"\]\)/);
    misuse(() => new FieldSelector(anyArg(['ip.src', 5])), TypeError, 'FieldSelector', 'names[1]', 'number 5', /knownFields\(\)/);
    misuse(() => new FieldSelector(['ip.src'], anyArg({})), TypeError, 'FieldSelector', 'registry', 'an object', /defaultRegistry\(\)/);
    misuse(() => knownFields(anyArg('ip')), TypeError, 'knownFields', 'registry', 'string "ip"');
  });

  it('refuses values() arguments swapped or missing', () => {
    const sel = new FieldSelector(['frame.number', 'ip.src']);
    expect(sel.values(record, packet)).toEqual(['1', '127.0.0.1']);
    misuse(() => sel.values(anyArg(packet), anyArg(record)), TypeError, 'FieldSelector.values', 'record', 'an object (Packet)', /record goes first/);
    misuse(() => sel.values(record, anyArg(undefined)), TypeError, 'FieldSelector.values', 'packet', 'undefined', /decodePacket\(\)/);
    misuse(() => sel.values(record, anyArg(record)), TypeError, 'FieldSelector.values', 'packet', 'an object', /decode the record first/);
    misuse(() => sel.values(anyArg(null), packet), TypeError, 'FieldSelector.values', 'record', 'null');
  });

  it('refuses summarize arguments of the wrong type', () => {
    expect(summarize(packet, undefined, { tcpSequence: new TcpSequenceBases() })).toBe(SYN_LINE);
    misuse(() => summarize(anyArg(record)), TypeError, 'summarize', 'packet', 'an object', /decodePacket\(record\.data, record\.linkType\)/);
    misuse(() => summarize(anyArg(null)), TypeError, 'summarize', 'packet', 'null');
    misuse(() => summarize(packet, anyArg({ tcpSequence: new TcpSequenceBases() })), TypeError, 'summarize', 'registry', 'an object', /options go last: summarize\(packet, undefined/);
    misuse(() => summarize(packet, undefined, anyArg(7)), TypeError, 'summarize', 'options', 'number 7');
    misuse(() => summarize(packet, undefined, { tcpSequence: anyArg(true) }), TypeError, 'summarize', 'options.tcpSequence', 'boolean true', /new TcpSequenceBases\(\)/);
  });

  it('refuses writeSummary arguments of the wrong type', () => {
    const out = new TextBuffer();
    writeSummary(packet, out, undefined, { tcpSequence: new TcpSequenceBases() });
    expect(Buffer.from(out.take()).toString()).toBe(SYN_LINE);
    misuse(() => writeSummary(anyArg(record), out), TypeError, 'writeSummary', 'packet', 'an object', /decodePacket\(record\.data, record\.linkType\)/);
    misuse(() => writeSummary(packet, anyArg(new Uint8Array(8))), TypeError, 'writeSummary', 'out', 'an object (Uint8Array)', /new TextBuffer\(\)/);
    misuse(() => writeSummary(packet, out, anyArg({ tcpSequence: new TcpSequenceBases() })), TypeError, 'writeSummary', 'registry', 'an object', /options go last: writeSummary\(packet, out, undefined/);
    // Nothing was written by the calls refused.
    expect(out.take().length).toBe(0);
  });
});

describe('unknown options', () => {
  it('warns once of an option name it does not know, with the nearest one it does', () => {
    const first = unknownOptionWarnings(() => readCapture(FILE, anyArg({ chunksize: 4096 })));
    expect(first).toEqual(['readCapture: unknown option "chunksize" is ignored; did you mean "chunkSize"?']);
    // The same name again, through the constructor readCapture uses: already said.
    expect(unknownOptionWarnings(() => readCapture(FILE, anyArg({ chunksize: 4096 })))).toEqual([]);
    expect(unknownOptionWarnings(() => readCapture(FILE, { chunkSize: 4096 }))).toEqual([]);
    const writer = unknownOptionWarnings(() => new PcapWriter(anyArg({ linktype: 1, nanos: true })));
    expect(writer).toEqual([
      'PcapWriter: unknown option "linktype" is ignored; did you mean "linkType"?',
      'PcapWriter: unknown option "nanos" is ignored; it takes linkType, snaplen, precision, bigEndian, end',
    ]);
    const far = unknownOptionWarnings(() => new PcapngWriter(anyArg({ compression: 'zstd' })));
    expect(far).toEqual(['PcapngWriter: unknown option "compression" is ignored; it takes hardware, os, application, comments, bigEndian, end']);
  });
});
