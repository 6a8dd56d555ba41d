import type { SyntaxNode } from '@lezer/common';
import { parsePython } from './lezer';
import { hasError } from './tree';

/** A top-level statement to read: from the main tree, or from a re-parse of a slice of the text. */
export interface Unit {
  node: SyntaxNode;
  /** The text the node's offsets refer to (the whole file, or a slice of it). */
  src: string;
  /** Add to the node's offsets to get offsets in the file. */
  base: number;
  /** The root of the tree the node belongs to. */
  root: SyntaxNode;
  /** True when the statement has an error node. */
  broken: boolean;
  /** True when the unit comes from re-parsing a slice after the first line of a broken statement. */
  recovered: boolean;
}

function isLineBreak(c: string): boolean {
  return c === '\n' || c === '\r';
}

/**
 * Starts of the column-0 lines in [from, to) that can begin a top-level statement: not blank, not a
 * comment, not a closing bracket of a multi-line expression.
 */
export function columnZeroStarts(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    if (i !== from && !isLineBreak(text[i - 1])) continue;
    if (text[i - 1] === '\r' && text[i] === '\n') continue;
    const c = text[i];
    if (c === undefined || c === ' ' || c === '\t' || c === '#' || isLineBreak(c) || c === ')' || c === ']' || c === '}' || c === '\f') continue;
    out.push(i);
  }
  return out;
}

/**
 * Re-reads a broken top-level statement: an unclosed bracket or string swallows everything after it,
 * so each column-0 line inside it is parsed again on its own (up to the next one) and the statements
 * found there are offered as recovered units.
 */
export function recoverStatement(node: SyntaxNode, text: string): Unit[] {
  const starts = [node.from, ...columnZeroStarts(text, node.from, node.to).filter((s) => s > node.from)];
  if (starts.length < 2) return [];
  const units: Unit[] = [];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : node.to;
    const src = text.slice(start, end);
    const root = parsePython(src).topNode;
    for (let c = root.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Comment') continue;
      units.push({ node: c, src, base: start, root, broken: hasErrorNode(c), recovered: i > 0 });
    }
  });
  return units;
}

export function hasErrorNode(node: SyntaxNode): boolean {
  return hasError(node);
}
