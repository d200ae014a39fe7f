export { ITERATIONS, SEED, REPLAY_PATH, STALL_MS, REPORT_FILE, runsFor, timeoutFor } from './settings.js';
export { Watchdog } from './watchdog.js';
export { allocatedBytes, collectedHeapUsed, growthDuring, growthDuringAsync, samplePeaks, type MemoryPeaks } from './memory.js';
export {
  MAX_INPUT,
  MUTATION_KINDS,
  mutation,
  mutations,
  noise,
  randomBytes,
  applyMutations,
  join,
  fromSeeds,
  FuzzInput,
  type Mutation,
  type SeedBytes,
  type FromSeedsOptions,
} from './bytes.js';
export { fuzz, fuzzAsync, type FuzzTarget, type FuzzStats } from './property.js';
export { argumentError, unknownOptionWarnings } from './misuse.js';
export { SEED_DIRS, captureFiles } from './seeds.js';
