import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from this file's place in it (`tools/fuzz/src` or `tools/fuzz/dist`). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where seed captures come from: the repository's fixtures and the shared corpus beside the repository. */
export const SEED_DIRS: readonly string[] = [resolve(REPO_ROOT, 'fixtures'), resolve(REPO_ROOT, '../shared/corpus')];

/** The capture files under `dir` (any depth), sorted; none when `dir` is absent. */
export function captureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}
