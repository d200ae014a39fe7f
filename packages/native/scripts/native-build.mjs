#!/usr/bin/env node
// Compiles the addon with node-gyp.
//   node scripts/native-build.mjs            build/Release/pcap_native.node; fails loudly
//   node scripts/native-build.mjs --install  what `node-gyp-build` does at install time: keep a
//                                            matching prebuild, else compile; a failed compile
//                                            only warns, so installing never breaks. The package
//                                            then reports BINDING_MISSING when capture is used.
// Node's own headers are used when installed beside node, so no header download is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const install = process.argv.includes('--install');

if (install) {
  try {
    const found = require('node-gyp-build').resolve(root);
    console.log(`@pcap/native: using ${found}`);
    process.exit(0);
  } catch {
    // No prebuild for this platform: compile below.
  }
}

const env = { ...process.env };
const headers = join(dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(join(headers, 'include', 'node', 'node_api.h'))) {
  env.npm_config_nodedir = headers;
}
// npm hands its bundled node-gyp to install scripts; otherwise use ours (a devDependency).
let nodeGyp = env.npm_config_node_gyp || undefined;
if (!nodeGyp) {
  try {
    nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    nodeGyp = undefined;
  }
}
const run = nodeGyp
  ? spawnSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: root, env, stdio: 'inherit' })
  : spawnSync(process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp', ['rebuild'], {
      cwd: root,
      env,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
const ok = run.status === 0;
if (!ok && install) {
  console.warn(
    '@pcap/native: no prebuilt binary for this platform and compiling failed ' +
      '(needs python3, make and a C++ compiler, plus libpcap headers). ' +
      'Installation continues; capturing will report BINDING_MISSING until `npm rebuild @pcap/native` succeeds.',
  );
  process.exit(0);
}
process.exit(ok ? 0 : run.status ?? 1);
