/** Edit distance (insertions, deletions, substitutions) between two names. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/**
 * Known names nearest to a mistyped `name`, nearest first (ties alphabetical), at most
 * `count`: those within half its length in edits, less `bonus(known)` for a known name the
 * caller thinks likelier.
 */
export function closestNames(name: string, known: readonly string[], count = 5, bonus: (known: string) => number = () => 0): string[] {
  const scored = known.map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) - bonus(k) }));
  scored.sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  const limit = Math.max(3, Math.floor(name.length / 2));
  return scored.filter((s) => s.d <= limit).slice(0, count).map((s) => s.k);
}
