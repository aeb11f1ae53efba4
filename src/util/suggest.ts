/** Levenshtein edit distance (case-insensitive), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({length: t.length + 1}, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/** The candidates closest to `input` (at most `max`, within a distance that scales with length). */
export function suggest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  return [...new Set(candidates)]
    .map((c) => {
      const short = c.slice(c.lastIndexOf('.') + 1).slice(c.lastIndexOf('/') + 1);
      const d = Math.min(editDistance(input, c), editDistance(input, short));
      const contains = c.toLowerCase().includes(input.toLowerCase()) && input.length >= 3;
      return {c, d: contains ? Math.min(d, 1) : d};
    })
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** " (did you mean X or Y?)" or "" */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const s = suggest(input, candidates);
  if (s.length === 0) return '';
  return ` (did you mean ${s.map((x) => `'${x}'`).join(' or ')}?)`;
}
