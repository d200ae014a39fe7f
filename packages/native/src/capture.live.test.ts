// Live capture on `lo` and across two network namespaces joined by a veth pair.
// Needs root (or CAP_NET_RAW + CAP_NET_ADMIN) and iproute2; CI runs it as root.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDevices, openLive, openOffline, PcapError, type OwnedPacket, type PcapWarning } from './index.js';
import { createVethPair, type VethPair } from './test/netns.js';
import { distMissing, have, isRoot, run, runNode, sendUdp, seqOf, startNode, tempDir, waitFor } from './test/helpers.js';

const dir = tempDir();
afterAll(() => spawnSync('rm', ['-rf', dir]));

const live = describe.skipIf(!isRoot);
if (!isRoot) console.log('capture.live.test.ts: skipped, live capture needs root');

const FRAME_OVERHEAD = 14 + 20 + 8; // Ethernet + IPv4 + UDP

live('devices', () => {
  it('lists lo as an up, running loopback with 127.0.0.1', () => {
    const lo = listDevices().find((d) => d.name === 'lo');
    expect(lo).toBeDefined();
    expect(lo!.loopback).toBe(true);
    expect(lo!.up).toBe(true);
    expect(lo!.running).toBe(true);
    expect(lo!.addresses).toContainEqual(expect.objectContaining({ family: 'inet', addr: '127.0.0.1', netmask: '255.0.0.0' }));
  });
});

live('capture on lo', () => {
  it('sees exactly the packets sent, with their bytes, lengths and nanosecond timestamps', async () => {
    const port = 41000 + (process.pid % 1000);
    const c = openLive('lo', { immediate: true, bufferSize: 16 << 20, filter: `udp and dst port ${port}` });
    expect(c.linkType).toBe(1);
    expect(c.timestampPrecision).toBe('nano');
    const got: OwnedPacket[] = [];
    c.on('packet', (p) => got.push(p.copy()));
    const t0 = Date.now();
    // Noise on another port must be filtered out.
    const [sent] = await Promise.all([
      sendUdp({ port, count: 300, size: 100 }),
      sendUdp({ port: port + 1, count: 100, size: 100 }),
    ]);
    await waitFor(() => got.length >= sent, 5000);
    await new Promise((r) => setTimeout(r, 200));
    const stats = c.stats();
    c.close();
    expect(sent).toBe(300);
    expect(got).toHaveLength(300);
    expect(got.map((p) => seqOf(p.data))).toEqual([...Array(300).keys()]);
    for (const p of got) {
      expect(p.caplen).toBe(FRAME_OVERHEAD + 100);
      expect(p.length).toBe(FRAME_OVERHEAD + 100);
      expect(p.seconds * 1000).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000);
    }
    // At least one timestamp has sub-microsecond digits: nanosecond precision end to end.
    expect(got.some((p) => p.nanoseconds % 1000 !== 0)).toBe(true);
    const ns = got.map((p) => p.timestampNs);
    expect(ns.every((t, i) => i === 0 || t >= ns[i - 1]!)).toBe(true);
    // On lo the kernel shows libpcap each datagram twice (out and in); it keeps one.
    expect(stats.drop).toBe(0);
    expect(stats.recv).toBe(2 * 300);
  });

  it('a live capture written to a file reads back identically, in tcpdump too', async (ctx) => {
    const port = 42000 + (process.pid % 1000);
    const file = join(dir, 'live.pcap');
    const c = openLive('lo', { immediate: true, bufferSize: 16 << 20, filter: `udp dst port ${port}` });
    const w = c.dump(file);
    const got: OwnedPacket[] = [];
    c.on('packet', (p) => {
      w.write(p);
      got.push(p.copy());
    });
    await sendUdp({ port, count: 50, size: 33 });
    await waitFor(() => got.length >= 50, 5000);
    c.close();
    w.close();
    expect(got).toHaveLength(50);
    const back: OwnedPacket[] = [];
    for await (const p of openOffline(file)) back.push(p.copy());
    expect(back.map((p) => [p.seconds, p.nanoseconds, p.length, Buffer.from(p.data).toString('hex')])).toEqual(
      got.map((p) => [p.seconds, p.nanoseconds, p.length, Buffer.from(p.data).toString('hex')]),
    );
    if (!have('tcpdump')) return ctx.skip('tcpdump not installed');
    const td = await run('tcpdump', ['-nn', '--nano', '-tt', '-r', file]);
    expect(td.code).toBe(0);
    const lines = td.stdout.trim().split('\n');
    expect(lines).toHaveLength(50);
    lines.forEach((line, i) => {
      const p = got[i]!;
      expect(line).toBe(`${p.seconds}.${String(p.nanoseconds).padStart(9, '0')} IP 127.0.0.1.${line.split(' ')[2]!.split('.').pop()} > 127.0.0.1.${port}: UDP, length 33`);
    });
    const hex = await run('tcpdump', ['-nn', '-x', '-c', '1', '-r', file]);
    expect(hex.stdout.replace(/0x[0-9a-f]+:/g, '').replace(/\s+/g, '')).toContain('706361706e00000000'); // "pcapn" + seq 0
    expect(readFileSync(file).readUInt32LE(0)).toBe(0xa1b23c4d); // nanosecond pcap magic
  });

  it('setFilter replaces the filter of an open capture', async () => {
    const port = 43000 + (process.pid % 1000);
    const c = openLive('lo', { immediate: true, filter: `udp dst port ${port}` });
    const ports: number[] = [];
    c.on('packet', (p) => ports.push(new DataView(p.data.buffer, p.data.byteOffset).getUint16(36)));
    await sendUdp({ port, count: 10 });
    await waitFor(() => ports.length >= 10, 3000);
    c.setFilter(`udp dst port ${port + 1}`);
    await sendUdp({ port, count: 10 });
    await sendUdp({ port: port + 1, count: 5 });
    await waitFor(() => ports.length >= 15, 3000);
    await new Promise((r) => setTimeout(r, 100));
    c.close();
    expect(ports).toEqual([...Array(10).fill(port), ...Array(5).fill(port + 1)]);
    expect(() => c.setFilter('udp')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('in immediate mode without bufferSize, the kernel ring holds a burst while reading is paused', async () => {
    // libpcap's 2 MiB ring has about seven whole-snaplen slots in immediate mode; each
    // datagram on lo takes two (out and in), so 40 of them need the larger default.
    const port = 43500 + (process.pid % 500);
    const c = openLive('lo', { immediate: true, filter: `udp dst port ${port}` });
    let got = 0;
    c.on('packet', () => got++);
    c.pause();
    expect(await sendUdp({ port, count: 40, size: 100 })).toBe(40);
    c.resume();
    await waitFor(() => got >= 40, 3000);
    await new Promise((r) => setTimeout(r, 100));
    const stats = c.stats();
    c.close();
    expect(got).toBe(40);
    expect(stats.drop).toBe(0);
  });

  it('for await with a slow consumer: backpressure pauses reading, nothing is lost in the kernel buffer', async () => {
    const port = 44000 + (process.pid % 1000);
    const c = openLive('lo', { immediate: true, bufferSize: 16 << 20, batchSize: 8, filter: `udp dst port ${port}` });
    const seqs: number[] = [];
    let batchesWhileBusy = 0;
    let busy = false;
    c.on('batch', () => {
      if (busy) batchesWhileBusy++;
    });
    const sending = sendUdp({ port, count: 100 });
    for await (const p of c) {
      busy = true;
      seqs.push(seqOf(p.borrowedData));
      await new Promise((r) => setTimeout(r, 1));
      busy = false;
      if (seqs.length === 100) break;
    }
    await sending;
    expect(seqs).toEqual([...Array(100).keys()]);
    // A batch is only read when the loop asks for more than the current one holds.
    expect(batchesWhileBusy).toBe(0);
    expect(c.closed).toBe(true);
  });

  it('options: timeout mode, snaplen, direction, timestamp type and precision', async () => {
    const port = 45000 + (process.pid % 1000);
    const c = openLive('lo', { timeout: 20, snaplen: 60, direction: 'in', timestampType: 'host', precision: 'nano', filter: `udp dst port ${port}` });
    expect(c.snaplen).toBe(60);
    expect(c.timestampTypes).toContain('host');
    const got: OwnedPacket[] = [];
    c.on('packet', (p) => got.push(p.copy()));
    await sendUdp({ port, count: 20, size: 200 });
    await waitFor(() => got.length >= 20, 3000);
    c.close();
    expect(got).toHaveLength(20);
    expect(got[0]!.caplen).toBe(60);
    expect(got[0]!.length).toBe(FRAME_OVERHEAD + 200);
    expect(got[0]!.truncated).toBe(true);
  });

  it('warnings go to the warning handler, or to the warning event without one', async () => {
    const warnings: PcapWarning[] = [];
    // lo offers only the 'host' timestamp type.
    const c = openLive('lo', { timestampType: 'adapter', onWarning: (w) => warnings.push(w) });
    c.close();
    expect(warnings).toEqual([expect.objectContaining({ code: 'TSTAMP_TYPE_NOTSUP', device: 'lo' })]);
    expect(warnings[0]!.message).toContain('adapter');
    const d = openLive('lo', { timestampType: 'adapter' });
    const event = await new Promise<PcapWarning>((r) => d.once('warning', r));
    d.close();
    expect(event.code).toBe('TSTAMP_TYPE_NOTSUP');
  });
});

live('errors', () => {
  it('an unknown device is ENODEV and names the device', () => {
    try {
      openLive('nosuchdev0');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PcapError);
      expect((e as PcapError).code).toBe('ENODEV');
      expect((e as PcapError).message).toContain('"nosuchdev0"');
      expect((e as PcapError).device).toBe('nosuchdev0');
    }
  });

  it('monitor mode on a device without it is RFMON_NOTSUP', () => {
    expect(() => openLive('lo', { rfmon: true })).toThrow(expect.objectContaining({ code: 'RFMON_NOTSUP' }));
  });

  it('an unknown timestamp type is BAD_OPTION; a bad filter is BAD_FILTER and closes the handle', () => {
    expect(() => openLive('lo', { timestampType: 'sundial' })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => openLive('lo', { filter: 'udp port' })).toThrow(expect.objectContaining({ code: 'BAD_FILTER' }));
  });

  it('without privileges: EPERM, and the message says run as root or grant CAP_NET_RAW/CAP_NET_ADMIN', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    if (!have('setpriv')) return ctx.skip('setpriv not installed');
    const r = await runNode(
      `const { openLive } = await import(PCAP);
       try { openLive('lo'); console.log('opened'); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`,
      { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'] },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { code: string; message: string };
    expect(out.code).toBe('EPERM');
    expect(out.message).toMatch(/run as root/);
    expect(out.message).toContain('cap_net_raw,cap_net_admin');
  });
});

const netnsOk = isRoot && have('ip');
if (!netnsOk) console.log('capture.live.test.ts: namespace tests skipped, they need root and iproute2');

/** Child script: capture on `dev` with `filter` until told on stdin, then print what it saw. */
function captureChild(dev: string, filter: string): string {
  return `const { openLive } = await import(PCAP);
    const c = openLive(${JSON.stringify(dev)}, { immediate: true, bufferSize: 16 << 20, filter: ${JSON.stringify(filter)} });
    const packets = [];
    c.on('packet', (p) => packets.push({ hex: Buffer.from(p.borrowedData).toString('hex'), caplen: p.caplen, length: p.length }));
    console.log('ready');
    process.stdin.once('data', () => setTimeout(() => {
      const stats = c.stats();
      c.close();
      console.log(JSON.stringify({ packets, stats }));
      process.exit(0);
    }, 300));`;
}

describe.skipIf(!netnsOk)('between two network namespaces (veth pair)', () => {
  let pair: VethPair;
  beforeAll(() => {
    pair = createVethPair('c');
  });
  afterAll(() => pair?.remove());

  const inNs = (ns: string) => ['ip', 'netns', 'exec', ns];

  it('the peer namespace captures exactly what was sent, and stats add up', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    const port = 46000;
    const capture = startNode(captureChild(pair.devB, `udp dst port ${port}`), { prefix: inNs(pair.nsB) });
    await capture.ready;
    const sent = await sendUdp({ to: pair.addrB, port, count: 500, size: 80 }, inNs(pair.nsA));
    await sendUdp({ to: pair.addrB, port: port + 1, count: 50 }, inNs(pair.nsA));
    capture.tell('report');
    const r = await capture.done;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { packets: Array<{ hex: string; caplen: number; length: number }>; stats: { recv: number; drop: number; ifdrop: number } };
    expect(sent).toBe(500);
    expect(out.packets).toHaveLength(500);
    out.packets.forEach((p, i) => {
      const frame = Buffer.from(p.hex, 'hex');
      expect(seqOf(frame)).toBe(i);
      expect(frame.subarray(0, 6).toString('hex')).toBe(pair.macB.replaceAll(':', ''));
      expect(frame.subarray(26, 30).join('.')).toBe(pair.addrA);
      expect(p.caplen).toBe(FRAME_OVERHEAD + 80);
    });
    // Incoming only on a veth: every packet that passed the filter was delivered.
    expect(out.stats).toEqual({ recv: 500, drop: 0, ifdrop: 0 });
  });

  it('a frame injected in one namespace is seen, byte for byte, on the peer side', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    const capture = startNode(captureChild(pair.devB, 'ether proto 0x88b5'), { prefix: inNs(pair.nsB) });
    await capture.ready;
    const frame = Buffer.alloc(64);
    Buffer.from(pair.macB.replaceAll(':', ''), 'hex').copy(frame, 0);
    Buffer.from(pair.macA.replaceAll(':', ''), 'hex').copy(frame, 6);
    frame.writeUInt16BE(0x88b5, 12);
    frame.write('injected by @pcap/native', 14, 'latin1');
    const inject = await runNode(
      `const { openLive } = await import(PCAP);
       const c = openLive(${JSON.stringify(pair.devA)});
       const frame = Buffer.from(${JSON.stringify(frame.toString('hex'))}, 'hex');
       const sent = [c.inject(frame), c.inject(frame), c.inject(frame)];
       c.close();
       console.log(JSON.stringify(sent));`,
      { prefix: inNs(pair.nsA) },
    );
    expect(inject.code, inject.stderr).toBe(0);
    expect(JSON.parse(inject.stdout)).toEqual([64, 64, 64]);
    capture.tell('report');
    const r = await capture.done;
    const out = JSON.parse(r.stdout) as { packets: Array<{ hex: string }> };
    expect(out.packets.map((p) => p.hex)).toEqual(Array(3).fill(frame.toString('hex')));
  });
});
