import type { SyntaxNode, Tree } from '@lezer/common';
import { parsePython } from './lezer';

/**
 * Offsets of line starts that lie inside a string literal: re-indenting them would change the
 * string's value (SQL in triple-quoted strings is often written at column 0).
 */
export function stringLineStarts(root: Tree | SyntaxNode, text: string, from = 0, to = text.length): Set<number> {
  const out = new Set<number>();
  const cursor = root.cursor();
  cursor.iterate((n) => {
    if (n.to <= from || n.from >= to) return false;
    if (n.name === 'String' || n.name === 'FormatString') {
      for (let i = text.indexOf('\n', n.from); i >= 0 && i + 1 < n.to; i = text.indexOf('\n', i + 1)) out.add(i + 1);
      return false;
    }
    return undefined;
  });
  return out;
}

/**
 * A string literal spans lines only when triple-quoted or continued by a backslash at a line's end:
 * in a text with neither, no line starts inside a string, and no parse is needed to know it.
 */
function stringsMaySpanLines(text: string): boolean {
  return text.includes("'''") || text.includes('"""') || text.includes('\\\n') || text.includes('\\\r\n');
}

/** The starts of the lines of `text` that lie inside a string literal (stringLineStarts of its parse). */
function linesInStrings(text: string): Set<number> {
  return stringsMaySpanLines(text) ? stringLineStarts(parsePython(text), text) : new Set();
}

function lineStarts(text: string, from: number, to: number): number[] {
  const starts = [from];
  for (let i = text.indexOf('\n', from); i >= 0 && i + 1 < to; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function leadingSpace(text: string, at: number, to: number): string {
  let i = at;
  while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(at, i);
}

function isBlankLine(text: string, at: number, to: number): boolean {
  let i = at;
  while (i < to && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  return i >= to || text[i] === '\n';
}

/** Removes `prefix` (or the part of it a line has) from each line of text[from, to) not inside a string. */
export function dedentSlice(text: string, from: number, to: number, prefix: string, keep: Set<number>): string {
  if (prefix === '') return text.slice(from, to);
  let out = '';
  const starts = lineStarts(text, from, to);
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : to;
    if (keep.has(start)) {
      out += text.slice(start, end);
      return;
    }
    const lead = leadingSpace(text, start, end);
    let cut = 0;
    while (cut < lead.length && cut < prefix.length && lead[cut] === prefix[cut]) cut++;
    out += text.slice(start + cut, end);
  });
  return out;
}

/** Removes the common indentation of `text`, leaving the inside of multi-line strings untouched. */
export function dedent(text: string): string {
  try {
    const keep = linesInStrings(text);
    let common: string | undefined;
    for (const start of lineStarts(text, 0, text.length)) {
      if (keep.has(start) || isBlankLine(text, start, text.length)) continue;
      const lead = leadingSpace(text, start, text.length);
      if (common === undefined) common = lead;
      else {
        let k = 0;
        while (k < common.length && k < lead.length && common[k] === lead[k]) k++;
        common = common.slice(0, k);
      }
    }
    return dedentSlice(text, 0, text.length, common ?? '', keep);
  } catch {
    return text;
  }
}

/** Prefixes each non-blank line of `text` with `prefix`, leaving the inside of multi-line strings untouched. */
export function indent(text: string, prefix: string): string {
  try {
    const keep = linesInStrings(text);
    let out = '';
    const starts = lineStarts(text, 0, text.length);
    starts.forEach((start, i) => {
      const end = i + 1 < starts.length ? starts[i + 1] : text.length;
      const line = text.slice(start, end);
      out += keep.has(start) || isBlankLine(text, start, end) ? line : prefix + line;
    });
    return out;
  } catch {
    return text;
  }
}
