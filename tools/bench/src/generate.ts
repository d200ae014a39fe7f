import { generate, type DataKind } from './data.js';

// pcap-bench-generate KIND COUNT OUT.pcap — writes a deterministic benchmark capture.
const [kind, count, out] = process.argv.slice(2);
if (!kind || !['mixed', 'hard', 'radiotap'].includes(kind) || !count || !out) {
  process.stderr.write('usage: generate mixed|hard|radiotap COUNT OUT.pcap\n');
  process.exit(2);
}
await generate(kind as DataKind, Number(count), out);
