import { argumentError, unknownOptionWarnings } from '@pcap/fuzz';
import { TcpTracker } from '@pcap/tcp';
import { describe, expect, it } from 'vitest';
import { HttpTracker } from './tracker.js';

// The calls below pass wrong types on purpose, as untyped JavaScript callers would.
/* eslint-disable @typescript-eslint/no-explicit-any */
const anyArg = (v: unknown): any => v;

const misuse = (call: () => unknown, kind: typeof TypeError | typeof RangeError, argument: string, got: string, hint?: RegExp): Error =>
  argumentError(call, kind, 'HttpTracker', argument, got, hint);

describe('HttpTracker misuse', () => {
  it('takes a TcpTracker and options as documented', () => {
    const http = new HttpTracker(new TcpTracker(), { ports: [80, 8080], maxBodyBytes: 0 });
    expect(http.stats()).toEqual({ connections: 0, pendingRequests: 0, heldBytes: 0, limitHits: 0 });
  });

  it('refuses a tcp argument that is not a tracker, naming the likely swap', () => {
    misuse(() => new HttpTracker(anyArg(null)), TypeError, 'tcp', 'null', /new TcpTracker\(\)/);
    misuse(() => new HttpTracker(anyArg(undefined)), TypeError, 'tcp', 'undefined', /new TcpTracker\(\)/);
    misuse(() => new HttpTracker(anyArg({ ports: [80] })), TypeError, 'tcp', 'an object', /the TcpTracker goes first/);
  });

  it('refuses options of the wrong type or out of range', () => {
    const tcp = new TcpTracker();
    misuse(() => new HttpTracker(tcp, anyArg(80)), TypeError, 'options', 'number 80');
    misuse(() => new HttpTracker(tcp, { maxHeaderBytes: anyArg('64k') }), TypeError, 'option maxHeaderBytes', 'string "64k"', /maxHeaderBytes: 65536/);
    misuse(() => new HttpTracker(tcp, { maxHeaderBytes: 1.5 }), RangeError, 'option maxHeaderBytes', 'number 1.5');
    misuse(() => new HttpTracker(tcp, { maxBodyBytes: -1 }), RangeError, 'option maxBodyBytes', 'number -1');
    misuse(() => new HttpTracker(tcp, { maxPendingRequests: 0 }), RangeError, 'option maxPendingRequests', 'number 0');
    misuse(() => new HttpTracker(tcp, { ports: anyArg(8080) }), TypeError, 'option ports', 'number 8080', /\{ ports: \[8080\] \}/);
    misuse(() => new HttpTracker(tcp, { ports: anyArg('80') }), TypeError, 'option ports', 'string "80"', /ports: \[80, 8080\]/);
    misuse(() => new HttpTracker(tcp, { ports: anyArg([80, '8080']) }), TypeError, 'option ports[1]', 'string "8080"');
    misuse(() => new HttpTracker(tcp, { ports: [80, 70000] }), RangeError, 'option ports[1]', 'number 70000');
  });

  it('refuses a listener that is not a function when it is added, not at the first exchange', () => {
    const http = new HttpTracker(new TcpTracker());
    expect(() => http.on('exchange', anyArg('log'))).toThrow(/^HttpTracker\.on: listener must be a function, got string "log"; e\.g\. on\("exchange"/);
  });
});

describe('HttpTracker options', () => {
  it('warns of an option name it does not know, with the nearest one it does', () => {
    const got = unknownOptionWarnings(() => new HttpTracker(new TcpTracker(), { maxBodySize: 0 } as never));
    expect(got).toEqual(['HttpTracker: unknown option "maxBodySize" is ignored; did you mean "maxBodyBytes"?']);
    expect(unknownOptionWarnings(() => new HttpTracker(new TcpTracker(), { maxBodyBytes: 0, ports: [80] }))).toEqual([]);
  });
});
