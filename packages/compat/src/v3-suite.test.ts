/**
 * node_pcap 3.1.0's own spec suite (from its npm tarball), run with mocha against
 * @pcap/compat through a path mapping only. Its one test that asserts 3.1.0's DNS flag bug
 * is the only failure expected.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

it('passes node_pcap 3.1.0 spec/ except the test of its DNS flag bug', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compat-spec-'));
  const out = join(dir, 'report.json');
  try {
    try {
      execFileSync(process.execPath, [join(packageDir, 'scripts', 'run-spec.cjs'), out], { cwd: packageDir, stdio: 'pipe' });
    } catch {
      // mocha exits non-zero for the expected failure; the report says what failed.
    }
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      stats: { passes: number; failures: number };
      failures: { fullTitle: string }[];
    };
    expect(report.failures.map((f) => f.fullTitle)).toEqual([
      'Dns #decode() sets #header.isRecursionDesired to true if a recursive look up was desired',
    ]);
    expect(report.stats.passes).toBeGreaterThanOrEqual(199);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
