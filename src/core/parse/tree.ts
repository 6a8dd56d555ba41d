import type { SyntaxNode, SyntaxNodeRef } from '@lezer/common';
import type { TextRange } from '../common/problem';

/** Direct children of a node, in order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** @lezer/python marks a bare `yield` (valid Python) with an empty error node; that one is no error. */
function isSpuriousError(n: SyntaxNodeRef): boolean {
  if (n.from !== n.to) return false;
  const parent = n.node.parent;
  return !!parent && (parent.name === 'YieldStatement' || parent.name === 'YieldExpression') && parent.to === n.to && parent.to - parent.from === 5;
}

/** The first error node inside `node` (itself included), or undefined. */
export function firstError(node: SyntaxNode): TextRange | undefined {
  let found: TextRange | undefined;
  node.cursor().iterate((n) => {
    if (found) return false;
    if (n.type.isError && !isSpuriousError(n)) {
      found = { start: n.from, end: n.to };
      return false;
    }
    return undefined;
  });
  return found;
}

export function hasError(node: SyntaxNode): boolean {
  return firstError(node) !== undefined;
}

/**
 * End of the last token that is not a comment: lezer folds a trailing comment after a nested block
 * into that block, and statement nodes include their newline.
 */
export function contentEnd(node: SyntaxNode, text: string): number {
  let end = node.from;
  let leaves = 0;
  node.cursor().iterate((n) => {
    if (n.name === 'Comment') return false;
    const token = n.name === 'String' || n.name === 'FormatString' || !n.node.firstChild;
    if (token && n.to > end && n.to > n.from && !n.type.isError) end = n.to;
    leaves++;
    return token ? false : undefined;
  });
  if (leaves <= 1) end = node.to;
  // Never end inside trailing whitespace.
  while (end > node.from && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

export function rangeOf(node: SyntaxNode): TextRange {
  return { start: node.from, end: node.to };
}

export function lineStartAt(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

export function lineEndAt(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
