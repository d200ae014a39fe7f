import { decodePacket, type CaptureRecord, type Packet } from '@pcap/decode';
import { argumentError, unknownOptionWarnings } from '@pcap/fuzz';
import { describe, expect, it } from 'vitest';
import { Reassembler, type ReassemblySink } from './reassembler.js';
import { tcpSegmentOf } from './segment.js';
import { fromHex } from './test/packets.js';
import { fromSeconds } from './time.js';
import { TcpTracker } from './tracker.js';

// 13:48:01.133843 IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495,
//   options [mss 65495,sackOK,TS val 564706255 ecr 0,nop,wscale 10], length 0
const SYN = fromHex(`
  000000000000 000000000000 0800
  4500003ce6344000400656857f0000017f000001
  e1080001d808151700000000a002ffd7fe300000 0204ffd7 0402 080a21a8bbcf00000000 01 03030a`);
const RECORD = { data: SYN, linkType: 1, seconds: 1_700_000_000, nanoseconds: 0, originalLength: 74 } as CaptureRecord;
const PACKET: Packet = decodePacket(SYN, 1);

// The calls below pass wrong types on purpose, as untyped JavaScript callers would.
/* eslint-disable @typescript-eslint/no-explicit-any */
const anyArg = (v: unknown): any => v;

const misuse = argumentError;

describe('TcpTracker misuse', () => {
  it('tracks what it is given right: a record, or a packet with its time', () => {
    const t = new TcpTracker();
    expect(t.addRecord(RECORD)?.id).toBe(0);
    expect(t.addPacket(PACKET, fromSeconds(1_700_000_000.5))?.id).toBe(0);
    expect(t.stats().tcpPackets).toBe(2);
  });

  it('refuses options of the wrong type or out of range', () => {
    misuse(() => new TcpTracker(anyArg(5)), TypeError, 'TcpTracker', 'options', 'number 5');
    misuse(() => new TcpTracker(anyArg(null)), TypeError, 'TcpTracker', 'options', 'null');
    misuse(() => new TcpTracker({ idleTimeout: anyArg('300') }), TypeError, 'TcpTracker', 'option idleTimeout', 'string "300"', /e\.g\. \{ idleTimeout: 300 \}/);
    misuse(() => new TcpTracker({ idleTimeout: -1 }), RangeError, 'TcpTracker', 'option idleTimeout', 'number -1', /seconds/);
    misuse(() => new TcpTracker({ maxSessions: 0 }), RangeError, 'TcpTracker', 'option maxSessions', 'number 0', /maxSessions: 262144/);
    misuse(() => new TcpTracker({ maxBufferedBytes: Number.NaN }), RangeError, 'TcpTracker', 'option maxBufferedBytes', 'number NaN');
    misuse(() => new TcpTracker({ registry: anyArg('default') }), TypeError, 'TcpTracker', 'option registry', 'string "default"', /defaultRegistry\(\)/);
    // Infinity is a documented value ("never"), not a misuse.
    expect(new TcpTracker({ idleTimeout: Infinity }).options.idleTimeout).toBe(Infinity);
  });

  it('refuses addPacket arguments of the wrong type before counting the packet', () => {
    const t = new TcpTracker();
    misuse(() => t.addPacket(anyArg(null), RECORD), TypeError, 'TcpTracker.addPacket', 'packet', 'null', /decodePacket/);
    misuse(() => t.addPacket(anyArg(RECORD), RECORD), TypeError, 'TcpTracker.addPacket', 'packet', 'an object', /addRecord\(record\)/);
    misuse(() => t.addPacket(anyArg(SYN), RECORD), TypeError, 'TcpTracker.addPacket', 'packet', 'an object (Uint8Array)');
    misuse(() => t.addPacket(PACKET, anyArg(undefined)), TypeError, 'TcpTracker.addPacket', 'time', 'undefined', /fromSeconds\(t\)/);
    misuse(() => t.addPacket(PACKET, anyArg(1_700_000_000)), TypeError, 'TcpTracker.addPacket', 'time', 'number 1700000000', /fromSeconds/);
    misuse(() => t.addPacket(PACKET, { seconds: Number.NaN, nanoseconds: 0 }), RangeError, 'TcpTracker.addPacket', 'time', 'an object');
    expect(t.stats().packets).toBe(0);
  });

  it('refuses addRecord arguments of the wrong type, naming the field', () => {
    const t = new TcpTracker();
    misuse(() => t.addRecord(anyArg(null)), TypeError, 'TcpTracker.addRecord', 'record', 'null', /readCapture\(\)/);
    misuse(() => t.addRecord(anyArg(PACKET)), TypeError, 'TcpTracker.addRecord', 'record', 'an object (Packet)', /addPacket\(packet, record\)/);
    misuse(() => t.addRecord(anyArg({ ...RECORD, data: 'abc' })), TypeError, 'TcpTracker.addRecord', 'record.data', 'string "abc"');
    misuse(() => t.addRecord(anyArg({ ...RECORD, linkType: 'ether' })), TypeError, 'TcpTracker.addRecord', 'record.linkType', 'string "ether"');
    misuse(() => t.addRecord(anyArg({ data: SYN, linkType: 1 })), TypeError, 'TcpTracker.addRecord', 'record', 'an object', /seconds, nanoseconds/);
    misuse(() => t.addRecord({ ...RECORD, originalLength: anyArg('74') }), TypeError, 'decodePacket', 'options.originalLength', 'string "74"');
  });

  it('refuses the other methods\' arguments of the wrong type', () => {
    const t = new TcpTracker();
    misuse(() => t.addSegment(anyArg({}), RECORD), TypeError, 'TcpTracker.addSegment', 'seg', 'an object', /tcpSegmentOf\(packet\)/);
    misuse(() => t.addSegment(tcpSegmentOf(PACKET)!, anyArg(null)), TypeError, 'TcpTracker.addSegment', 'time', 'null');
    misuse(() => t.flushOlderThan(anyArg(5)), TypeError, 'TcpTracker.flushOlderThan', 'time', 'number 5', /fromSeconds/);
    misuse(() => t.session(anyArg(5)), TypeError, 'TcpTracker.session', 'key', 'number 5');
    misuse(() => t.on('data', anyArg(undefined)), TypeError, 'TcpTracker.on', 'listener', 'undefined', /on\("data"/);
    misuse(() => tcpSegmentOf(anyArg(SYN)), TypeError, 'tcpSegmentOf', 'packet', 'an object (Uint8Array)', /decodePacket/);
    misuse(() => fromSeconds(anyArg('1')), TypeError, 'fromSeconds', 's', 'string "1"');
    misuse(() => fromSeconds(Number.NaN), RangeError, 'fromSeconds', 's', 'number NaN');
  });
});

describe('Reassembler misuse', () => {
  const sink: ReassemblySink = { data: () => {}, gap: () => {}, conflict: () => {}, finished: () => {} };

  it('refuses a sink without the methods it calls, and a negative history', () => {
    misuse(() => new Reassembler(anyArg({ data: () => {} }), 0), TypeError, 'Reassembler', 'sink', 'an object', /gap is missing/);
    misuse(() => new Reassembler(anyArg(null), 0), TypeError, 'Reassembler', 'sink', 'null');
    misuse(() => new Reassembler(sink, anyArg('4096')), TypeError, 'Reassembler', 'historyLimit', 'string "4096"');
    misuse(() => new Reassembler(sink, -1), RangeError, 'Reassembler', 'historyLimit', 'number -1');
  });

  it('refuses segment arguments of the wrong type', () => {
    const r = new Reassembler(sink, 0);
    const time = fromSeconds(1);
    expect(r.segment(1, true, false, new Uint8Array(0), 0, time)).toBe('empty');
    misuse(() => r.segment(anyArg('2'), false, false, new Uint8Array(0), 0, time), TypeError, 'Reassembler.segment', 'seq', 'string "2"');
    misuse(() => r.segment(2, false, false, anyArg('abc'), 3, time), TypeError, 'Reassembler.segment', 'data', 'string "abc"');
    misuse(() => r.segment(2, false, false, new Uint8Array(0), anyArg(undefined), time), TypeError, 'Reassembler.segment', 'length', 'undefined');
    misuse(() => r.segment(2, false, false, new Uint8Array(0), 0, anyArg(1)), TypeError, 'Reassembler.segment', 'time', 'number 1');
  });
});

describe('TcpTracker options', () => {
  it('warns of an option name it does not know, with the nearest one it does', () => {
    const got = unknownOptionWarnings(() => new TcpTracker({ idletimeout: 5, maxSessions: 10 } as never));
    expect(got).toEqual(['TcpTracker: unknown option "idletimeout" is ignored; did you mean "idleTimeout"?']);
    expect(unknownOptionWarnings(() => new TcpTracker({ idleTimeout: 5, registry: undefined }))).toEqual([]);
  });
});
