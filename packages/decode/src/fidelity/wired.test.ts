import { describe, expect, it } from 'vitest';
import { WIRED_FIELDS } from '../test/wired.js';
import { compareGoldens, CORPUS, hasGoldens } from './golden.js';

// The fidelity check of ../shared/tools/compare-fields.sh for the link, network and transport
// fields, run in process against the stored tshark 4.0.17 expectations (NAME.fields.tsv).
describe('fidelity of link, network and transport fields against tshark 4.0.17', () => {
  if (!hasGoldens(CORPUS)) console.log(`wired fidelity: skipped, no corpus with stored tshark fields at ${CORPUS}`);
  it.skipIf(!hasGoldens(CORPUS))(
    'matches the stored tshark output for every packet of every corpus file',
    async () => {
      const { packets, files, mismatches } = await compareGoldens(CORPUS, WIRED_FIELDS);
      console.log(`wired fidelity: ${packets} packets of ${files} files compared`);
      expect(packets).toBeGreaterThan(0);
      expect(mismatches.slice(0, 20)).toEqual([]);
    },
    120_000,
  );
});
