/**
 * `pnpm bench [--quick] [--runs N] [--record] [SCENARIO ...]`
 *
 * Runs every scenario (or those named), ours and the peers alternately after a warm-up,
 * and prints median packets/s, spread, peak RSS and the ratio ours/peer. Results are also
 * written as JSON. Timings never fail anything: the exit status is 0 unless the bench itself
 * breaks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataFile, type DataKind } from './data.js';
import { preparePeers, type Availability } from './peers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..', '..');
const CHILD = join(HERE, 'child.js');
const CLI = join(REPO, 'packages', 'cli', 'dist', 'bin.js');

interface Contender {
  name: string;
  ours: boolean;
  /** The command, or why it cannot run here. */
  command: (file: string) => { argv: string[]; selfTimed: boolean } | { unavailable: string };
}

interface Target {
  /** ours/peer ratio of packets/s must be at least this (or RSS ratio at most, for `rss`). */
  peer: string;
  min?: number;
  maxRss?: number;
}

interface Scenario {
  id: string;
  title: string;
  data: DataKind;
  packets: { full: number; quick: number };
  contenders: Contender[];
  targets: Target[];
  /** Absolute peak RSS target for ours, in MB. */
  maxOursRssMb?: number;
}

const node = (name: string, ours: boolean, needs?: string): Contender => ({
  name,
  ours,
  command: (file) => {
    const why = needs ? unavailable(needs) : undefined;
    if (why) return { unavailable: why };
    return { argv: [process.execPath, CHILD, name, file], selfTimed: true };
  },
});

const external = (name: string, ours: boolean, needs: string | undefined, argv: (file: string) => string[]): Contender => ({
  name,
  ours,
  command: (file) => {
    const why = needs ? unavailable(needs) : undefined;
    if (why) return { unavailable: why };
    return { argv: argv(file), selfTimed: false };
  },
});

let peers: Record<string, Availability> = {};
function unavailable(peer: string): string | undefined {
  const a = peers[peer];
  if (!a) return `${peer}: not checked`;
  if (a.ok) return undefined;
  const build = peers[`${peer}-build`];
  return build && !build.ok ? build.reason : a.reason;
}

const TEN_FIELDS = 'frame.number,frame.time_epoch,ip.src,ip.dst,ip.proto,tcp.srcport,tcp.dstport,tcp.flags,udp.srcport,udp.dstport';

const SCENARIOS: Scenario[] = [
  {
    id: 'tree',
    title: 'file → full decoded tree, mixed',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [
      node('ours:tree', true),
      node('ours:decode', true),
      node('ours:tree+fields', true),
      node('node_pcap:session+decode', false, 'node_pcap'),
      node('node_pcap:decode.packet', false, 'node_pcap-decode'),
      node('cap:decoders', false, 'cap'),
    ],
    targets: [{ peer: 'node_pcap:session+decode', min: 4 }],
  },
  {
    id: 'tree-hard',
    title: 'file → full decoded tree, mixed with packets v3 cannot decode',
    data: 'hard',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [node('ours:decode', true), node('node_pcap:decode.packet', false, 'node_pcap-decode')],
    targets: [],
  },
  {
    id: 'fast',
    title: 'file → fast path (5-tuple of every packet)',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [node('ours:fast', true), node('floor:js', false)],
    targets: [{ peer: 'floor:js', min: 0.7 }],
  },
  {
    id: 'offline-count',
    title: 'offline read, count only',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [node('ours:native-count', true), external('c:pcap_next_ex', false, 'c-loop', (f) => [peers['c-loop']!.ok ? (peers['c-loop'] as { path: string }).path : '', f]), node('node_pcap:session', false, 'node_pcap')],
    targets: [
      { peer: 'c:pcap_next_ex', min: 0.8 },
      { peer: 'node_pcap:session', min: 2 },
    ],
  },
  {
    id: 'radiotap',
    title: 'radiotap → full tree',
    data: 'radiotap',
    packets: { full: 200_000, quick: 20_000 },
    // Both sides time the decoding call alone, over the same records.
    contenders: [node('ours:decode', true), node('ours:tree', true), node('node_pcap:decode.packet', false, 'node_pcap-decode')],
    targets: [{ peer: 'node_pcap:decode.packet', min: 4 }],
  },
  {
    id: 'compat',
    title: 'compat decode.packet vs node_pcap decode.packet',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [node('compat:decode.packet', true), node('node_pcap:decode.packet', false, 'node_pcap-decode')],
    targets: [{ peer: 'node_pcap:decode.packet', min: 1.5 }],
  },
  {
    id: 'tcp-http',
    title: 'TCP reassembly + HTTP over the mixed capture (throughput, no peer)',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [node('ours:tcp+http', true)],
    targets: [],
  },
  {
    id: 'cli-fields',
    title: 'pcap read --fields (10 fields) vs tshark -T fields',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [
      external('pcap read --fields', true, undefined, (f) => [process.execPath, CLI, 'read', '--fields', TEN_FIELDS, f]),
      // The same on one thread (the default below two CPUs), measured beside it.
      external('pcap read --fields --threads 1', true, undefined, (f) => [process.execPath, CLI, 'read', '--threads', '1', '--fields', TEN_FIELDS, f]),
      external('tshark -T fields', false, 'tshark', (f) => ['tshark', '-n', '-r', f, '-T', 'fields', ...TEN_FIELDS.split(',').flatMap((x) => ['-e', x])]),
    ],
    targets: [{ peer: 'tshark -T fields', min: 20, maxRss: 0.2 }],
  },
  {
    id: 'cli-text',
    title: 'pcap read (text) vs tcpdump -nn -r',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [external('pcap read', true, undefined, (f) => [process.execPath, CLI, 'read', f]), external('tcpdump -nn -r', false, 'tcpdump', (f) => ['tcpdump', '-nn', '-r', f])],
    targets: [{ peer: 'tcpdump -nn -r', min: 2 }],
  },
  {
    id: 'stream-memory',
    title: 'memory while streaming the file',
    data: 'mixed',
    packets: { full: 1_000_000, quick: 100_000 },
    contenders: [node('ours:stream', true)],
    targets: [],
    maxOursRssMb: 64,
  },
];

interface Sample {
  ms: number;
  rssKb: number;
  bytes?: number;
}

function measure(argv: string[], selfTimed: boolean): Sample | { error: string } {
  const t0 = process.hrtime.bigint();
  // GNU time reports the peak RSS of the command on its last stderr line.
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8', stdio: ['ignore', selfTimed ? 'pipe' : 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const errLines = (r.stderr ?? '').trim().split('\n');
  const rssKb = Number(errLines[errLines.length - 1]);
  if (r.status !== 0 && !(argv.includes('tcpdump') && r.status === 1)) return { error: `exit ${r.status}: ${errLines.slice(-3, -1).join(' | ').slice(0, 200)}` };
  if (!selfTimed) return { ms: wall, rssKb };
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; bytes?: number };
    return { ms: j.ms, rssKb, ...(j.bytes ? { bytes: j.bytes } : {}) };
  } catch {
    return { error: `no result from the run: ${r.stdout.slice(0, 200)}` };
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Row {
  contender: string;
  ours: boolean;
  status: 'ok' | 'unavailable' | 'failed';
  reason?: string;
  medianPps?: number;
  spreadPct?: number;
  peakRssMb?: number;
  /** Megabytes of captured data per second, where the run counts bytes. */
  mbPerSecond?: number;
  runs?: number;
}

interface ScenarioResult {
  id: string;
  title: string;
  packets: number;
  rows: Row[];
  ratios: Array<{ ours: string; peer: string; speed?: number; rss?: number; target?: string; met?: boolean }>;
}

async function runScenario(s: Scenario, quick: boolean, rounds: number): Promise<ScenarioResult> {
  const packets = quick ? s.packets.quick : s.packets.full;
  const file = await dataFile(s.data, packets);
  const rows: Row[] = [];
  const active: Array<{ c: Contender; argv: string[]; selfTimed: boolean; samples: Sample[]; row: Row }> = [];
  for (const c of s.contenders) {
    const cmd = c.command(file);
    const row: Row = { contender: c.name, ours: c.ours, status: 'ok' };
    rows.push(row);
    if ('unavailable' in cmd) {
      row.status = 'unavailable';
      row.reason = cmd.unavailable;
      continue;
    }
    // Warm-up: page cache, JIT caches, and a check that it runs at all.
    const w = measure(cmd.argv, cmd.selfTimed);
    if ('error' in w) {
      row.status = 'failed';
      row.reason = w.error;
      continue;
    }
    active.push({ c, argv: cmd.argv, selfTimed: cmd.selfTimed, samples: [], row });
  }
  for (let i = 0; i < rounds; i++) {
    for (const a of active) {
      const m = measure(a.argv, a.selfTimed);
      if ('error' in m) {
        a.row.status = 'failed';
        a.row.reason = m.error;
      } else a.samples.push(m);
    }
  }
  for (const a of active) {
    if (a.samples.length === 0) continue;
    const pps = a.samples.map((x) => packets / (x.ms / 1000));
    const med = median(pps);
    Object.assign(a.row, {
      medianPps: Math.round(med),
      spreadPct: Math.round(((Math.max(...pps) - Math.min(...pps)) / med) * 1000) / 10,
      peakRssMb: Math.round(Math.max(...a.samples.map((x) => x.rssKb)) / 102.4) / 10,
      runs: a.samples.length,
      ...(a.samples[0]!.bytes ? { mbPerSecond: Math.round(median(a.samples.map((x) => x.bytes! / 1e6 / (x.ms / 1000))) * 10) / 10 } : {}),
    });
  }
  const ratios: ScenarioResult['ratios'] = [];
  const oursRows = rows.filter((r) => r.ours && r.medianPps);
  for (const o of oursRows) {
    for (const p of rows.filter((r) => !r.ours)) {
      const t = s.targets.find((x) => x.peer === p.contender && o === oursRows[0]);
      const entry: ScenarioResult['ratios'][number] = { ours: o.contender, peer: p.contender };
      if (p.medianPps) {
        entry.speed = Math.round((o.medianPps! / p.medianPps) * 100) / 100;
        if (o.peakRssMb && p.peakRssMb) entry.rss = Math.round((o.peakRssMb / p.peakRssMb) * 100) / 100;
      }
      if (t) {
        entry.target = `≥ ${t.min}×${t.maxRss !== undefined ? `, RSS ≤ ${t.maxRss}×` : ''}`;
        entry.met = entry.speed !== undefined && entry.speed >= (t.min ?? 0) && (t.maxRss === undefined || (entry.rss ?? Infinity) <= t.maxRss);
      }
      ratios.push(entry);
    }
    if (s.maxOursRssMb !== undefined && o === oursRows[0]) {
      ratios.push({ ours: o.contender, peer: '(absolute)', target: `RSS ≤ ${s.maxOursRssMb} MB`, met: (o.peakRssMb ?? Infinity) <= s.maxOursRssMb });
    }
  }
  return { id: s.id, title: s.title, packets, rows, ratios };
}

interface FloodSummary {
  unavailable?: string;
  rounds: Array<Record<string, unknown>>;
  modes: Array<{ mode: string; oursShare: number; tcpdumpShare?: number; lagP99Ms: number; met: boolean }>;
}

/** The live flood on loopback, in immediate mode and with a buffer timeout, `n` rounds each. */
function runFlood(n: number): FloodSummary {
  if (process.getuid?.() !== 0) return { unavailable: 'needs root (capture on lo)', rounds: [], modes: [] };
  const why = unavailable('tcpdump');
  if (why) return { unavailable: why, rounds: [], modes: [] };
  const rounds: Array<Record<string, unknown>> = [];
  const modes: FloodSummary['modes'] = [];
  for (const mode of ['immediate', 'timeout']) {
    const mine: Array<{ ours: number; tcpdump?: number; sent: number; lagP99Ms: number }> = [];
    for (let i = 0; i < n; i++) {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const r = spawnSync(process.execPath, [CHILD, 'flood', mode, String(port)], { encoding: 'utf8', timeout: 60_000 });
      try {
        const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
        rounds.push(j);
        mine.push(j);
      } catch {
        rounds.push({ mode, error: `exit ${r.status}: ${r.stderr.slice(0, 200)}` });
      }
    }
    if (mine.length === 0) continue;
    const oursShare = median(mine.map((x) => x.ours / x.sent));
    const tcpdumpShares = mine.filter((x) => x.tcpdump !== undefined).map((x) => x.tcpdump! / x.sent);
    const tcpdumpShare = tcpdumpShares.length ? median(tcpdumpShares) : undefined;
    const lagP99Ms = median(mine.map((x) => x.lagP99Ms));
    modes.push({ mode, oursShare, ...(tcpdumpShare !== undefined ? { tcpdumpShare } : {}), lagP99Ms, met: (tcpdumpShare === undefined || oursShare >= tcpdumpShare) && lagP99Ms < 50 });
  }
  return { rounds, modes };
}

function printFlood(f: FloodSummary): void {
  process.stdout.write(`\n## live-flood: UDP flood on lo, captured share vs tcpdump, timer lag\n`);
  if (f.unavailable) {
    process.stdout.write(`  unavailable: ${f.unavailable}\n`);
    return;
  }
  for (const m of f.modes) {
    const pct = (x: number | undefined): string => (x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
    process.stdout.write(
      `  ${m.mode.padEnd(10)} ours ${pct(m.oursShare)}, tcpdump ${pct(m.tcpdumpShare)}, timer lag p99 ${m.lagP99Ms} ms  target share ≥ tcpdump's, lag < 50 ms: ${m.met ? 'met' : 'NOT met'}\n`,
    );
  }
}

function fmt(n: number | undefined): string {
  if (n === undefined) return '';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function print(r: ScenarioResult): void {
  const out = process.stdout;
  out.write(`\n## ${r.id}: ${r.title} (${fmt(r.packets)} packets)\n`);
  out.write(`${'contender'.padEnd(30)}${'packets/s'.padStart(12)}${'spread'.padStart(9)}${'peak RSS'.padStart(11)}\n`);
  for (const row of r.rows) {
    if (row.status !== 'ok') {
      out.write(`${row.contender.padEnd(30)}  ${row.status}: ${row.reason}\n`);
      continue;
    }
    out.write(`${row.contender.padEnd(30)}${fmt(row.medianPps).padStart(12)}${`${row.spreadPct}%`.padStart(9)}${`${row.peakRssMb} MB`.padStart(11)}${row.mbPerSecond ? `  ${row.mbPerSecond} MB/s` : ''}\n`);
  }
  for (const x of r.ratios) {
    const speed = x.speed !== undefined ? `${x.speed}×` : 'n/a';
    const rss = x.rss !== undefined ? `, RSS ${x.rss}×` : '';
    const verdict = x.target ? `  target ${x.target}: ${x.met ? 'met' : 'NOT met'}` : '';
    out.write(x.peer === '(absolute)' ? `  ${x.ours}:${verdict}\n` : `  ${x.ours} / ${x.peer}: ${speed}${rss}${verdict}\n`);
  }
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const record = args.includes('--record');
const runsAt = args.indexOf('--runs');
const rounds = runsAt >= 0 ? Number(args[runsAt + 1]) : quick ? 3 : 5;
const wanted = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const unknown = wanted.filter((w) => w !== 'live-flood' && !SCENARIOS.some((s) => s.id === w));
if (unknown.length) {
  process.stderr.write(`unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.map((s) => s.id).join(', ')}\n`);
  process.exit(2);
}
peers = preparePeers();
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
process.stdout.write(`# pcap bench — ${new Date().toISOString()} — ${machine.cpus}× ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}${quick ? ' (quick)' : ''}\n`);
for (const [k, v] of Object.entries(peers)) if (!v.ok && !k.endsWith('-build')) process.stdout.write(`peer ${k} unavailable: ${unavailable(k)}\n`);
const results: ScenarioResult[] = [];
for (const s of SCENARIOS.filter((x) => wanted.length === 0 || wanted.includes(x.id))) {
  const r = await runScenario(s, quick, rounds);
  print(r);
  results.push(r);
}
let flood: FloodSummary | undefined;
if (wanted.length === 0 || wanted.includes('live-flood')) {
  flood = runFlood(quick ? 1 : 3);
  printFlood(flood);
}
const json = { date: new Date().toISOString(), quick, rounds, machine, peers, results, flood };
const resultsDir = join(HERE, '..', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
if (record) {
  // Scenarios run alone replace their own entries in the recorded file and keep the others.
  const path = join(resultsDir, `recorded${quick ? '-quick' : ''}.json`);
  const previous = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as typeof json) : undefined;
  const merged = previous
    ? {
        ...json,
        results: [...previous.results.filter((r) => !results.some((x) => x.id === r.id)), ...results].sort(
          (a, b) => SCENARIOS.findIndex((x) => x.id === a.id) - SCENARIOS.findIndex((x) => x.id === b.id),
        ),
        flood: flood ?? previous.flood,
      }
    : json;
  writeFileSync(path, `${JSON.stringify(merged, null, 2)}\n`);
}
process.stdout.write(`\nresults: ${join(resultsDir, 'latest.json')}\n`);
