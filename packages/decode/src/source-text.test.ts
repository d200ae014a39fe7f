import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('.', import.meta.url).pathname;

/** The files that go into the built package: every .ts file but tests and their helpers. */
function shipped(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' || e.name === 'fuzz' ? [] : shipped(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the source the package ships', () => {
  // V8 keeps a script's source in memory as one byte per character only while every
  // character fits in Latin-1; a single dash or ellipsis beyond it in a comment doubles
  // what the loaded bundle costs. Strings may say anything: the bundler escapes them.
  it('holds no character beyond Latin-1 outside string escapes', () => {
    const found: string[] = [];
    for (const file of shipped(SRC)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const c = [...line].find((ch) => ch.codePointAt(0)! > 0xff);
          if (c) found.push(`${file.slice(SRC.length)}:${i + 1}: ${c}`);
        });
    }
    expect(found).toEqual([]);
  });
});
