import { spawnSync } from 'node:child_process';

/** Two network namespaces joined by a veth pair, made for one test file and removed after. */
export interface VethPair {
  nsA: string;
  nsB: string;
  devA: string;
  devB: string;
  addrA: string;
  addrB: string;
  macA: string;
  macB: string;
  remove(): void;
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

/** Creates the pair; throws with `ip`'s message if the system refuses. */
export function createVethPair(tag: string): VethPair {
  const id = `${tag}${process.pid % 100000}`;
  const pair: VethPair = {
    nsA: `pcapn-a-${id}`,
    nsB: `pcapn-b-${id}`,
    devA: `pna${id}`.slice(0, 15),
    devB: `pnb${id}`.slice(0, 15),
    addrA: '10.231.7.1',
    addrB: '10.231.7.2',
    macA: '02:00:0a:e7:07:01',
    macB: '02:00:0a:e7:07:02',
    remove() {
      for (const ns of [pair.nsA, pair.nsB]) spawnSync('ip', ['netns', 'del', ns]);
    },
  };
  pair.remove();
  try {
    ip(['netns', 'add', pair.nsA]);
    ip(['netns', 'add', pair.nsB]);
    ip(['link', 'add', pair.devA, 'netns', pair.nsA, 'address', pair.macA, 'type', 'veth', 'peer', 'name', pair.devB, 'netns', pair.nsB, 'address', pair.macB]);
    for (const [ns, dev, addr] of [
      [pair.nsA, pair.devA, pair.addrA],
      [pair.nsB, pair.devB, pair.addrB],
    ] as const) {
      ip(['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev]);
      ip(['-n', ns, 'link', 'set', dev, 'up']);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      // No IPv6 chatter (DAD, router solicitations) in the captures.
      spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
    }
    // Static neighbours: no ARP packets besides the test's own.
    ip(['-n', pair.nsA, 'neigh', 'add', pair.addrB, 'lladdr', pair.macB, 'dev', pair.devA]);
    ip(['-n', pair.nsB, 'neigh', 'add', pair.addrA, 'lladdr', pair.macA, 'dev', pair.devB]);
  } catch (err) {
    pair.remove();
    throw err;
  }
  return pair;
}
