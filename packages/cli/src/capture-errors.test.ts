// Mistakes the command line lets through to the library come back as one line in the
// command's own terms, with the usage exit status. These are refused before any device is
// opened, so they need no privileges.
import { describe, expect, it } from 'vitest';
import { pcap } from './test/run-cli.js';

describe('capture option limits', () => {
  it.each([
    [['--buffer-size', '3000000'], 'pcap: --buffer-size is too large: at most 2097151 KiB (2 GiB)\n'],
    [['--snaplen', '99999999999'], 'pcap: --snaplen is too large: at most 2147483647 bytes (libpcap keeps at most 262144 anyway)\n'],
    [['--timeout', '99999999999'], 'pcap: --timeout is too large: at most 2147483647 milliseconds\n'],
  ])('pcap capture -i lo %s is a usage error naming the flag', (args, stderr) => {
    const r = pcap(['capture', '-i', 'lo', '-c', '1', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr);
  });

  it('the largest --buffer-size is still accepted (the limit is not off by one)', () => {
    // Without privileges the capture then fails on permission, as root it opens: either way
    // the option itself was not the problem.
    const r = pcap(['capture', '-i', 'nosuchdev0', '-c', '1', '--buffer-size', '2097151']);
    expect(r.stderr).not.toMatch(/buffer-size/);
    expect(r.status).toBe(1);
  });
});
