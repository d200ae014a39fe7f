// Path mapping for running node_pcap 3.1.0's own spec suite and examples against this package:
// any module the suite loads from the pcap package itself (decode/*, util, tcp_tracker,
// dns_cache, pcap) resolves to the same path in @pcap/compat instead. Files of the suite
// (spec/, examples/) and third-party modules resolve as usual.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const v3Root = path.dirname(require.resolve('pcap/package.json'));
const own = new Set(['spec', 'examples']);
const original = Module._resolveFilename;

Module._resolveFilename = function resolveToCompat(request, parent, ...rest) {
  const resolvedV3 = (() => {
    if (!request.startsWith('.') || !parent || !parent.filename) return undefined;
    const target = path.resolve(path.dirname(parent.filename), request);
    const rel = path.relative(v3Root, target);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const first = rel.split(path.sep)[0];
    if (own.has(first)) return undefined;
    return rel.split(path.sep).join('/').replace(/\.js$/, '');
  })();
  if (resolvedV3 !== undefined) {
    const mapped = resolvedV3 === 'pcap' || resolvedV3 === '' ? '@pcap/compat' : `@pcap/compat/${resolvedV3}`;
    return original.call(this, mapped, module, ...rest);
  }
  return original.call(this, request, parent, ...rest);
};
