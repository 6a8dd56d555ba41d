import { compareIds } from './topology';

const MAX_SUGGESTIONS = 3;

/**
 * Existing ids that look like a mistyped `wanted`: a truncated or over-long copy (one is a prefix
 * of the other, at least 4 characters shared) or a few typos (edit distance up to a quarter of the
 * length, at least 1). Best first: prefix matches, then by distance, then by id.
 */
export function suggestIds(wanted: string, known: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(wanted.length / 4));
  const scored: { id: string; score: number }[] = [];
  for (const id of new Set(known)) {
    if (id === wanted) continue;
    const shorter = Math.min(id.length, wanted.length);
    if (shorter >= 4 && (id.startsWith(wanted) || wanted.startsWith(id))) {
      scored.push({ id, score: 0 });
      continue;
    }
    const distance = boundedDistance(wanted, id, limit);
    if (distance <= limit) scored.push({ id, score: distance });
  }
  return scored
    .sort((a, b) => a.score - b.score || compareIds(a.id, b.id))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.id);
}

/** Levenshtein distance, giving up (returning limit + 1) as soon as it must exceed `limit`. */
export function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
