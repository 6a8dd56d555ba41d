import type { SyntaxNode } from '@lezer/common';
import type { TextRange } from '../common/problem';
import { stringValue } from './strings';
import { lineEndAt } from './tree';
import type { Docstring } from './types';

/** Statements that end the search for a docstring: Python's docstring is the first statement, but real files put it after the imports. */
const DEFINITIONS = new Set(['FunctionDefinition', 'ClassDefinition', 'DecoratedStatement']);

/** The module docstring node: the first string-expression statement at module level before any def/class. */
export function findDocstringNode(statements: SyntaxNode[]): SyntaxNode | undefined {
  for (const st of statements) {
    if (DEFINITIONS.has(st.name)) return undefined;
    if (st.name !== 'ExpressionStatement') continue;
    const expr = st.firstChild;
    if (expr && !expr.nextSibling && (expr.name === 'String' || expr.name === 'ContinuedString')) return expr;
  }
  return undefined;
}

const FIELDS = { revisionId: 'Revision ID:', revises: 'Revises:', createDate: 'Create Date:' } as const;

export function readDocstring(node: SyntaxNode, text: string): Docstring | undefined {
  const value = stringValue(node, text);
  if (value === undefined) return undefined;
  const doc: Docstring = { range: { start: node.from, end: node.to }, text: value, message: '' };
  const lines = value.split(/\r?\n|\r/);
  doc.message = lines.map((l) => l.trim()).find((l) => l !== '') ?? '';
  for (const line of lines) {
    const t = line.trim();
    for (const [key, label] of Object.entries(FIELDS) as [keyof typeof FIELDS, string][]) {
      if (doc[key] === undefined && t.startsWith(label)) doc[key] = t.slice(label.length).trim();
    }
  }
  return doc;
}

/** The source line of a docstring field (`Revises: ...`), for a problem's range. */
export function docstringFieldRange(doc: Docstring, text: string, field: keyof typeof FIELDS): TextRange {
  const raw = text.slice(doc.range.start, doc.range.end);
  const at = raw.indexOf(FIELDS[field]);
  if (at < 0) return doc.range;
  const start = doc.range.start + at;
  return { start, end: Math.min(lineEndAt(text, start), doc.range.end) };
}

/** `Revises: a, b` → ['a', 'b']. */
export function splitIds(s: string): string[] {
  return s.split(/[\s,()'"]+/).filter((x) => x !== '' && x !== 'None');
}
