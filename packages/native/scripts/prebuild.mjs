#!/usr/bin/env node
// Builds prebuilds/<platform>-<arch>/@pcap+native.node with prebuildify (N-API, stripped)
// for the running Node. When this Node's own headers are installed (Debian's nodejs, the
// official tarballs), they are used, so the build needs no download.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const prebuildify = require.resolve('prebuildify/bin.js');

const env = { ...process.env };
const headers = join(dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(join(headers, 'include', 'node', 'node_api.h'))) {
  env.npm_config_nodedir = headers;
}
const args = [prebuildify, '--napi', '--strip', '--tag-libc', '--target', `node@${process.versions.node}`, ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
