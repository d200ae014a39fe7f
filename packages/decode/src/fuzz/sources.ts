import { readFileSync } from 'node:fs';
import { captureFiles } from '@pcap/fuzz';
import { parseCapture } from '../capture/read.js';
import { fromHex } from '../test/hex.js';
import { HAND_MADE } from './seeds.js';

/** A packet to start mutating from. */
export interface SeedPacket {
  readonly origin: string;
  readonly linkType: number;
  readonly data: Uint8Array;
}

/** A capture file to damage. */
export interface SeedFile {
  readonly origin: string;
  readonly bytes: Uint8Array;
}

/** Capture files larger than this are used for their packets only, not damaged whole. */
const MAX_FILE = 256 * 1024;

/**
 * The hand-made seeds plus up to `perFile` packets (spread over the file) of every capture in
 * `dirs` that exist, and the small capture files themselves.
 */
export function loadSeeds(dirs: readonly string[], perFile: number): { packets: SeedPacket[]; files: SeedFile[]; missing: string[] } {
  const packets: SeedPacket[] = HAND_MADE.map((s) => ({ origin: s.name, linkType: s.linkType, data: fromHex(s.hex) }));
  const files: SeedFile[] = [];
  const missing: string[] = [];
  for (const dir of dirs) {
    const found = captureFiles(dir);
    if (found.length === 0) missing.push(dir);
    for (const path of found) {
      const bytes = new Uint8Array(readFileSync(path));
      if (bytes.length <= MAX_FILE) files.push({ origin: path, bytes });
      const all: { linkType: number; data: Uint8Array }[] = [];
      try {
        for (const r of parseCapture(bytes)) all.push({ linkType: r.linkType, data: r.data });
      } catch {
        // Damaged files still give their whole packets.
      }
      const step = Math.max(1, Math.floor(all.length / perFile));
      for (let i = 0; i < all.length && i / step < perFile; i += step) packets.push({ origin: `${path}#${i + 1}`, ...all[i]! });
    }
  }
  return { packets, files, missing };
}
