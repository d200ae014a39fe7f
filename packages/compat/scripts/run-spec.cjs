#!/usr/bin/env node
// Runs node_pcap 3.1.0's spec suite (from its npm tarball) with mocha, as its Gruntfile did,
// against @pcap/compat through the path mapping in v3-paths.cjs. spec_helper.js goes first
// because other files rely on what it loads. Prints mocha's JSON report to the file given
// as the first argument, or the spec reporter's text otherwise.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const specDir = path.join(path.dirname(require.resolve('pcap/package.json')), 'spec');
function list(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? list(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));
}
const setup = path.join(specDir, 'spec_helper.js');
const files = [setup, ...list(specDir).filter((f) => f !== setup)];
const mocha = require.resolve('mocha/bin/mocha.js');
const out = process.argv[2];
const args = [mocha, '--require', path.join(__dirname, 'v3-paths.cjs'), ...(out ? ['--reporter', 'json', '--reporter-option', `output=${out}`] : []), ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: path.join(__dirname, '..') });
process.exit(r.status ?? 1);
