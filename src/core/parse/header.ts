import type { SyntaxNode } from '@lezer/common';
import type { Problem, TextRange } from '../common/problem';
import { unreadableHeader } from './problems';
import { stringValue } from './strings';
import { childrenOf, contentEnd, hasError } from './tree';
import type { HeaderAssignment, HeaderName, HeaderValue } from './types';

export const HEADER_NAMES: readonly HeaderName[] = ['revision', 'down_revision', 'branch_labels', 'depends_on'];

export function isHeaderName(name: string): name is HeaderName {
  return (HEADER_NAMES as readonly string[]).includes(name);
}

/** Characters Alembic's `Revision.verify_rev_id` rejects in a revision id. */
const FORBIDDEN_ID_CHARS = ['@', '-', '+'];

/** Why Alembic would refuse `id` as a revision id (a full sentence), or undefined when it is fine. */
export function revisionIdError(id: string): string | undefined {
  if (id.trim() === '') return 'a revision id cannot be empty.';
  const bad = FORBIDDEN_ID_CHARS.filter((c) => id.includes(c));
  if (bad.length) {
    return `Alembic does not allow the character${bad.length > 1 ? 's' : ''} ${bad.map((c) => `'${c}'`).join(', ')} in revision ids (they are used in revision expressions such as label@head and head-1).`;
  }
  return undefined;
}

export function isValidRevisionId(id: string): boolean {
  return revisionIdError(id) === undefined;
}

export interface HeaderStatement {
  assignments: HeaderAssignment[];
  problems: Problem[];
}

const SKIP = new Set(['Comment']);

/**
 * Reads a module-level assignment of a header name. Returns undefined when the statement assigns no
 * header name. A statement with an error node is never trusted.
 */
export function readHeaderStatement(node: SyntaxNode, text: string): HeaderStatement | undefined {
  if (node.name !== 'AssignStatement') return undefined;
  const kids = childrenOf(node).filter((c) => !SKIP.has(c.name));
  let lastOp = -1;
  kids.forEach((c, i) => {
    if (c.name === 'AssignOp') lastOp = i;
  });
  if (lastOp < 0) return undefined;
  const targets = kids.slice(0, lastOp);
  const valueNodes = kids.slice(lastOp + 1);
  const end = Math.max(node.from, contentEnd(node, text));
  const range = { start: node.from, end };
  const valueRange = valueNodes.length
    ? { start: valueNodes[0].from, end: Math.max(valueNodes[0].from, Math.min(end, valueNodes[valueNodes.length - 1].to)) }
    : { start: kids[lastOp].to, end: kids[lastOp].to };
  const typeDef = targets.find((c) => c.name === 'TypeDef');
  const annotation = typeDef ? text.slice(typeDef.from, typeDef.to).replace(/^\s*:/, '').trim() : undefined;

  // `revision, down_revision = 'a', 'b'`: unpacking is not read; any header name in it is unresolved.
  const unpacking = targets.some((c) => c.name === ',' || c.name === 'TupleExpression' || c.name === 'ArrayExpression' || c.name === 'ParenthesizedExpression');
  const names: HeaderName[] = [];
  for (const t of targets) {
    if (t.name === 'VariableName') {
      const name = text.slice(t.from, t.to);
      if (isHeaderName(name)) names.push(name);
    } else if (unpacking && t.name !== 'AssignOp' && t.name !== 'TypeDef') {
      t.cursor().iterate((n) => {
        if (n.name === 'VariableName') {
          const name = text.slice(n.from, n.to);
          if (isHeaderName(name)) names.push(name);
        }
      });
    }
  }
  if (!names.length) return undefined;

  const problems: Problem[] = [];
  let value: HeaderValue;
  let itemRanges: TextRange[] = [];
  const valueText = text.slice(valueRange.start, valueRange.end);
  if (hasError(node)) {
    value = { kind: 'unresolved', text: valueText };
    for (const name of names) problems.push(unreadableHeader(name, { ...range }));
  } else if (unpacking) {
    value = { kind: 'unresolved', text: valueText };
  } else {
    const read = readValue(valueNodes, text);
    value = read?.value ?? { kind: 'unresolved', text: valueText };
    itemRanges = read?.itemRanges ?? [];
  }
  const assignments = names.map((name): HeaderAssignment => ({
    name,
    value,
    range: { ...range },
    valueRange: { ...valueRange },
    itemRanges: itemRanges.map((r) => ({ ...r })),
    ...(annotation !== undefined ? { annotation } : {}),
  }));
  return { assignments, problems };
}

interface ReadValue {
  value: HeaderValue;
  itemRanges: TextRange[];
}

function readValue(nodes: SyntaxNode[], text: string): ReadValue | undefined {
  if (!nodes.length) return undefined;
  if (nodes.length > 1) {
    // A bare tuple: `down_revision = 'a', 'b'` (or `'a',`).
    return readSequence(nodes.filter((n) => n.name !== ','), text, 'tuple');
  }
  const node = unwrap(nodes[0]);
  if (!node) return undefined;
  if (node.name === 'None') return { value: { kind: 'none' }, itemRanges: [] };
  if (node.name === 'String' || node.name === 'ContinuedString') {
    const s = stringValue(node, text);
    return s === undefined ? undefined : { value: { kind: 'string', value: s }, itemRanges: [{ start: node.from, end: node.to }] };
  }
  if (node.name === 'TupleExpression' || node.name === 'ArrayExpression') {
    const items = childrenOf(node).filter((c) => !['(', ')', '[', ']', ',', 'Comment'].includes(c.name));
    return readSequence(items, text, node.name === 'TupleExpression' ? 'tuple' : 'list');
  }
  return undefined;
}

function readSequence(items: SyntaxNode[], text: string, form: 'tuple' | 'list'): ReadValue | undefined {
  const values: string[] = [];
  const itemRanges: TextRange[] = [];
  for (const item of items) {
    const s = unwrap(item);
    const v = s && stringValue(s, text);
    if (v === undefined || !s) return undefined;
    values.push(v);
    itemRanges.push({ start: s.from, end: s.to });
  }
  return { value: { kind: 'sequence', values, form }, itemRanges };
}

/** `('a')` is the string 'a', not a tuple. */
function unwrap(node: SyntaxNode): SyntaxNode | undefined {
  let n = node;
  while (n.name === 'ParenthesizedExpression') {
    const inner = childrenOf(n).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== 'Comment');
    if (inner.length !== 1) return undefined;
    n = inner[0];
  }
  return n;
}

/** A header value as a list of ids: None → [], 'a' → ['a'], a sequence → its items; unresolved → []. */
export function valueIds(value: HeaderValue | undefined): string[] {
  if (!value) return [];
  if (value.kind === 'string') return [value.value];
  if (value.kind === 'sequence') return [...value.values];
  return [];
}
