import type { TextRange } from '../common/problem';
import type { MigrationFile } from '../parse';

/** A replacement of `range` (UTF-16 offsets in the file) by `newText`. */
export interface TextReplacement {
  range: TextRange;
  newText: string;
}

const LABELS = { revisionId: 'Revision ID:', revises: 'Revises:' } as const;

/** What the docstring should say; a field left undefined is not touched. */
export interface DocstringFields {
  revisionId?: string;
  /** The down revisions; `[]` writes an empty `Revises:` as Alembic's template does for a base. */
  revises?: string[];
}

/**
 * Edits that make the docstring's `Revision ID:` / `Revises:` lines say `want`, as Alembic's template
 * writes them (`Revises: a, b`). Lines already right, or absent, give no edit.
 */
export function docstringEdits(text: string, migration: MigrationFile, want: DocstringFields): TextReplacement[] {
  const doc = migration.docstring;
  if (!doc) return [];
  const out: TextReplacement[] = [];
  const raw = text.slice(doc.range.start, doc.range.end);
  const fields: [keyof typeof LABELS, string | undefined][] = [
    ['revisionId', want.revisionId],
    ['revises', want.revises?.join(', ')],
  ];
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    const label = LABELS[field];
    const at = raw.indexOf(label);
    if (at < 0) continue;
    let end = at + label.length;
    while (end < raw.length && raw[end] !== '\n' && raw[end] !== '\r') end++;
    // Never eat the closing quotes of a one-line docstring.
    const close = raw.length - 3;
    if (end > close && (raw.endsWith('"""') || raw.endsWith("'''"))) end = close;
    const line = `${label} ${value}`.trimEnd();
    const current = raw.slice(at, end).trimEnd();
    if (current === line) continue;
    out.push({ range: { start: doc.range.start + at, end: doc.range.start + at + current.length }, newText: line });
  }
  return out;
}
