import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, pcap, pcapFile } from './test/run-cli.js';

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// 13:48:01.102706 IP 127.0.0.1.43219 > 127.0.0.1.9999: UDP, length 5
const UDP = hex('000000000000 000000000000 0800 45000021372f40004011059b7f0000017f000001 a8d3270f000dfe20 68656c6c6f');
// 13:48:01.133843 IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495, options [mss 65495,sackOK,TS val 564706255 ecr 0,nop,wscale 10], length 0
const SYN = hex(
  '000000000000 000000000000 0800 4500003ce6344000400656857f0000017f000001 e1080001d808151700000000a002ffd7fe300000 0204ffd70402080a21a8bbcf0000000001 03030a',
);

const FILE = pcapFile([
  { data: UDP, seconds: 1795700881, micros: 102706 },
  { data: SYN, seconds: 1795700881, micros: 133843 },
]);

function tmpFile(name: string, bytes: Uint8Array | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcap-cli-'));
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('pcap read', () => {
  it('prints one tcpdump-like line per packet', () => {
    const r = pcap(['read', tmpFile('two.pcap', FILE)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '13:48:01.102706 IP 127.0.0.1.43219 > 127.0.0.1.9999: UDP, length 5\n' +
        '13:48:01.133843 IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495, options [mss 65495,sackOK,TS val 564706255 ecr 0,nop,wscale 10], length 0\n',
    );
    expect(r.stderr).toBe('');
  });

  it('reads standard input given -', () => {
    const r = pcap(['read', '-c', '1', '-'], FILE);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('13:48:01.102706 IP 127.0.0.1.43219 > 127.0.0.1.9999: UDP, length 5\n');
  });

  it('reads a path that is a pipe, as a shell makes with <(...)', () => {
    const file = tmpFile('two.pcap', FILE);
    const r = spawnSync('bash', ['-c', `"$0" "$1" read <(cat "$2")`, process.execPath, BIN, file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(pcap(['read', file]).stdout);
    expect(r.stdout.split('\n')).toHaveLength(3);
  });

  it('prints Wireshark fields tab-separated, absent ones empty', () => {
    const r = pcap(['read', '--fields', 'frame.number,frame.time_epoch,ip.src,udp.dstport,tcp.flags,tcp.option_kind', tmpFile('f.pcap', FILE)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('1\t1795700881.102706000\t127.0.0.1\t9999\t\t\n2\t1795700881.133843000\t127.0.0.1\t\t0x0002\t2,4,8,1,3\n');
  });

  it('rejects an unknown field as a usage error naming close matches', () => {
    const r = pcap(['read', '--fields', 'ip.sorc', tmpFile('f.pcap', FILE)]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pcap: unknown field "ip\.sorc"; did you mean ip\.src/);
  });

  it('prints every whole packet of a file cut mid-record, then one error line and status 1', () => {
    const cut = FILE.subarray(0, FILE.length - 10);
    const r = pcap(['read', tmpFile('cut.pcap', cut)]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stdout).toMatch(/UDP, length 5\n$/);
    expect(r.stderr).toMatch(/^pcap: .*cut\.pcap: file ends inside packet 2's data at byte 87: 64 of 74 bytes present\n$/);
  });

  it('says what a file that is not a capture looks like', () => {
    const r = pcap(['read', tmpFile('notes.txt', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pcap: .*notes\.txt: not a pcap or pcapng file: it starts with text \("GET \/ HTTP\/1\.1"\)\n$/);
  });

  it('reports a missing file in one line, without a stack trace', () => {
    const r = pcap(['read', '/nonexistent/x.pcap']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('pcap: /nonexistent/x.pcap: no such file\n');
  });

  it('treats a bad count as a usage error', () => {
    const r = pcap(['read', '-c', 'zero', '-']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/positive integer/);
  });
});
