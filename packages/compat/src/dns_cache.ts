import * as dns from 'node:dns';

/** Reverse-DNS names cached for the life of the program (no TTL, as in v3). */
class DNSCache {
  cache: Record<string, string> = {};
  requests: Record<string, boolean> = {};

  /** The cached name, or `ip` itself while the first lookup is in flight. */
  ptr(ip: string): string {
    if (this.cache[ip]) return this.cache[ip];
    if (this.requests[ip] === undefined) {
      this.requests[ip] = true;
      dns.reverse(ip, (err, domains) => this.on_ptr(err, ip, domains));
    }
    return ip;
  }

  on_ptr(err: Error | null, ip: string, domains: string[] | undefined): void {
    this.cache[ip] = err || !domains || domains.length === 0 ? ip : domains[0]!;
  }
}

export = DNSCache;
