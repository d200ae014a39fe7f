import { Prng } from './prng.js';
import * as P from './packets.js';

/** One generated packet: its captured bytes and, for snaplen-cut ones, its length on the wire. */
export interface Generated {
  data: Uint8Array;
  orig?: number;
}

const HOSTS = 200;
const clientIp = (n: number): number => (10 << 24) | (1 << 16) | (n & 0xffff);
const serverIp = (n: number): number => (192 << 24) | (0 << 16) | (2 << 8) | (n & 0xff);
const GATEWAY = P.mac(1);

const PATHS = ['/', '/index.html', '/api/v1/items?page=2', '/static/app.js', '/images/logo.png', '/search?q=packet+capture'];
const NAMES = ['example.com', 'www.example.org', 'api.example.net', 'cdn.example.com', 'mail.example.org', 'files.example.net'];

interface Session {
  client: number;
  server: number;
  sport: number;
  dport: number;
  seqC: number;
  seqS: number;
  ts: number;
  step: number;
  responseSegments: number;
  vlan: number;
  ipv6: boolean;
}

/** TCP sessions with Linux options and HTTP-like payloads, stepped one packet at a time. */
class TcpTraffic {
  private readonly sessions: Session[] = [];
  constructor(
    private readonly r: Prng,
    private readonly hard: boolean,
  ) {}

  private open(): Session {
    const r = this.r;
    return {
      client: r.int(HOSTS),
      server: r.int(16),
      sport: 32768 + r.int(28000),
      dport: r.pick([80, 80, 80, 8080, 443]),
      seqC: r.int(2 ** 32),
      seqS: r.int(2 ** 32),
      ts: r.int(2 ** 31),
      step: 0,
      responseSegments: 1 + r.int(6),
      vlan: r.next() < 0.1 ? 100 + r.int(10) : 0,
      ipv6: r.next() < 0.15,
    };
  }

  next(): Generated {
    if (this.sessions.length < 64) this.sessions.push(this.open());
    const i = this.r.int(this.sessions.length);
    const s = this.sessions[i]!;
    const pkt = this.packetOf(s);
    if (pkt === undefined) {
      this.sessions[i] = this.open();
      return this.next();
    }
    return pkt;
  }

  private frame(s: Session, fromClient: boolean, seg: P.TcpSegment, payload: Uint8Array): Generated {
    const unknownOption = this.hard && this.r.next() < 0.03;
    if (unknownOption) seg.options = P.concat(seg.options ?? new Uint8Array(0), Uint8Array.of(253, 6, 0x12, 0x34, 0x56, 0x78));
    const t = P.tcp(seg);
    const cmac = P.mac(0x1000 + s.client);
    const [src, dst] = fromClient ? [cmac, GATEWAY] : [GATEWAY, cmac];
    let net: Uint8Array;
    let type: number;
    if (s.ipv6) {
      const cip = P.ipv6Addr(1, s.client);
      const sip = P.ipv6Addr(2, s.server);
      const withExt = this.r.next() < 0.3;
      const ext = withExt ? P.ipv6Options(6) : new Uint8Array(0);
      net = P.concat(P.ipv6(fromClient ? cip : sip, fromClient ? sip : cip, withExt ? 0 : 6, ext.length + t.length + payload.length), ext);
      type = 0x86dd;
    } else {
      const [a, b] = fromClient ? [clientIp(s.client), serverIp(s.server)] : [serverIp(s.server), clientIp(s.client)];
      net = P.ipv4(a, b, 6, t.length + payload.length, { id: this.r.int(65536) });
      type = 0x0800;
    }
    const tags: Array<[number, number]> = s.vlan ? [[0x8100, s.vlan]] : [];
    if (this.hard && this.r.next() < 0.03) tags.unshift([0x88a8, 7]);
    const data = P.concat(P.ethernet(dst, src, type, tags), net, t, payload);
    if (this.hard && this.r.next() < 0.03 && data.length > 60) return { data: data.subarray(0, 54 + this.r.int(6)), orig: data.length };
    return { data };
  }

  private packetOf(s: Session): Generated | undefined {
    const r = this.r;
    s.ts += 1 + r.int(3);
    const c = (flags: number, payload: Uint8Array, options?: Uint8Array): Generated => {
      const g = this.frame(s, true, { sport: s.sport, dport: s.dport, seq: s.seqC, ack: s.seqS, flags, window: 502, options: options ?? P.tsOptions(s.ts, s.ts - 7) }, payload);
      s.seqC = (s.seqC + payload.length + (flags & 0x03 ? 1 : 0)) >>> 0;
      return g;
    };
    const sv = (flags: number, payload: Uint8Array, options?: Uint8Array): Generated => {
      const g = this.frame(s, false, { sport: s.dport, dport: s.sport, seq: s.seqS, ack: s.seqC, flags, window: 509, options: options ?? P.tsOptions(s.ts + 3, s.ts) }, payload);
      s.seqS = (s.seqS + payload.length + (flags & 0x03 ? 1 : 0)) >>> 0;
      return g;
    };
    const empty = new Uint8Array(0);
    switch (s.step++) {
      case 0:
        return c(0x02, empty, P.synOptions(s.ts, 0));
      case 1:
        return sv(0x12, empty, P.synOptions(s.ts + 3, s.ts));
      case 2:
        return c(0x10, empty);
      case 3:
        return c(
          0x18,
          Buffer.from(`GET ${r.pick(PATHS)} HTTP/1.1\r\nHost: ${r.pick(NAMES)}\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`),
        );
      case 4:
        return sv(0x10, empty);
      default: {
        const k = s.step - 6;
        if (k < s.responseSegments) {
          const size = k === s.responseSegments - 1 ? 100 + r.int(1300) : 1448;
          const body = new Uint8Array(size);
          if (k === 0) body.set(Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${size * s.responseSegments}\r\n\r\n`));
          return sv(0x18, body);
        }
        if (k === s.responseSegments) return c(0x10, empty);
        if (k === s.responseSegments + 1) return c(0x11, empty);
        if (k === s.responseSegments + 2) return sv(0x11, empty);
        if (k === s.responseSegments + 3) return c(0x10, empty);
        return undefined;
      }
    }
  }
}

/**
 * The mixed Ethernet traffic of the main benchmark capture: TCP/HTTP sessions, UDP flows, DNS
 * with compression and EDNS0, ARP, ICMP, ICMPv6, IPv6 with extension headers, IPv4 fragments,
 * about 10 % VLAN-tagged. `hard` adds a few percent of what node_pcap v3 cannot decode:
 * unknown TCP options, snaplen-cut packets and stacked VLAN tags.
 */
export function* mixedTraffic(seed: number, hard: boolean): Generator<Generated> {
  const r = new Prng(seed);
  const tcp = new TcpTraffic(r, hard);
  const vlan = (): Array<[number, number]> => (r.next() < 0.1 ? [[0x8100, 200 + r.int(4)]] : []);
  for (;;) {
    const x = r.next();
    if (x < 0.62) {
      yield tcp.next();
    } else if (x < 0.74) {
      const payload = r.bytes(40 + r.int(460));
      const a = clientIp(r.int(HOSTS));
      const b = serverIp(r.int(16));
      yield { data: P.concat(P.ethernet(GATEWAY, P.mac(0x2000), 0x0800, vlan()), P.ipv4(a, b, 17, 8 + payload.length), P.udp(40000 + r.int(1000), r.pick([5004, 9999, 10000, 12345]), payload.length), payload) };
    } else if (x < 0.84) {
      const id = r.int(65536);
      const name = r.pick(NAMES);
      const c = clientIp(r.int(HOSTS));
      const srv = serverIp(53);
      const sport = 30000 + r.int(30000);
      const q = P.dns(id, name, undefined);
      const ans = P.dns(id, name, [serverIp(r.int(200)), serverIp(r.int(200))]);
      yield { data: P.concat(P.ethernet(GATEWAY, P.mac(0x1000), 0x0800, vlan()), P.ipv4(c, srv, 17, 8 + q.length), P.udp(sport, 53, q.length), q) };
      yield { data: P.concat(P.ethernet(P.mac(0x1000), GATEWAY, 0x0800), P.ipv4(srv, c, 17, 8 + ans.length), P.udp(53, sport, ans.length), ans) };
    } else if (x < 0.86) {
      const h = r.int(HOSTS);
      yield { data: P.concat(P.ethernet(Uint8Array.of(255, 255, 255, 255, 255, 255), P.mac(0x1000 + h), 0x0806), P.arp(1, P.mac(0x1000 + h), clientIp(h), new Uint8Array(6), clientIp(1)), new Uint8Array(18)) };
    } else if (x < 0.89) {
      const payload = r.bytes(56);
      const icmp = P.icmpEcho(r.next() < 0.5 ? 8 : 0, r.int(65536), r.int(65536), payload);
      yield { data: P.concat(P.ethernet(GATEWAY, P.mac(0x3000), 0x0800, vlan()), P.ipv4(clientIp(r.int(HOSTS)), serverIp(r.int(16)), 1, icmp.length), icmp) };
    } else if (x < 0.91) {
      const icmp = P.icmpEcho(r.next() < 0.5 ? 128 : 129, r.int(65536), r.int(65536), r.bytes(56));
      yield { data: P.concat(P.ethernet(GATEWAY, P.mac(0x3000), 0x86dd), P.ipv6(P.ipv6Addr(1, r.int(HOSTS)), P.ipv6Addr(2, 1), 58, icmp.length), icmp) };
    } else if (x < 0.97) {
      const payload = r.bytes(20 + r.int(300));
      const ext = P.concat(P.ipv6Options(60), P.ipv6Options(17));
      yield {
        data: P.concat(
          P.ethernet(GATEWAY, P.mac(0x4000), 0x86dd, vlan()),
          P.ipv6(P.ipv6Addr(1, r.int(HOSTS)), P.ipv6Addr(2, r.int(16)), 0, ext.length + 8 + payload.length, r.int(0xfffff)),
          ext,
          P.udp(50000 + r.int(1000), 9999, payload.length),
          payload,
        ),
      };
    } else {
      // A UDP datagram of 2000 bytes in two IPv4 fragments.
      const id = r.int(65536);
      const a = clientIp(r.int(HOSTS));
      const b = serverIp(r.int(16));
      const body = r.bytes(2000);
      const first = P.concat(P.udp(7000, 7001, body.length), body.subarray(0, 1472));
      const rest = body.subarray(1472);
      yield { data: P.concat(P.ethernet(GATEWAY, P.mac(0x5000), 0x0800), P.ipv4(a, b, 17, first.length, { id, mf: true, fragOffset: 0 }), first) };
      yield { data: P.concat(P.ethernet(GATEWAY, P.mac(0x5000), 0x0800), P.ipv4(a, b, 17, rest.length, { id, fragOffset: first.length / 8 }), rest) };
    }
  }
}

/** Radiotap + 802.11: beacons, probe requests and responses, QoS and plain data frames carrying IPv4. */
export function* radiotapTraffic(seed: number): Generator<Generated> {
  const r = new Prng(seed);
  const aps = Array.from({ length: 12 }, (_, i) => ({ bssid: P.mac(0xa000 + i), ssid: `net-${i.toString(16)}`, channel: [1, 6, 11, 36, 44][i % 5]! }));
  const bcast = Uint8Array.of(255, 255, 255, 255, 255, 255);
  let seq = 0;
  let tsf = 1_000_000;
  for (;;) {
    const ap = r.pick(aps);
    const freq = ap.channel <= 14 ? 2407 + ap.channel * 5 : 5000 + ap.channel * 5;
    tsf += 100 + r.int(5000);
    seq = (seq + 1) & 0xfff;
    const rt = P.radiotap(tsf, r.pick([2, 4, 11, 22, 12, 108]), freq, -40 - r.int(50));
    const x = r.next();
    if (x < 0.35) {
      yield { data: P.concat(rt, P.dot11Mgmt(8, bcast, ap.bssid, ap.bssid, seq), P.beaconBody(ap.ssid, ap.channel, tsf)) };
    } else if (x < 0.5) {
      const sta = P.mac(0xb000 + r.int(300));
      yield { data: P.concat(rt, P.dot11Mgmt(4, bcast, sta, bcast, seq), P.probeRequestBody(r.next() < 0.5 ? '' : ap.ssid)) };
    } else if (x < 0.6) {
      const sta = P.mac(0xb000 + r.int(300));
      yield { data: P.concat(rt, P.dot11Mgmt(5, sta, ap.bssid, ap.bssid, seq), P.beaconBody(ap.ssid, ap.channel, tsf)) };
    } else {
      const sta = P.mac(0xb000 + r.int(300));
      const payload = r.bytes(20 + r.int(400));
      const ip = P.concat(P.ipv4(clientIp(r.int(HOSTS)), serverIp(r.int(16)), 17, 8 + payload.length), P.udp(40000 + r.int(100), 443, payload.length), payload);
      yield { data: P.concat(rt, P.dot11Data(ap.bssid, sta, GATEWAY, seq, r.next() < 0.7, 0x0800), ip) };
    }
  }
}
