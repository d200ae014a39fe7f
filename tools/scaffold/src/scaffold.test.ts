import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from './generate.js';
import { newProtocol } from './main.js';

/*
 * End to end: generate one package per kind of table row into a throwaway workspace that
 * mirrors this one (packages/, .changeset/, the root tsconfig), then typecheck, test, build
 * and publint them and run their README example, exactly as a contributor would, untouched.
 * The throwaway workspace lives under tools/scaffold/.tmp so that vitest, tsup and the type
 * definitions resolve from this package's node_modules; @pcap/decode is copied in so that a
 * rebuild of it elsewhere in the tree cannot pull its dist out from under the run.
 */

const SCAFFOLD = fileURLToPath(new URL('..', import.meta.url));
const WORKSPACE = join(SCAFFOLD, '..', '..');
const DECODE = join(WORKSPACE, 'packages', 'decode');
const BIN = join(SCAFFOLD, 'node_modules', '.bin');

const CASES = [
  { name: 'ex-udp', argv: ['--udp-port', '9999'], abbrev: 'ex-udp' },
  { name: 'ex-tcp', argv: ['--tcp-port=7777', '--wireshark-name', 'extcp'], abbrev: 'extcp' },
  { name: 'ex-ip', argv: ['--ip-proto', '253'], abbrev: 'ex-ip' },
  { name: 'ex-eth', argv: ['--ethertype', '0x88b5'], abbrev: 'ex-eth' },
  // A row @pcap/decode has already (DNS): the package replaces that decoder where it is registered.
  { name: 'ex-dns', argv: ['--udp-port', '53'], abbrev: 'ex-dns' },
] as const;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; the nested vitest must not think it is a worker of this one. */
function run(file: string, args: readonly string[], cwd: string): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...env, NO_COLOR: '1', CI: '1' }, maxBuffer: 16 << 20, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function explain(r: Run): string {
  return `exit ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`;
}

/** Copies the built @pcap/decode, waiting out a rebuild that is removing and rewriting its dist. */
async function snapshotDecode(target: string): Promise<void> {
  const files = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'];
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if (!files.every((f) => existsSync(join(DECODE, 'dist', f)))) throw new Error('incomplete dist');
      mkdirSync(join(target, 'dist'), { recursive: true });
      cpSync(join(DECODE, 'package.json'), join(target, 'package.json'));
      for (const f of files) cpSync(join(DECODE, 'dist', f), join(target, 'dist', f));
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`@pcap/decode is not built (${String(e)}): run pnpm --filter @pcap/decode build`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('pnpm new-protocol', () => {
  let root = '';
  const messages: string[] = [];
  const out = { log: (t: string) => messages.push(t), error: (t: string) => messages.push(t) };

  beforeAll(async () => {
    mkdirSync(join(SCAFFOLD, '.tmp'), { recursive: true });
    root = mkdtempSync(join(SCAFFOLD, '.tmp', 'run-'));
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    writeFileSync(join(root, 'tsconfig.base.json'), JSON.stringify({ extends: relative(root, join(WORKSPACE, 'tsconfig.base.json')) }));
    // Every generated package at once, with the options of their own tsconfig.
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node'] }, include: ['packages/*/src'] }));
    writeFileSync(join(root, 'vitest.config.mjs'), "export default { test: { include: ['packages/*/src/**/*.test.ts'] } };\n");
    await snapshotDecode(join(root, 'node_modules', '@pcap', 'decode'));
  }, 60_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('creates the package and its changeset for each kind of table row', () => {
    for (const c of CASES) {
      expect(newProtocol([c.name, ...c.argv], root, out), messages.join('\n')).toBe(0);
      const dir = join(root, 'packages', c.name);
      expect(filesUnder(dir).map((f) => relative(dir, f)).sort()).toEqual(
        ['README.md', 'package.json', `src/${c.name}.test.ts`, `src/${c.name}.ts`, 'src/index.ts', 'tsconfig.json', 'tsup.config.ts'].sort(),
      );
      for (const f of filesUnder(dir)) expect(readFileSync(f, 'utf8'), f).not.toMatch(/__[A-Za-z][A-Za-z0-9_]*__/);
      const changeset = readFileSync(join(root, '.changeset', `${c.name}-initial.md`), 'utf8');
      expect(changeset).toMatch(new RegExp(`^---\\n"@pcap/${c.name}": minor\\n---\\n\\S`));
      expect(readFileSync(join(dir, 'src', `${c.name}.ts`), 'utf8')).toContain(`'${c.abbrev}.type'`);
    }
    expect(messages.join('\n')).toContain('pnpm --filter @pcap/ex-udp build');
    expect(messages.join('\n')).toContain('warning: UDP port 53 is decoded by "dns" in @pcap/decode');
  });

  it('models package.json on @pcap/decode', () => {
    const decode = JSON.parse(readFileSync(join(DECODE, 'package.json'), 'utf8'));
    const catalog = readFileSync(join(WORKSPACE, 'pnpm-workspace.yaml'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(root, 'packages', 'ex-udp', 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@pcap/ex-udp');
    expect(pkg.private).toBeUndefined();
    for (const key of ['type', 'sideEffects', 'engines', 'main', 'module', 'types', 'exports', 'files', 'license']) {
      expect(pkg[key], key).toEqual(decode[key]);
    }
    expect(pkg.scripts.build).toBe('tsup');
    expect(pkg.dependencies).toEqual({ '@pcap/decode': 'workspace:^' });
    for (const [dep, range] of Object.entries(pkg.devDependencies)) {
      expect(range, dep).toBe('catalog:');
      expect(catalog, dep).toMatch(new RegExp(`^\\s+"?${dep.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"?:`, 'm'));
    }
  });

  it('typechecks the generated sources and tests with the workspace settings', async () => {
    const r = await run(join(BIN, 'tsc'), ['-p', 'tsconfig.json'], root);
    expect(r.code, explain(r)).toBe(0);
  }, 90_000);

  it('passes its own tests untouched', async () => {
    const report = join(root, 'vitest-report.json');
    const r = await run(join(BIN, 'vitest'), ['run', '--root', '.', '--config', 'vitest.config.mjs', '--reporter=json', `--outputFile=${report}`], root);
    expect(r.code, explain(r)).toBe(0);
    const result = JSON.parse(readFileSync(report, 'utf8'));
    const perPackage = (readFileSync(join(TEMPLATES, 'package', 'src', '__name__.test.ts'), 'utf8').match(/^\s*it\(/gm) ?? []).length;
    expect(perPackage).toBeGreaterThan(5);
    expect([result.numTotalTestSuites > 0, result.numFailedTests, result.numPassedTests]).toEqual([true, 0, CASES.length * perPackage]);
  }, 90_000);

  it('builds ESM, CJS and type definitions that publint accepts', async () => {
    const dir = join(root, 'packages', 'ex-udp');
    const build = await run(join(BIN, 'tsup'), [], dir);
    expect(build.code, explain(build)).toBe(0);
    expect(readdirSync(join(dir, 'dist')).filter((f) => !f.endsWith('.map')).sort()).toEqual(['index.cjs', 'index.d.cts', 'index.d.ts', 'index.js']);
    const lint = await run(join(BIN, 'publint'), ['--strict', '--pack', 'npm'], dir);
    expect(lint.code, explain(lint)).toBe(0);
    const esm = await import(pathToFileURL(join(dir, 'dist', 'index.js')).href);
    expect(Object.keys(esm).sort()).toEqual(['ExUdp', 'exUdp', 'registerExUdp']);
    const cjs = await run(process.execPath, ['-e', "console.log(Object.keys(require('./dist/index.cjs')).sort().join(' '))"], dir);
    expect(cjs.stdout.trim(), explain(cjs)).toBe('ExUdp exUdp registerExUdp');
  }, 90_000);

  it('gives a README example that runs and prints what its comments say', async () => {
    const dir = join(root, 'packages', 'ex-udp');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const expected = example!
      .split('\n')
      .filter((l) => l.startsWith('console.log('))
      .map((l) => l.slice(l.lastIndexOf('// ') + 3));
    expect(expected).toEqual(['eth ip udp ex-udp data', 'IP 192.0.2.1.40000 > 192.0.2.2.9999: EX-UDP type 1, length 8', '1']);
    const script = join(root, 'readme-example.mjs');
    writeFileSync(script, example!.replace("'@pcap/ex-udp'", JSON.stringify(pathToFileURL(join(dir, 'dist', 'index.js')).href)));
    const r = await run(process.execPath, [script], root);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(expected);
  }, 60_000);

  it('refuses to overwrite a package, and writes nothing on bad usage', () => {
    messages.length = 0;
    expect(newProtocol(['ex-udp', '--udp-port', '9998'], root, out)).toBe(2);
    expect(messages.join('\n')).toContain('packages/ex-udp exists already');
    const before = readdirSync(join(root, 'packages')).sort();
    expect(newProtocol(['other', '--udp-port', '9998', '--tcp-port', '1'], root, out)).toBe(2);
    expect(newProtocol(['other', '--udp-port', '9998', '--wireshark-name', 'dns'], root, out)).toBe(2);
    expect(messages.join('\n')).toContain('"dns" is a built-in protocol');
    expect(readdirSync(join(root, 'packages')).sort()).toEqual(before);
    expect(existsSync(join(root, '.changeset', 'other-initial.md'))).toBe(false);
  });
});
