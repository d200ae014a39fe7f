import type { Endpoint, TcpSession } from '@pcap/tcp';

/** `ADDRESS:PORT`, IPv6 addresses in brackets (as tshark's follow prints nodes). */
export function endpoint(s: Pick<TcpSession, 'family'>, e: Endpoint): string {
  return s.family === 6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}
