import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DIR } from './data.js';

/** A peer is there (with how to run it) or is not (with why). */
export type Availability = { ok: true; path?: string } | { ok: false; reason: string };

const HERE = dirname(fileURLToPath(import.meta.url));
const PEERS = join(DATA_DIR, 'peers');

/**
 * Installs node_pcap v3 and cap with their native addons into the data folder. npm 11 runs
 * install scripts only for packages listed under `allowScripts`, so the manifest lists them.
 */
function npmInstallPeers(): { ok: boolean; log: string } {
  mkdirSync(PEERS, { recursive: true });
  writeFileSync(
    join(PEERS, 'package.json'),
    `${JSON.stringify({ name: 'bench-peers', private: true, dependencies: { pcap: '3.1.0', cap: '0.2.1' }, allowScripts: { pcap: true, cap: true } }, null, 2)}\n`,
  );
  const opts = { cwd: PEERS, encoding: 'utf8' as const, timeout: 600_000 };
  const i = spawnSync('npm', ['install', '--no-audit', '--no-fund'], opts);
  const b = spawnSync('npm', ['rebuild'], opts);
  return { ok: i.status === 0 && b.status === 0, log: `${i.stdout}\n${i.stderr}\n${b.stdout}\n${b.stderr}`.trim() };
}

function lastLines(text: string, n: number): string {
  return text
    .split('\n')
    .filter((l) => /err|error|fail/i.test(l))
    .slice(-n)
    .join(' | ')
    .slice(0, 300);
}

const peerRequire = createRequire(join(PEERS, 'node_modules', '.bench.cjs'));

function loads(id: string): Availability {
  try {
    peerRequire(id);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `require('${id}') fails: ${(e as Error).message.split('\n')[0]}` };
  }
}

let cache: Record<string, Availability> | undefined;

/**
 * Installs the peers the bench compares against (once; kept in the data folder) and says
 * which can run: node_pcap v3 with its addon, v3's decoders alone, cap, tcpdump, tshark,
 * and the C libpcap loop.
 */
export function preparePeers(): Record<string, Availability> {
  if (cache) return cache;
  const out: Record<string, Availability> = {};

  if (!loads('pcap').ok || !loads('cap').ok) {
    const r = npmInstallPeers();
    if (!r.ok) {
      out['node_pcap-build'] = { ok: false, reason: `npm install of pcap@3.1.0 and cap@0.2.1 failed: ${lastLines(r.log, 3)}` };
      out['cap-build'] = out['node_pcap-build'];
    }
  }
  out['node_pcap'] = loads('pcap');
  out['node_pcap-decode'] = loads('pcap/decode');
  out['cap'] = loads('cap');

  for (const tool of ['tcpdump', 'tshark']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    out[tool] = r.status === 0 ? { ok: true, path: r.stdout.trim() } : { ok: false, reason: `${tool} is not installed (apt-get install ${tool})` };
  }

  const bin = join(DATA_DIR, 'bin', 'pcap_count');
  if (!existsSync(bin)) {
    mkdirSync(dirname(bin), { recursive: true });
    const r = spawnSync('cc', ['-O2', '-o', bin, join(HERE, '..', 'c', 'pcap_count.c'), '-lpcap'], { encoding: 'utf8' });
    if (r.status !== 0) out['c-loop'] = { ok: false, reason: `cc failed: ${r.stderr.trim().split('\n')[0]}` };
  }
  out['c-loop'] ??= existsSync(bin) ? { ok: true, path: bin } : { ok: false, reason: 'not built' };

  const time = spawnSync('sh', ['-c', 'command -v /usr/bin/time'], { encoding: 'utf8' });
  out['time'] = time.status === 0 ? { ok: true, path: '/usr/bin/time' } : { ok: false, reason: 'GNU time is missing (apt-get install time): peak RSS cannot be measured' };
  return (cache = out);
}
