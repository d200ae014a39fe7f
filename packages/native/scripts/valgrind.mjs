#!/usr/bin/env node
// Runs the lifecycle scenarios (scripts/valgrind-smoke.mjs) under valgrind's memcheck with N
// and 10×N rounds (and again with the addon loaded only by short-lived workers), and fails on any invalid read, write or free, on a scenario that
// behaved wrongly, or when memory definitely or indirectly lost at exit grows with the rounds
// (a leak per capture would show as growth; what Node itself never frees stays constant).
//   pnpm --filter @pcap/native valgrind              N = 2 (needs valgrind; live parts need root)
//   node scripts/valgrind.mjs --rounds 5             N = 5
// Uninitialised-value reports are off: V8's JIT produces false positives under memcheck.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' }, 'max-growth': { type: 'string', default: '0' } } });
const n = Math.max(1, Number(values.rounds) || 2);
const allowed = Number(values['max-growth']);

function bytes(text, kind) {
  const m = new RegExp(`${kind}: ([\\d,]+) bytes in ([\\d,]+) blocks`).exec(text);
  return m ? { bytes: Number(m[1].replaceAll(',', '')), blocks: Number(m[2].replaceAll(',', '')) } : { bytes: 0, blocks: 0 };
}

function memcheck(rounds, mode = []) {
  const args = [
    '--error-exitcode=99',
    '--undef-value-errors=no',
    '--leak-check=full',
    '--show-leak-kinds=definite,indirect',
    '--errors-for-leak-kinds=none',
    '--trace-children=no',
    process.execPath,
    '--expose-gc',
    join(root, 'scripts', 'valgrind-smoke.mjs'),
    '--rounds',
    String(rounds),
    '--quiet',
    ...mode,
  ];
  const started = Date.now();
  const r = spawnSync('valgrind', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) {
    console.error(`valgrind could not be run (${r.error.message}); install it, e.g. apt-get install valgrind`);
    process.exit(2);
  }
  const out = r.stderr;
  const errors = Number(/ERROR SUMMARY: ([\d,]+) errors/.exec(out)?.[1]?.replaceAll(',', '') ?? NaN);
  const invalid = (out.match(/^==\d+== (Invalid (read|write|free)|Mismatched free|Source and destination overlap|Syscall param)/gm) ?? []).length;
  const result = {
    mode: mode.length ? 'workers-only' : 'all scenarios',
    rounds,
    seconds: Math.round((Date.now() - started) / 1000),
    status: r.status,
    scenarios: r.stdout.trim().split('\n').at(-1),
    errors,
    invalid,
    definitelyLost: bytes(out, 'definitely lost'),
    indirectlyLost: bytes(out, 'indirectly lost'),
    possiblyLost: bytes(out, 'possibly lost'),
  };
  console.log(JSON.stringify(result));
  for (const line of out.split('\n').filter((l) => l.startsWith('memcheck: FAILED'))) console.log(line);
  if (errors > 0 || r.status !== 0) {
    const first = out.split('\n').filter((l) => /^==\d+== (Invalid|Mismatched|Source|Syscall|   (at|by) )/.test(l)).slice(0, 40);
    if (first.length) console.log(first.join('\n'));
    if (r.status !== 0 && r.stdout) console.log(r.stdout);
  }
  return result;
}

const lost = (x) => x.definitelyLost.bytes + x.indirectlyLost.bytes;
let ok = true;
// Every scenario in one process; then the addon loaded only by workers that come and go, so
// that it is unloaded and loaded again each round.
for (const mode of [[], ['--workers-only']]) {
  const small = memcheck(n, mode);
  const large = memcheck(10 * n, mode);
  const growth = lost(large) - lost(small);
  const pass = [small, large].every((x) => x.status === 0 && x.errors === 0 && x.invalid === 0) && growth <= allowed;
  ok &&= pass;
  console.log(
    `valgrind (${small.mode}): ${pass ? 'PASS' : 'FAIL'}: ${small.errors + large.errors} memcheck errors; lost at exit ${lost(small)} bytes after ${n} rounds, ` +
      `${lost(large)} bytes after ${10 * n} rounds (growth ${growth}, allowed ${allowed})`,
  );
}
process.exit(ok ? 0 : 1);
