/**
 * Live capture on the loopback device (root): sessions, filters, stats, inject, and
 * node_pcap 3.1.0's example programs run unchanged against @pcap/compat.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
type Any = any;
const pcap = require('@pcap/compat');
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = join(dirname(require.resolve('pcap/package.json')), 'examples');
const pathMapping = join(packageDir, 'scripts', 'v3-paths.cjs');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP exchange on 127.0.0.1: connect, send `hello`, read the echo, close. */
async function tcpExchange(): Promise<number> {
  const server = createServer((c) => c.on('data', (d) => c.end(d)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return port;
}

async function talk(port: number, text = 'hello'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => c.write(text));
    c.on('data', () => c.end());
    c.on('close', () => resolve());
    c.on('error', reject);
  });
}

async function udpSend(port: number, n: number): Promise<void> {
  const s = createSocket('udp4');
  for (let i = 0; i < n; i++) await new Promise<void>((r) => s.send(`ping ${i}`, port, '127.0.0.1', () => r()));
  s.close();
}

const open: Any[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const s of open.splice(0)) if (s.opened) s.close();
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe("createSession('lo')", () => {
  it('captures generated loopback TCP through a filter and feeds the tracker', async () => {
    const port = await tcpExchange();
    const session = pcap.createSession('lo', { filter: `tcp port ${port}`, buffer_timeout: 0 });
    open.push(session);
    expect(session).toMatchObject({ is_live: true, device_name: 'lo', filter: `tcp port ${port}`, link_type: 'LINKTYPE_ETHERNET', opened: true });
    const tracker = new pcap.TCPTracker();
    const events: string[] = [];
    tracker.on('session', (s: Any) => {
      events.push('session');
      s.on('start', () => events.push('start'));
      s.on('data send', (_s: Any, d: Buffer) => events.push(`send ${d}`));
      s.on('data recv', (_s: Any, d: Buffer) => events.push(`recv ${d}`));
      s.on('end', () => events.push('end'));
    });
    const ports = new Set<number>();
    session.on('packet', (raw: Any) => {
      expect(raw.buf).toBe(session.buf);
      expect(raw.header).toBe(session.header);
      const packet = pcap.decode.packet(raw);
      const tcp = packet.payload.payload.payload;
      ports.add(tcp.sport).add(tcp.dport);
      tracker.track_packet(packet);
    });
    await sleep(200);
    await talk(port);
    for (let i = 0; i < 50 && !events.includes('end'); i++) await sleep(50);
    expect(ports.has(port)).toBe(true);
    expect(events).toEqual(['session', 'start', 'send hello', 'recv hello', 'end']);
    const stats = session.stats();
    expect(Object.keys(stats)).toEqual(['ps_recv', 'ps_drop', 'ps_ifdrop']);
    expect(stats.ps_recv).toBeGreaterThan(0);
  });

  it('honours a v2-style filter string and stops on close()', async () => {
    const session = pcap.createSession('lo', 'udp port 39999');
    open.push(session);
    expect(session.filter).toBe('udp port 39999');
    let n = 0;
    session.on('packet', () => n++);
    await sleep(200);
    await udpSend(39998, 3); // not matching
    await udpSend(39999, 4);
    for (let i = 0; i < 40 && n < 4; i++) await sleep(50);
    expect(n).toBe(4);
    session.close();
    expect(session.opened).toBe(false);
    expect(session.listenerCount('packet')).toBe(0);
    expect(() => session.stats()).toThrow('pcap session already closed');
  });

  it('checks inject() arguments as v3 did and sends a frame', async () => {
    const session = pcap.createSession('lo', { filter: 'ether proto 0x88b5' });
    open.push(session);
    expect(() => session.inject('nope')).toThrow(TypeError);
    expect(() => session.inject()).toThrow('Inject takes exactly one argument');
    const seen: string[] = [];
    session.on('packet', (raw: Any) => seen.push(raw.buf.subarray(14, 20).toString()));
    await sleep(200);
    const frame = Buffer.concat([Buffer.alloc(12), Buffer.from([0x88, 0xb5]), Buffer.from('compat')]);
    expect(session.inject(frame)).toBeUndefined();
    for (let i = 0; i < 40 && seen.length === 0; i++) await sleep(50);
    expect(seen).toContain('compat');
  });

  it('fails to open an unknown device', () => {
    expect(() => pcap.createSession('no-such-device0')).toThrow();
  });
});

/** Starts an example from the pcap@3.1.0 tarball with `require("../pcap")` mapped to compat. */
function example(name: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['-r', pathMapping, join(examplesDir, name), ...args], { cwd: examplesDir });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function until(check: () => boolean, act: () => Promise<void>, tries = 20): Promise<void> {
  for (let i = 0; i < tries && !check(); i++) {
    await act();
    await sleep(250);
  }
}

describe('node_pcap 3.1.0 examples, unchanged', () => {
  it('tcp_metrics lo "tcp port N" reports sessions, data and stats', async () => {
    const port = await tcpExchange();
    const run = example('tcp_metrics', ['lo', `tcp port ${port}`]);
    await until(() => run.output().includes('End of TCP session'), () => talk(port, 'metrics'));
    const out = run.output();
    expect(out).toMatch(new RegExp(`Start of TCP session between 127\\.0\\.0\\.1:\\d+ and 127\\.0\\.0\\.1:${port}`));
    expect(out).toMatch(/data send 0 \+ 7 bytes/);
    expect(out).toMatch(/data recv 0 \+ 7 bytes/);
    expect(out).toMatch(/Set stats for session: +{/);
  });

  it('multiple_interfaces lo prints decoded packets', async () => {
    const run = example('multiple_interfaces', ['lo']);
    await until(() => run.output().includes('lo: PcapPacket'), () => udpSend(39997, 1));
    expect(run.output()).toMatch(/lo: PcapPacket {/);
  });

  it('speed_server lo "tcp port 80" serves /send_file and lists devices', async () => {
    const run = example('speed_server', ['lo', 'tcp port 80']);
    await until(() => run.output().includes('Listening for HTTP'), async () => {});
    expect(run.output()).toMatch(/All devices:/);
    const body = execFileSync('curl', ['-s', 'http://127.0.0.1/send_file?id=7'], { encoding: 'buffer' });
    expect(body.length).toBe(1024 * 1024);
    await until(() => run.output().includes('GET /send_file?id=7'), async () => {});
    expect(run.output()).not.toMatch(/Uncaught Exception/);
  });

  it('network_grep.js finds "safari" on the default device (in a network namespace)', async () => {
    const ns = `compat${process.pid}`;
    const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { stdio: 'pipe' });
    try {
      sh(`ip netns add ${ns}-a && ip netns add ${ns}-b`);
      sh(`ip link add ${ns}x netns ${ns}-a type veth peer name ${ns}y netns ${ns}-b`);
      sh(`ip -n ${ns}-a addr add 10.77.0.1/24 dev ${ns}x && ip -n ${ns}-a link set ${ns}x up && ip -n ${ns}-a link set lo up`);
      sh(`ip -n ${ns}-b addr add 10.77.0.2/24 dev ${ns}y && ip -n ${ns}-b link set ${ns}y up`);
      const child = spawn('ip', ['netns', 'exec', `${ns}-a`, process.execPath, '-r', pathMapping, join(examplesDir, 'network_grep.js')], {
        cwd: examplesDir,
      });
      children.push(child);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const server = spawn('ip', ['netns', 'exec', `${ns}-a`, process.execPath, '-e',
        "require('net').createServer(c => c.on('data', () => c.end())).listen(8080, '10.77.0.1')"]);
      children.push(server);
      await until(() => out.includes('Listening on'), async () => {});
      expect(out).toContain(`Listening on ${ns}x`);
      await until(() => /Safari\/605/.test(out), async () => {
        try {
          sh(`ip netns exec ${ns}-b curl -s -m 1 -A 'Mozilla/5.0 Safari/605' http://10.77.0.1:8080/ || true`);
        } catch {
          // the server closes without an HTTP reply; curl's exit status does not matter
        }
      });
      expect(out).toMatch(/User-Agent: Mozilla\/5.0 Safari\/605/);
    } finally {
      for (const c of children.splice(0)) c.kill('SIGKILL');
      try {
        sh(`ip netns del ${ns}-a; ip netns del ${ns}-b`);
      } catch {
        // already gone
      }
    }
  });
});
