import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root, from this file's place in it. */
export const REPO_ROOT = resolve(here, '../../../..');

/** Where seed captures come from: the repository's fixtures and the shared corpus beside the repository. */
export const SEED_DIRS = [resolve(REPO_ROOT, 'fixtures'), resolve(REPO_ROOT, '../shared/corpus')];

/** Findings listed in a failure report of an exhaustive sweep before the rest are counted only. */
export const MAX_REPORTED = 10;
