import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A file of the page, in memory. */
export interface Asset {
  body: Uint8Array;
  type: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** The page's files, bundled at build time next to this module (dist/page): no CDN, works offline. */
export const PAGE_FILES = ['index.html', 'app.js', 'app.css'] as const;

/** Reads the page's files once; a missing one means the package was not built. */
export function loadAssets(dir: URL = new URL('./page/', import.meta.url)): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const name of PAGE_FILES) {
    let body: Uint8Array;
    try {
      body = readFileSync(new URL(name, dir));
    } catch {
      throw new Error(`the page's files are missing from ${fileURLToPath(dir)} (build @pcap/web: pnpm --filter @pcap/web build)`);
    }
    out.set(name, { body, type: TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream' });
  }
  return out;
}
