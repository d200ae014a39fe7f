// Calling the API wrongly: every mistake is a PcapError with a code and a message that names
// the argument or option, what it takes and what was given, instead of the addon's
// "A string was expected", a C integer that silently wrapped, or a TypeError from deep inside.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFilter, createCaptureFile, openLive, openOffline, PcapError, validateFilter, type Capture } from './index.js';
import { distMissing, runNode, tempDir, udpFrame } from './test/helpers.js';

const dir = tempDir();
afterAll(() => spawnSync('rm', ['-rf', dir]));

const file = join(dir, 'misuse.pcap');
{
  const w = createCaptureFile(file);
  for (let i = 0; i < 10; i++) w.writeBytes(udpFrame(new Uint8Array([i])), 1_700_000_000 + i);
  w.close();
}

/** The PcapError `fn` throws; fails the test when it throws nothing or something else. */
function thrown(fn: () => unknown): PcapError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PcapError);
    return e as PcapError;
  }
  throw new Error('expected a PcapError, nothing was thrown');
}

// Untyped calls, as from JavaScript.
const anyOpenLive = openLive as (...a: unknown[]) => Capture;
const anyOpenOffline = openOffline as (...a: unknown[]) => Capture;
const anyCompile = compileFilter as (...a: unknown[]) => unknown;
const anyValidate = validateFilter as (...a: unknown[]) => unknown;
const anyCreate = createCaptureFile as (...a: unknown[]) => { close(): void };

describe('wrong arguments to the functions', () => {
  it.each([
    ['openLive()', () => anyOpenLive(), /^openLive: device must be a non-empty string, got undefined undefined; listDevices\(\) lists/],
    ['openLive(123)', () => anyOpenLive(123), /device must be a non-empty string, got number 123/],
    ['openLive(lo, null)', () => anyOpenLive('lo', null), /^openLive: options must be an object \(or left out\), got null$/],
    ['openLive(lo, "x")', () => anyOpenLive('lo', 'immediate'), /options must be an object.*got the string "immediate"/],
    ['openOffline()', () => anyOpenOffline(), /^openOffline: path must be a non-empty string, got undefined/],
    ['openOffline("")', () => anyOpenOffline(''), /path must be a non-empty string, got the string ""/],
    ['openOffline(Buffer)', () => anyOpenOffline(Buffer.from(file)), /path must be a non-empty string, got an object \(Uint8Array\)/],
    ['compileFilter(42)', () => anyCompile(42), /^compileFilter: filter must be a string in tcpdump syntax, e.g. "udp port 53", got number 42$/],
    ['validateFilter(null)', () => anyValidate(null), /^validateFilter: filter must be a string/],
    ['createCaptureFile(5)', () => anyCreate(5), /^createCaptureFile: path must be a non-empty string, got number 5$/],
    ['createCaptureFile(p, [])', () => anyCreate(join(dir, 'a.pcap'), []), /options must be an object \(or left out\), got an array/],
  ])('%s is BAD_ARGUMENT', (_, call, message) => {
    const e = thrown(call);
    expect(e.code).toBe('BAD_ARGUMENT');
    expect(e.message).toMatch(message);
  });
});

describe('wrong option values', () => {
  it.each([
    [{ snaplen: '100' }, 'option snaplen must be a positive integer of bytes (at most 2147483647), got the string "100"'],
    [{ snaplen: 2 ** 40 }, 'option snaplen must be a positive integer of bytes (at most 2147483647), got number 1099511627776'],
    [{ bufferSize: 3e9 }, 'option bufferSize must be a positive integer of bytes (at most 2147483647), got number 3000000000'],
    [{ timeout: -1 }, 'option timeout must be an integer of milliseconds from 0 to 2147483647, got number -1'],
    [{ timeout: 1.5 }, 'option timeout must be an integer of milliseconds from 0 to 2147483647, got number 1.5'],
    [{ batchSize: 0 }, 'option batchSize must be a positive integer (at most 2147483647), got number 0'],
    [{ batchBytes: 2 ** 40 }, 'option batchBytes must be a positive integer of bytes (at most 1073741824), got number 1099511627776'],
    [{ promisc: 'yes' }, 'option promisc must be true or false, got the string "yes"'],
    [{ immediate: 1 }, 'option immediate must be true or false, got number 1'],
    [{ rfmon: null }, 'option rfmon must be true or false, got null'],
    [{ nonblock: 'no' }, 'option nonblock must be true or false, got the string "no"'],
    [{ filter: 5 }, 'option filter must be a string in tcpdump syntax, e.g. "udp port 53", got number 5'],
    [{ timestampType: 5 }, "option timestampType must be a string, e.g. 'host' (capture.timestampTypes lists the device's), got number 5"],
    [{ precision: 'pico' }, "option precision must be 'auto', 'nano' or 'micro', got the string \"pico\""],
    [{ direction: 'up' }, "option direction must be 'in', 'out' or 'inout', got the string \"up\""],
    [{ wait: 'sleep' }, "option wait must be 'poll' or 'thread', got the string \"sleep\""],
    [{ onWarning: 'console' }, 'option onWarning must be a function, got the string "console"'],
  ])('openLive(lo, %j) is BAD_OPTION before libpcap is asked', (options, message) => {
    // Checked before the device is opened, so this needs no privileges.
    const e = thrown(() => anyOpenLive('lo', options));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toBe(message);
  });

  it('openOffline checks its options the same way', () => {
    expect(thrown(() => anyOpenOffline(file, { batchSize: -1 })).message).toBe(
      'option batchSize must be a positive integer (at most 2147483647), got number -1',
    );
    expect(thrown(() => anyOpenOffline(file, { filter: {} })).code).toBe('BAD_OPTION');
  });

  it.each([
    [{ linkType: 'x' }, 'option linkType must be an integer from 0 to 2147483647, got the string "x"'],
    [{ linkType: -5 }, 'option linkType must be an integer from 0 to 2147483647, got number -5'],
    [{ snaplen: -1 }, 'option snaplen must be a positive integer of bytes (at most 2147483647), got number -1'],
    [{ netmask: '255.255.255.0' }, 'option netmask must be an integer from 0 to 4294967295, got the string "255.255.255.0"'],
    [{ optimize: 'x' }, 'option optimize must be true or false, got the string "x"'],
  ])('compileFilter(udp, %j) is BAD_OPTION', (options, message) => {
    const e = thrown(() => anyCompile('udp', options));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toBe(message);
    expect(thrown(() => anyValidate('udp', options)).code).toBe('BAD_OPTION');
  });

  it('a link type libpcap does not know is still BAD_FILTER, with libpcap reason', () => {
    const e = thrown(() => compileFilter('udp', { linkType: 99999 }));
    expect(e.code).toBe('BAD_FILTER');
    expect(e.pcapMessage).toMatch(/unknown data link type 99999/);
  });

  it.each([
    [{ linkType: 'x' }, 'option linkType must be an integer from 0 to 2147483647, got the string "x"'],
    [{ snaplen: 0 }, 'option snaplen must be a positive integer of bytes (at most 2147483647), got number 0'],
    [{ precision: 'auto' }, "option precision must be 'micro' or 'nano', got the string \"auto\""],
    [{ append: 'yes' }, 'option append must be true or false, got the string "yes"'],
  ])('createCaptureFile(path, %j) is BAD_OPTION and creates no file', (options, message) => {
    const path = join(dir, `never-${Object.keys(options)[0]}.pcap`);
    const e = thrown(() => anyCreate(path, options));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toBe(message);
    expect(spawnSync('test', ['-e', path]).status).toBe(1);
  });
});

describe('wrong arguments to methods', () => {
  it('setFilter, dump and inject name what they take', () => {
    const c = openOffline(file) as Capture & Record<string, (...a: unknown[]) => unknown>;
    try {
      const setFilter = c.setFilter.bind(c) as (...a: unknown[]) => unknown;
      const dump = c.dump.bind(c) as (...a: unknown[]) => unknown;
      const inject = c.inject.bind(c) as (...a: unknown[]) => unknown;
      expect(thrown(() => setFilter(5)).message).toBe('setFilter: filter must be a string in tcpdump syntax, e.g. "udp port 53", got number 5');
      expect(thrown(() => setFilter(null)).code).toBe('BAD_ARGUMENT');
      expect(thrown(() => setFilter('udp', { optimize: 1 })).message).toBe('option optimize must be true or false, got number 1');
      expect(thrown(() => dump(5)).message).toBe('dump: path must be a non-empty string, got number 5');
      expect(thrown(() => dump(join(dir, 'd.pcap'), { append: 'no' })).code).toBe('BAD_OPTION');
      expect(thrown(() => inject('frame')).message).toBe('inject: frame must be a Uint8Array or Buffer, got the string "frame"');
      expect(thrown(() => inject(new Uint8Array(0))).message).toMatch(/^inject: frame must be at least one byte/);
      // The right types on a file: libpcap cannot send from a file.
      expect(thrown(() => c.inject(new Uint8Array(60))).code).toBe('NOT_SUPPORTED');
      // An empty filter is libpcap's "every packet", not a mistake.
      expect(c.setFilter('').length).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });

  it('writer: wrong bytes, timestamps and lengths are BAD_ARGUMENT and are not written', async () => {
    const path = join(dir, 'w.pcap');
    const w = createCaptureFile(path, { precision: 'nano' });
    const writeBytes = w.writeBytes.bind(w) as (...a: unknown[]) => void;
    const write = w.write.bind(w) as (...a: unknown[]) => void;
    const bytes = udpFrame(new Uint8Array([1]));
    expect(thrown(() => writeBytes('x', 1)).message).toBe('writeBytes: bytes must be a Uint8Array or Buffer, got the string "x"');
    expect(thrown(() => writeBytes(bytes, '1')).message).toBe('writeBytes: seconds must be an integer from 0 to 4294967295, got the string "1"');
    expect(thrown(() => writeBytes(bytes, -1)).message).toBe('writeBytes: seconds must be an integer from 0 to 4294967295, got number -1');
    expect(thrown(() => writeBytes(bytes, NaN)).code).toBe('BAD_ARGUMENT');
    expect(thrown(() => writeBytes(bytes, 2 ** 32)).code).toBe('BAD_ARGUMENT');
    expect(thrown(() => writeBytes(bytes, 1, 1e9)).message).toBe('writeBytes: nanoseconds must be an integer from 0 to 999999999, got number 1000000000');
    expect(thrown(() => writeBytes(bytes, 1, 0, -1)).message).toBe('writeBytes: length must be an integer from 0 to 4294967295, got number -1');
    expect(thrown(() => write(null)).message).toBe('write: packet must be a packet (with data or borrowedData), got null');
    expect(thrown(() => write({})).code).toBe('BAD_OPTION');
    // The largest seconds libpcap reads back unchanged: it reads the field as signed.
    w.writeBytes(bytes, 2 ** 31 - 1, 999_999_999);
    expect(w.packets).toBe(1);
    w.close();
    const got = [];
    for await (const p of openOffline(path)) got.push([p.seconds, p.nanoseconds, p.caplen]);
    expect(got).toEqual([[2 ** 31 - 1, 999_999_999, bytes.length]]);
  });
});

describe('capture files that cannot be written', () => {
  it('a missing directory is ENOENT, a directory EISDIR, each saying what to do', () => {
    const missing = join(dir, 'no', 'such', 'x.pcap');
    const e = thrown(() => createCaptureFile(missing));
    expect(e.code).toBe('ENOENT');
    expect(e.message).toBe(`cannot create "${missing}": its directory does not exist; create it first`);
    expect(e.path).toBe(missing);
    expect(thrown(() => createCaptureFile(dir)).code).toBe('EISDIR');
    const c = openOffline(file);
    try {
      expect(thrown(() => c.dump(missing)).code).toBe('ENOENT');
    } finally {
      c.close();
    }
  });

  it('a read-only place is EACCES (as a user without write permission)', async (ctx) => {
    if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v setpriv']).status !== 0) {
      return ctx.skip('needs root and setpriv to run as nobody');
    }
    const missingDist = distMissing();
    if (missingDist) return ctx.skip(missingDist);
    const r = await runNode(
      `const { createCaptureFile } = await import(PCAP);
       try { createCaptureFile('/root/pcap-native-denied.pcap'); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`,
      { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      code: 'EACCES',
      message: 'cannot write "/root/pcap-native-denied.pcap" (Permission denied); choose a writable directory or change its permissions',
    });
  });
});

describe('after close', () => {
  it('every method that needs the handle says CLOSED and what to do; the rest do nothing', async () => {
    const c = openOffline(file);
    c.close();
    c.close();
    for (const call of [() => c.setFilter('udp'), () => c.stats(), () => c.inject(new Uint8Array(60)), () => c.dump(join(dir, 'x.pcap'))]) {
      const e = thrown(call);
      expect(e.code).toBe('CLOSED');
      expect(e.message).toBe(`the capture on ${file} is closed; open a new one (openOffline) to go on`);
      expect(e.path).toBe(file);
    }
    // Lifecycle calls stay harmless, and a loop over a closed capture simply ends.
    c.pause().resume().breakLoop().ref().unref();
    expect(await c[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
  });

  it('a closed writer says CLOSED and how to add to the file', () => {
    const path = join(dir, 'c.pcap');
    const w = createCaptureFile(path);
    w.close();
    w.close();
    const e = thrown(() => w.writeBytes(new Uint8Array(60), 0));
    expect(e.code).toBe('CLOSED');
    expect(e.message).toBe(`the capture file "${path}" is closed; open it again with createCaptureFile(path, { append: true }) to add packets`);
    expect(thrown(() => w.flush()).code).toBe('CLOSED');
  });

  it('a second async iterator is refused while one is active', () => {
    const c = openOffline(file);
    c[Symbol.asyncIterator]();
    expect(thrown(() => c[Symbol.asyncIterator]()).code).toBe('BAD_OPTION');
    c.close();
  });
});

describe('unknown options', () => {
  it('warns once of an option name libpcap has no setting for, with the nearest one it has', () => {
    const got: string[] = [];
    const original = process.emitWarning;
    process.emitWarning = ((w: string, o?: { type?: string; code?: string }) => {
      if (o?.type === 'PcapWarning' && o.code === 'PCAP_UNKNOWN_OPTION') got.push(w);
      else original.call(process, w, o as never);
    }) as typeof process.emitWarning;
    try {
      for (let i = 0; i < 2; i++) openOffline(file, { filtre: 'udp' } as never).close();
      openOffline(file, { filter: 'udp', batchSize: 4 }).close();
      createCaptureFile(join(dir, 'warn.pcap'), { linkType: 1, nanosecond: true } as never).close();
    } finally {
      process.emitWarning = original;
    }
    expect(got).toEqual([
      'openOffline: unknown option "filtre" is ignored; did you mean "filter"?',
      'createCaptureFile: unknown option "nanosecond" is ignored; it takes linkType, snaplen, precision, append',
    ]);
  });
});
