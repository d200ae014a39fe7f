/** Where seed captures come from: the repository's fixtures and the shared corpus beside the repository. */
export { SEED_DIRS } from '@pcap/fuzz';

/** Findings listed in a failure report of an exhaustive sweep before the rest are counted only. */
export const MAX_REPORTED = 10;
