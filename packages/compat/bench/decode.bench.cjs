#!/usr/bin/env node
// decode.packet throughput: @pcap/compat against node_pcap 3.1.0 on the same packets (every
// packet of fixtures/ and ../shared/corpus that v3 decodes without throwing). Prints the
// ratio; not a test, no pass/fail.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { parseCapture } = require('@pcap/decode');

const root = path.join(__dirname, '..', '..', '..');
const dirs = [path.join(root, 'fixtures'), path.join(root, '..', 'shared', 'corpus')];
const NAMES = { 0: 'LINKTYPE_NULL', 1: 'LINKTYPE_ETHERNET', 12: 'LINKTYPE_RAW', 101: 'LINKTYPE_RAW', 113: 'LINKTYPE_LINUX_SLL', 127: 'LINKTYPE_IEEE802_11_RADIO' };

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(pcap|pcapng)$/.test(e.name) ? [p] : [];
  });
}

const v3 = require('pcap/decode').decode;
const compat = require('@pcap/compat').decode;
const quiet = console.log;
console.log = () => {};
const packets = [];
const ctx = vm.createContext({ run: null });
const script = new vm.Script('run()');
for (const f of dirs.flatMap(files)) {
  try {
    for (const r of parseCapture(fs.readFileSync(f))) {
      const link = NAMES[r.linkType];
      if (!link) continue;
      const header = Buffer.alloc(16);
      header.writeUInt32LE(r.seconds >>> 0, 0);
      header.writeUInt32LE(Math.floor(r.nanoseconds / 1000), 4);
      header.writeUInt32LE(r.capturedLength, 8);
      header.writeUInt32LE(r.originalLength, 12);
      const pwh = { buf: Buffer.from(r.data), header, link_type: link };
      try {
        ctx.run = () => v3(pwh);
        script.runInContext(ctx, { timeout: 200 });
        packets.push(pwh);
      } catch {
        // v3 cannot decode this one; it is left out of both runs
      }
    }
  } catch {
    // damaged file: keep what was read
  }
}

function time(decode, rounds, list) {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < rounds; i++) {
    for (const p of list) {
      if (p.copyFrom) p.copyFrom.copy(p.buf);
      sink += decode(p) ? 1 : 0;
    }
  }
  return [Number(process.hrtime.bigint() - t0) / 1e6, sink];
}

// As a session delivers them: one snap_length buffer, each packet copied in before decoding
// (the copy is timed for both).
const shared = Buffer.alloc(65535);
const sessionLike = packets.map((p) => ({ buf: shared, header: p.header, link_type: p.link_type, copyFrom: p.buf }));

const rounds = Number(process.env.ROUNDS || 200);
const best = (a) => Math.min(...a);
const lines = [];
for (const [label, list] of [['file records (buf = caplen bytes)', packets], ['session buffers (buf = 65535 bytes, copied in)', sessionLike]]) {
  time(v3, 20, list);
  time(compat, 20, list);
  const results = { v3: [], compat: [] };
  for (let i = 0; i < 5; i++) {
    results.v3.push(time(v3, rounds, list)[0]);
    results.compat.push(time(compat, rounds, list)[0]);
  }
  const n = list.length * rounds;
  const rate = (ms) => ((n / ms) * 1000).toFixed(0);
  lines.push(
    `decode.packet, ${label}: ${list.length} packets x ${rounds} rounds (best of 5)`,
    `  node_pcap 3.1.0: ${best(results.v3).toFixed(1)} ms  (${rate(best(results.v3))} packets/s)`,
    `  @pcap/compat:    ${best(results.compat).toFixed(1)} ms  (${rate(best(results.compat))} packets/s)`,
    `  compat is ${(best(results.v3) / best(results.compat)).toFixed(2)}x node_pcap`,
  );
}
console.log = quiet;
console.log(lines.join('\n'));
