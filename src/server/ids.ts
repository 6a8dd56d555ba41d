import type { TextRange } from '../core/common/problem';
import type { HeaderName, MigrationFile } from '../core/parse';
import type { RevisionMap } from '../core/graph';

/** One id (or label) string written in a header assignment. */
export interface HeaderId {
  field: HeaderName;
  /** The value as written (an id, a prefix or, in depends_on, a branch label). */
  value: string;
  /** The string literal, quotes included. */
  literal: TextRange;
  /** Just the characters between the quotes. */
  inner: TextRange;
}

const ID_FIELDS: HeaderName[] = ['revision', 'down_revision', 'depends_on', 'branch_labels'];

/** Every string of the revision, down_revision, depends_on and branch_labels assignments. */
export function headerIds(m: MigrationFile, text: string): HeaderId[] {
  const out: HeaderId[] = [];
  for (const field of ID_FIELDS) {
    const a = m.header[field];
    if (!a) continue;
    const values = a.value.kind === 'string' ? [a.value.value] : a.value.kind === 'sequence' ? a.value.values : [];
    values.forEach((value, i) => {
      const literal = a.itemRanges[i];
      if (literal) out.push({ field, value, literal, inner: innerRange(text, literal) });
    });
  }
  return out;
}

/** The header string under `offset` (the quotes count as inside). */
export function headerIdAt(m: MigrationFile, text: string, offset: number): HeaderId | undefined {
  return headerIds(m, text).find((h) => offset >= h.literal.start && offset <= h.literal.end);
}

/** The revision a header string names: itself for ids, the label's owner for depends_on labels. */
export function resolveHeaderId(map: RevisionMap, h: HeaderId): string | undefined {
  if (h.field === 'branch_labels') return undefined;
  if (h.field === 'depends_on') return map.resolveDependency(h.value);
  return map.has(h.value) ? h.value : undefined;
}

/** The literal minus its string prefix and quotes. */
export function innerRange(text: string, literal: TextRange): TextRange {
  let i = literal.start;
  while (i < literal.end && /[rRuU]/.test(text[i]!)) i++;
  const q = text[i];
  if (q !== '"' && q !== "'") return literal;
  const quote = text.startsWith(q.repeat(3), i) ? 3 : 1;
  const start = Math.min(i + quote, literal.end);
  const end = Math.max(start, literal.end - quote);
  return { start, end };
}
