import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCapture, type CaptureRecord } from '@pcap/decode';
import { v3LinkType } from '../internal/linktype';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (packages/compat/src/test → ../../../..). */
export const repoRoot = join(here, '..', '..', '..', '..');
export const fixturesDir = join(repoRoot, 'fixtures');
export const corpusDir = join(repoRoot, '..', 'shared', 'corpus');

/** Capture files under `dir`, recursively, sorted. */
export function captureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captureFiles(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out;
}

/** A record as a v3 session hands it out: `{buf, header, link_type}` with the 16-byte header. */
export interface PacketWithHeader {
  buf: Buffer;
  header: Buffer;
  link_type: string;
}

export function toPacketWithHeader(r: CaptureRecord): PacketWithHeader {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(r.seconds >>> 0, 0);
  header.writeUInt32LE(Math.floor(r.nanoseconds / 1000) >>> 0, 4);
  header.writeUInt32LE(r.capturedLength, 8);
  header.writeUInt32LE(r.originalLength, 12);
  return { buf: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), header, link_type: v3LinkType(r.linkType) };
}

/** Every record of a capture file; a damaged file yields the records before the damage. */
export function records(file: string): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  try {
    for (const r of parseCapture(readFileSync(file))) out.push(r);
  } catch {
    // A damaged file: compare what could be read.
  }
  return out;
}
