#!/usr/bin/env node
// Builds the addon with AddressSanitizer in a directory of its own (never build/, which the
// package and everyone's tests keep using) and runs the lifecycle scenarios
// (scripts/valgrind-smoke.mjs) with it: N rounds, then 10×N rounds; then again with the addon
// loaded only by short-lived workers, so that it is unloaded and loaded again each round.
//   pnpm --filter @pcap/native asan                 N = 2 (Linux, gcc or clang; live parts need root)
//   node scripts/asan.mjs --rounds 5 --dir /tmp/x   N = 5, build in /tmp/x
//   node scripts/asan.mjs --no-build                reuse the last ASan build
// Node itself is not instrumented, so the ASan runtime is preloaded (LD_PRELOAD) and the
// addon is picked with PCAP_NATIVE_ADDON. Any ASan report (invalid access, double free…)
// fails the run. LeakSanitizer reports everything Node never frees at exit too; a leak counts
// against the addon when its allocation stack passes through pcap_native.node or libpcap,
// and the run fails if there is any such leak.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    dir: { type: 'string', default: join(tmpdir(), 'pcap-native-asan') },
    'no-build': { type: 'boolean', default: false },
    cc: { type: 'string', default: process.env.CC ?? 'gcc' },
  },
});
const n = Math.max(1, Number(values.rounds) || 2);
const work = values.dir;
const addon = join(work, 'build', 'Release', 'pcap_native.node');

function sh(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...options });
  if (r.error) throw r.error;
  return r;
}

if (!values['no-build']) {
  mkdirSync(work, { recursive: true });
  copyFileSync(join(root, 'binding.gyp'), join(work, 'binding.gyp'));
  if (!existsSync(join(work, 'native'))) symlinkSync(join(root, 'native'), join(work, 'native'));
  const flags = '-fsanitize=address -fno-omit-frame-pointer -g -O1';
  const env = {
    ...process.env,
    CFLAGS: flags,
    CXXFLAGS: flags,
    LDFLAGS: '-fsanitize=address',
    // binding.gyp asks node for node-addon-api's include directory from the build directory.
    NODE_PATH: join(root, 'node_modules'),
  };
  const headers = join(dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && existsSync(join(headers, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = headers;
  const gyp = sh(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild'], { cwd: work, env, stdio: 'inherit' });
  if (gyp.status !== 0) {
    console.error('asan: building the addon with -fsanitize=address failed');
    process.exit(2);
  }
}
if (!existsSync(addon)) {
  console.error(`asan: ${addon} is missing; run without --no-build`);
  process.exit(2);
}
const linked = sh('ldd', [addon]).stdout;
if (!/libasan/.test(linked)) {
  console.error(`asan: ${addon} is not linked with libasan`);
  process.exit(2);
}
const runtime = sh(values.cc, ['-print-file-name=libasan.so']).stdout.trim();

/**
 * Whether the code that asked for the memory is the addon or libpcap: the first frame past the
 * allocator and the C++ library. An addon unloaded before exit (workers-only mode) has no
 * symbols any more and shows as "<unknown module>"; V8's generated code never calls malloc
 * itself, so that frame is taken as the addon's too.
 */
function allocatedByAddon(frames) {
  const caller = frames.find((f) => !/libsanitizer|__interceptor_|\b(operator new|malloc|calloc|realloc|posix_memalign|strdup)\b|libstdc\+\+/.test(f));
  return caller !== undefined && /pcap_native\.node|pcapnative::|libpcap\.so|<unknown module>/.test(caller);
}

function run(rounds, mode = []) {
  const env = {
    ...process.env,
    PCAP_NATIVE_ADDON: addon,
    LD_PRELOAD: runtime,
    // Node is not built with ASan: no link-order check; Node handles SIGSEGV itself (WebAssembly).
    ASAN_OPTIONS: 'detect_leaks=1:halt_on_error=1:verify_asan_link_order=0:handle_segv=0:detect_odr_violation=0:allocator_may_return_null=1',
    LSAN_OPTIONS: 'report_objects=0:max_leaks=0:exitcode=23',
  };
  const started = Date.now();
  const r = sh(process.execPath, ['--expose-gc', join(root, 'scripts', 'valgrind-smoke.mjs'), '--rounds', String(rounds), '--quiet', ...mode], { cwd: root, env });
  const err = r.stderr;
  const asanErrors = (err.match(/ERROR: AddressSanitizer/g) ?? []).length;
  // Leak reports: "Direct leak of N byte(s) in M object(s) allocated from:" followed by frames.
  const leaks = [];
  for (const block of err.split(/\n(?=(?:Direct|Indirect) leak of )/)) {
    const m = /^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object/.exec(block);
    if (!m) continue;
    const frames = block.split('\n').filter((l) => /^\s+#\d+ /.test(l));
    leaks.push({ kind: m[1], bytes: Number(m[2]), objects: Number(m[3]), ours: allocatedByAddon(frames), frames });
  }
  const ours = leaks.filter((l) => l.ours);
  const result = {
    mode: mode.length ? 'workers-only' : 'all scenarios',
    rounds,
    seconds: Math.round((Date.now() - started) / 1000),
    status: r.status,
    scenarios: r.stdout.trim().split('\n').at(-1),
    asanErrors,
    leaksTotal: { reports: leaks.length, bytes: leaks.reduce((a, l) => a + l.bytes, 0) },
    leaksAddon: { reports: ours.length, bytes: ours.reduce((a, l) => a + l.bytes, 0) },
  };
  console.log(JSON.stringify(result));
  if (asanErrors) console.log(err.slice(err.indexOf('ERROR: AddressSanitizer')).split('\n').slice(0, 40).join('\n'));
  for (const l of ours.slice(0, 5)) console.log(`${l.kind} leak of ${l.bytes} bytes:\n${l.frames.slice(0, 12).join('\n')}`);
  for (const line of err.split('\n').filter((l) => l.startsWith('memcheck: FAILED'))) console.log(line);
  return result;
}

// LeakSanitizer makes the exit status 23 when it found any leak, Node's own included.
const clean = (x) => x.asanErrors === 0 && x.leaksAddon.reports === 0 && /0 failed/.test(x.scenarios ?? '') && (x.status === 0 || x.status === 23);
let ok = true;
for (const mode of [[], ['--workers-only']]) {
  const small = run(n, mode);
  const large = run(10 * n, mode);
  const pass = clean(small) && clean(large);
  ok &&= pass;
  console.log(
    `asan (${small.mode}): ${pass ? 'PASS' : 'FAIL'}: ${small.asanErrors + large.asanErrors} AddressSanitizer errors; leaks through the addon: ` +
      `${small.leaksAddon.bytes} bytes after ${n} rounds, ${large.leaksAddon.bytes} after ${10 * n}; ` +
      `all unfreed memory at exit, Node's included: ${small.leaksTotal.bytes} and ${large.leaksTotal.bytes} bytes`,
  );
}
process.exit(ok ? 0 : 1);
