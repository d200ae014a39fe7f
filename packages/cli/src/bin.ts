import { brokenPipe } from './broken-pipe.js';
import { run } from './main.js';

// A reader that closes the pipe early (`pcap read x | head`) is not an error. A capture
// still finishes its -w file and its summary first.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE' && !brokenPipe()) process.exit(0);
});

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pcap: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
