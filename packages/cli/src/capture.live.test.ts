import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRoot, randomPort, sendUdp, startPcap } from './test/live.js';
import { BIN, haveTcpdump, pcap } from './test/run-cli.js';

// Live capture on the loopback device, as root (CI runs these as root). Each test uses a
// random UDP or TCP port so that other traffic on lo never matches its filter.

const dir = mkdtempSync(join(tmpdir(), 'pcap-live-'));
const LISTENING = /^listening on lo, link-type EN10MB \(1\), snapshot length \d+ bytes$/m;

/** tcpdump -nn -r FILE, lines. */
function tcpdumpRead(file: string): string[] {
  const r = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

const udpLine = (port: number, size = 32) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} IP 127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.${port}: UDP, length ${size}$`);

/** Starts `pcap ARGS`, waits until it listens, sends `count` datagrams to `port`. */
async function captureWhileSending(args: string[], port: number, count: number) {
  const run = startPcap(args);
  await run.waitFor(LISTENING);
  await sendUdp(port, count);
  return run;
}

describe.skipIf(!isRoot)('pcap capture on lo', () => {
  it('-c 5 prints the 5 datagrams sent, one tcpdump-like line each, and says what it captured', async () => {
    const port = randomPort();
    const run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-c', '5', '--immediate'], port, 5);
    expect(await run.exited).toEqual({ status: 0, signal: null });
    const lines = run.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(udpLine(port));
    expect(run.stderr()).toMatch(LISTENING);
    expect(run.stderr()).toMatch(/^5 packets captured\n\d+ packets received by filter\n0 packets dropped by kernel\n$/m);
  });

  it('--json and --fields work live as they do on files', async () => {
    const port = randomPort();
    let run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp dst port ${port}`, '-c', '2', '--json', '--immediate'], port, 2);
    expect((await run.exited).status).toBe(0);
    const objs = run.stdout().trim().split('\n').map((l) => JSON.parse(l));
    expect(objs.map((o) => o.frame.number)).toEqual([1, 2]);
    expect(objs[0].layers.map((l: { protocol: string }) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'data']);
    expect(objs[1].layers[2].fields['udp.dstport']).toBe(String(port));

    run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp dst port ${port}`, '-c', '2', '--fields', 'ip.src,udp.dstport,udp.length'], port, 2);
    expect((await run.exited).status).toBe(0);
    expect(run.stdout()).toBe(`127.0.0.1\t${port}\t40\n`.repeat(2));
  });

  it.skipIf(!haveTcpdump)('-w FILE.pcap -q records without printing; tcpdump reads the file', async () => {
    const port = randomPort();
    const file = join(dir, 'five.pcap');
    const run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-c', '5', '-q', '-w', file], port, 5);
    expect((await run.exited).status).toBe(0);
    expect(run.stdout()).toBe('');
    expect(readFileSync(file).readUInt32LE(0)).toBe(0xa1b2c3d4);
    const lines = tcpdumpRead(file);
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(udpLine(port));
    // And our own reader prints the same lines.
    expect(pcap(['read', file]).stdout.trimEnd().split('\n')).toEqual(lines);
  });

  it.skipIf(!haveTcpdump)('-w FILE.pcapng writes pcapng with the device name and filter; tcpdump reads it', async () => {
    const port = randomPort();
    const file = join(dir, 'three.pcapng');
    const run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-c', '3', '-w', file], port, 3);
    expect((await run.exited).status).toBe(0);
    expect(run.stdout().trimEnd().split('\n')).toHaveLength(3);
    expect(readFileSync(file).readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(tcpdumpRead(file)).toHaveLength(3);
    const info = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'udp.dstport'], { encoding: 'utf8' });
    if (info.status === 0) expect(info.stdout).toBe(`lo\t${port}\n`.repeat(3));
  });

  it.skipIf(!haveTcpdump)('-w - writes pcap to standard output, for a pipe into tcpdump', async () => {
    const port = randomPort();
    const proc = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" capture -i lo -f 'udp port ${port}' -c 2 -w - | tcpdump -nn -r - 2>/dev/null`], {
      env: { ...process.env, TZ: 'UTC' },
    });
    let out = '';
    let err = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((r) => proc.on('close', r));
    for (let i = 0; i < 100 && !LISTENING.test(err); i++) await new Promise((r) => setTimeout(r, 50));
    expect(err).toMatch(LISTENING);
    await sendUdp(port, 2);
    expect(await exited).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(udpLine(port));
  });

  it('takes the capture tuning options: --no-promisc, --buffer-size, --timeout', async () => {
    const port = randomPort();
    const run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-c', '1', '--no-promisc', '--buffer-size', '1024', '--timeout', '10'], port, 1);
    expect((await run.exited).status).toBe(0);
    expect(run.stdout().trimEnd()).toMatch(udpLine(port));
  });

  it('says when a device cannot capture in monitor mode', () => {
    const r = pcap(['capture', '-i', 'lo', '--monitor', '-c', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pcap: device "lo" cannot capture in monitor mode .*leave out --monitor\n$/);
  });

  it('--snaplen cuts what is kept of each packet', async () => {
    const port = randomPort();
    const file = join(dir, 'snap.pcap');
    const run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-c', '1', '-q', '--snaplen', '50', '-w', file], port, 1);
    expect((await run.exited).status).toBe(0);
    const frame = JSON.parse(pcap(['read', '--json', file]).stdout).frame;
    expect(frame).toMatchObject({ cap_len: 50, len: 74 });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-capture stops cleanly, flushes the -w file and reports captured and dropped`, async () => {
      const port = randomPort();
      const file = join(dir, `${signal}.pcap`);
      const run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-w', file], port, 3);
      await run.waitFor(/(UDP, length 32\n.*){3}/s, 'stdout');
      run.proc.kill(signal);
      expect(await run.exited).toEqual({ status: 0, signal: null });
      expect(run.stderr()).toMatch(/\n3 packets captured\n\d+ packets received by filter\n\d+ packets dropped by kernel\n$/);
      expect(run.stderr()).not.toMatch(/Error|at /);
      if (haveTcpdump) expect(tcpdumpRead(file)).toHaveLength(3);
      else expect(pcap(['read', file]).stdout.trimEnd().split('\n')).toHaveLength(3);
    });
  }

  it('stops like Ctrl-C when the reader of its output goes away, and still finishes the -w file', async () => {
    const port = randomPort();
    const file = join(dir, 'epipe.pcap');
    const run = await captureWhileSending(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-w', file, '--immediate'], port, 2);
    await run.waitFor(/(UDP, length 32\n.*){2}/s, 'stdout');
    // As `| head -2` does: the reader exits, the next line written meets a broken pipe.
    run.proc.stdout!.destroy();
    await sendUdp(port, 3);
    expect(await run.exited).toEqual({ status: 0, signal: null });
    expect(run.stderr()).toMatch(/\n\d+ packets captured\n\d+ packets received by filter\n/);
    const kept = pcap(['read', file]).stdout.trimEnd().split('\n');
    expect(kept.length).toBeGreaterThanOrEqual(3);
    for (const l of kept) expect(l).toMatch(udpLine(port));
  });

  it('--duration stops by itself', async () => {
    const started = Date.now();
    const run = startPcap(['capture', '-i', 'lo', '-f', `udp port ${randomPort()}`, '--duration', '1']);
    expect((await run.exited).status).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(run.stderr()).toMatch(/\n0 packets captured\n/);
  });

  it('names the real devices when the one given does not exist', () => {
    const r = pcap(['capture', '-i', 'nosuchdev0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pcap: no such device "nosuchdev0"; devices: .*\blo\b.*\n$/);
  });

  it("reports a filter libpcap cannot compile as a usage error, with libpcap's message", () => {
    const r = pcap(['capture', '-i', 'lo', '-f', 'udp prot 53']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pcap: invalid filter "udp prot 53": can\'t parse filter expression: syntax error\n');
  });

  it('says how to get permission when not allowed to capture', async () => {
    // uid 65534 (nobody) has no capture capabilities.
    const run = startPcap(['capture', '-i', 'lo', '-c', '1'], { uid: 65534 });
    const { status } = await run.exited;
    expect(status).toBe(1);
    expect(run.stderr()).toMatch(/^pcap: permission denied capturing on "lo" .*run as root, or .*setcap cap_net_raw,cap_net_admin=eip .*command -v node.*\n$/);
    expect(run.stderr().split('\n')).toHaveLength(2);
  });

  it('tells root without the capture capabilities (a container dropping CAP_NET_RAW) to grant them', (ctx) => {
    if (spawnSync('sh', ['-c', 'command -v setpriv']).status !== 0) return ctx.skip('setpriv not installed');
    const r = spawnSync('setpriv', ['--inh-caps=-all', '--bounding-set=-all', process.execPath, BIN, 'capture', '-i', 'lo', '-c', '1'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'pcap: permission denied capturing on "lo" (socket: Operation not permitted); running as root without CAP_NET_RAW and CAP_NET_ADMIN ' +
        '(dropped by a container or service manager): grant them, e.g. docker run --cap-add=NET_RAW --cap-add=NET_ADMIN\n',
    );
  });

  it('reports a -w path that cannot be written before capturing', () => {
    const r = pcap(['capture', '-i', 'lo', '-c', '1', '-w', '/nonexistent/dir/x.pcap']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('pcap: cannot write /nonexistent/dir/x.pcap: no such directory\n');
  });

  it('requires -i', () => {
    const r = pcap(['capture', '-c', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/required option '-i, --interface <name>'/);
  });
});

describe.skipIf(!isRoot)('pcap http and pcap tcp live on lo', () => {
  it('pcap http -i lo prints each exchange as it ends, and the rest on Ctrl-C', async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(req.url === '/missing' ? 'no' : 'hello world');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const run = startPcap(['http', '-i', 'lo', '-f', `tcp port ${port}`, '--immediate']);
      await run.waitFor(LISTENING);
      for (const path of ['/one', '/missing']) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        await res.text();
      }
      await run.waitFor(/\/missing -> 404/, 'stdout');
      run.proc.kill('SIGINT');
      expect((await run.exited).status).toBe(0);
      const lines = run.stdout().trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} 127\\.0\\.0\\.1:\\d+ GET 127\\.0\\.0\\.1:${port}/one -> 200 OK  req 0 B  resp 11 B  wait [\\d.]+ ms  total [\\d.]+ ms$`));
      expect(lines[1]).toMatch(/ GET 127\.0\.0\.1:\d+\/missing -> 404 Not Found  req 0 B  resp 2 B /);
      expect(run.stderr()).toMatch(/\n\d+ packets captured\n/);
    } finally {
      server.close();
    }
  });

  it('pcap tcp -i lo --json reports a connection when it closes', async () => {
    const server = createTcpServer((sock) => {
      sock.once('data', () => sock.end('x'.repeat(1000)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const run = startPcap(['tcp', '-i', 'lo', '-f', `tcp port ${port}`, '--json', '--immediate']);
      await run.waitFor(LISTENING);
      await new Promise<void>((resolve, reject) => {
        const c = connect(port, '127.0.0.1', () => c.write('hello'));
        c.on('data', () => {});
        c.on('end', () => (c.end(), resolve()));
        c.on('error', reject);
      });
      await run.waitFor(/"close":"fin"/, 'stdout');
      run.proc.kill('SIGINT');
      expect((await run.exited).status).toBe(0);
      const s = JSON.parse(run.stdout().trim().split('\n')[0]!);
      expect(s).toMatchObject({ stream: 0, server: `127.0.0.1:${port}`, close: 'fin', c2s: { streamBytes: 5, syn: 1, fin: 1 }, s2c: { streamBytes: 1000 } });
      expect(s.handshake).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
