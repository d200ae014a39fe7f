// Misuse that needs a live device: capturing without the capabilities (also as root, as in a
// container that drops them), a missing device, a bad filter, and a live capture used after
// close. Needs root; the unprivileged cases run in a child process stripped with setpriv.
import { describe, expect, it } from 'vitest';
import { openLive, PcapError } from './index.js';
import { distMissing, have, isRoot, runNode } from './test/helpers.js';

if (!isRoot) console.log('misuse.live.test.ts: skipped, live capture needs root');

const noCaps = ['setpriv', '--inh-caps=-all', '--bounding-set=-all'];

/** Runs openLive(device) in a child started with `prefix`; returns what it threw. */
async function openAs(prefix: string[], device = 'lo'): Promise<{ code: string; message: string; name: string }> {
  const r = await runNode(
    `const { openLive } = await import(PCAP);
     try { openLive(${JSON.stringify(device)}); console.log('{"code":"opened"}'); }
     catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, name: e.name })); }`,
    { prefix },
  );
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { code: string; message: string; name: string };
}

describe.skipIf(!isRoot)('privileges', () => {
  it('root without CAP_NET_RAW/CAP_NET_ADMIN: EPERM, and the message says to grant them (setcap would not help)', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    if (!have('setpriv')) return ctx.skip('setpriv not installed');
    const out = await openAs(noCaps);
    expect(out.name).toBe('PcapError');
    expect(out.code).toBe('EPERM');
    expect(out.message).toBe(
      'permission denied capturing on device "lo" (socket: Operation not permitted): this process runs as root but without the capture ' +
        'capabilities (containers and hardened services drop them): grant CAP_NET_RAW and CAP_NET_ADMIN, e.g. docker run ' +
        '--cap-add=NET_RAW --cap-add=NET_ADMIN, or AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN in a systemd unit',
    );
  });

  it('an ordinary user: EPERM names setcap; a missing device is reported as EPERM too, since libpcap checks permission first', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    if (!have('setpriv')) return ctx.skip('setpriv not installed');
    const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'];
    const out = await openAs(nobody);
    expect(out.code).toBe('EPERM');
    expect(out.message).toMatch(/: run as root, or grant the capture capabilities to node: sudo setcap cap_net_raw,cap_net_admin=eip "\$\(readlink -f "\$\(command -v node\)"\)"$/);
    expect((await openAs(nobody, 'nosuchdev0')).code).toBe('EPERM');
  });
});

describe.skipIf(!isRoot)('live misuse', () => {
  it('a missing device is ENODEV with the way to list devices; a bad filter is BAD_FILTER with the text and reason', () => {
    const e = (() => {
      try {
        openLive('nosuchdev0');
      } catch (err) {
        return err as PcapError;
      }
      throw new Error('opened a device that does not exist');
    })();
    expect(e.code).toBe('ENODEV');
    expect(e.message).toMatch(/^no such device "nosuchdev0" \(.*\); listDevices\(\) lists the devices libpcap can open$/);
    expect(() => openLive('lo', { filter: 'udp prot 53' })).toThrow(
      expect.objectContaining({ code: 'BAD_FILTER', message: 'invalid filter "udp prot 53": can\'t parse filter expression: syntax error' }),
    );
  });

  it('after close: stats, inject, setFilter and dump say CLOSED and what to do; close again is harmless', () => {
    const c = openLive('lo');
    c.close();
    c.close();
    for (const call of [() => c.stats(), () => c.inject(new Uint8Array(60)), () => c.setFilter('udp'), () => c.dump('/tmp/never.pcap')]) {
      expect(call).toThrow(expect.objectContaining({ code: 'CLOSED', message: 'the capture on lo is closed; open a new one (openLive) to go on', device: 'lo' }));
    }
  });

  it('inject: the wrong type or an empty frame is BAD_ARGUMENT; a frame the device cannot send is ERROR with the system reason', () => {
    const c = openLive('lo');
    try {
      expect(() => c.inject('frame' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
      expect(() => c.inject(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
      expect(() => c.inject(new Uint8Array(70_000))).toThrow(expect.objectContaining({ code: 'ERROR', message: 'device "lo": send: Message too long' }));
      expect(c.inject(new Uint8Array(60))).toBe(60);
    } finally {
      c.close();
    }
  });
});
