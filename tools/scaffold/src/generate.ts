import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistry } from '@pcap/decode';
import { exampleFrame, type Carrier } from './frame.js';
import { UsageError, type ProtocolNames } from './names.js';
import { render } from './render.js';

/** The templates: `package/` becomes `packages/<name>/`, `changeset/` goes to `.changeset/`. */
export const TEMPLATES = fileURLToPath(new URL('../templates/', import.meta.url));

export interface GenerateOptions {
  /** The workspace root: the directory holding `packages/` and `.changeset/`. */
  readonly root: string;
  readonly names: ProtocolNames;
  readonly carrier: Carrier;
}

export interface Generated {
  /** The package directory created. */
  readonly packageDir: string;
  /** Every file written, relative to the root. */
  readonly files: readonly string[];
  /** Things the user should know, e.g. that the row replaces a built-in decoder. */
  readonly warnings: readonly string[];
}

/**
 * Creates `packages/<name>` and `.changeset/<name>-initial.md` under `root`. Everything is
 * rendered before anything is written, and nothing that exists is overwritten.
 */
export function generate({ root, names, carrier }: GenerateOptions): Generated {
  const packageDir = join(root, 'packages', names.name);
  const changeset = join(root, '.changeset', `${names.name}-initial.md`);
  for (const path of [packageDir, changeset]) {
    if (existsSync(path)) throw new UsageError(`${relative(root, path)} exists already`);
  }
  const taken = workspacePackageNames(root);
  if (taken.has(`@pcap/${names.name}`)) throw new UsageError(`@pcap/${names.name} exists already (${taken.get(`@pcap/${names.name}`)})`);
  const builtins = defaultRegistry();
  if (builtins.protocol(names.abbrev)) {
    throw new UsageError(`"${names.abbrev}" is a built-in protocol of @pcap/decode; choose another --wireshark-name`);
  }
  const warnings: string[] = [];
  const current = builtins.lookup(carrier.table, carrier.key);
  if (current) {
    warnings.push(
      `${carrierText(carrier)} is decoded by "${current.name}" in @pcap/decode: registering @pcap/${names.name} replaces that decoder, and the tcpdump line in the test shows the carrier only`,
    );
  }

  const values = tokenValues(names, carrier);
  const out = new Map<string, string>();
  for (const file of listFiles(join(TEMPLATES, 'package'))) {
    out.set(join(packageDir, render(file, values, file)), render(readFileSync(join(TEMPLATES, 'package', file), 'utf8'), values, file));
  }
  for (const file of listFiles(join(TEMPLATES, 'changeset'))) {
    out.set(join(root, '.changeset', render(file, values, file)), render(readFileSync(join(TEMPLATES, 'changeset', file), 'utf8'), values, file));
  }
  for (const [path, text] of out) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
  }
  return { packageDir, files: [...out.keys()].map((p) => relative(root, p)), warnings };
}

/** The value of every template token. */
export function tokenValues(names: ProtocolNames, carrier: Carrier): Record<string, string> {
  const frame = exampleFrame(carrier);
  const lower = frame.lower.map((l) => `'${l}'`).join(', ');
  return {
    name: names.name,
    Name: names.pascal,
    camel: names.camel,
    abbrev: names.abbrev,
    LABEL: names.label,
    table: carrier.table,
    key: carrier.table === 'ethertype' ? `0x${carrier.key.toString(16).padStart(4, '0')}` : String(carrier.key),
    carrier_text: carrierText(carrier),
    tcpdump: frame.tcpdump,
    frame_hex: frame.hexLines.join('\n  '),
    frame_hex_line: frame.hexLines.join('').replace(/ /g, ''),
    offset: String(frame.headerOffset),
    lower,
    layers_text: [...frame.lower, names.abbrev, 'data'].join(' '),
    summary: `${frame.summaryPrefix}${names.label} type 1, length 8`,
  };
}

function carrierText(carrier: Carrier): string {
  switch (carrier.table) {
    case 'udp.port':
      return `UDP port ${carrier.key}`;
    case 'tcp.port':
      return `TCP port ${carrier.key}`;
    case 'ip.proto':
      return `IP protocol ${carrier.key}`;
    case 'ethertype':
      return `EtherType 0x${carrier.key.toString(16).padStart(4, '0')}`;
  }
}

/** Files under `dir`, relative to it, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? join(prefix, entry.name) : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, path));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

/** Names of the packages under `packages/` and `tools/`, with their directories. */
function workspacePackageNames(root: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const group of ['packages', 'tools']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const manifest = join(dir, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      try {
        const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
        if (typeof name === 'string') names.set(name, `${group}/${entry.name}`);
      } catch {
        // A manifest being edited or broken is not ours to judge.
      }
    }
  }
  return names;
}
