// Builds one CommonJS module per source file (so main, deep imports and the tracker share
// class identities), copies the radiotap field table and writes the ESM entry wrapper.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

const json = 'decode/ieee802.11/radiotap_fields.json';
mkdirSync(dirname(join(dist, json)), { recursive: true });
copyFileSync(join(root, 'src', json), join(dist, json));

const names = [
  'decode', 'TCPTracker', 'TCPSession', 'DNSCache', 'lib_version', 'findalldevs',
  'Pcap', 'PcapSession', 'createSession', 'createOfflineSession',
];
writeFileSync(
  join(dist, 'pcap.mjs'),
  `import pcap from './pcap.js';\nexport default pcap;\nexport const { ${names.join(', ')} } = pcap;\n` +
    `/** Reads the live module value, so reassigning \`warningHandler\` on the CommonJS module is seen here. */\n` +
    `export function warningHandler(text) { return pcap.warningHandler(text); }\n`,
);
writeFileSync(
  join(dist, 'pcap.d.mts'),
  `import pcap from './pcap.js';\nexport default pcap;\n` +
    [...names, 'warningHandler'].map((n) => `export declare const ${n}: (typeof pcap)['${n}'];\n`).join(''),
);
