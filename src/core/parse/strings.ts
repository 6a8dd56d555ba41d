import type { SyntaxNode } from '@lezer/common';

/** The value of a `str` literal node (String or implicit concatenation), or undefined when it is not a plain str. */
export function stringValue(node: SyntaxNode, text: string): string | undefined {
  if (node.name === 'String') return literalValue(text.slice(node.from, node.to));
  if (node.name === 'ContinuedString') {
    let out = '';
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Comment') continue;
      if (c.name !== 'String') return undefined;
      const part = literalValue(text.slice(c.from, c.to));
      if (part === undefined) return undefined;
      out += part;
    }
    return out;
  }
  return undefined;
}

/**
 * Decodes one Python string literal as written (prefix, quotes, escapes). Bytes and f-strings are not
 * `str` constants, and an unterminated literal has no value.
 */
export function literalValue(literal: string): string | undefined {
  let i = 0;
  let raw = false;
  while (i < literal.length && /[rRuUbBfF]/.test(literal[i])) {
    const p = literal[i].toLowerCase();
    if (p === 'b' || p === 'f') return undefined;
    if (p === 'r') raw = true;
    i++;
  }
  if (i > 2) return undefined;
  const q = literal[i];
  if (q !== '"' && q !== "'") return undefined;
  const triple = literal.startsWith(q.repeat(3), i);
  const quote = triple ? q.repeat(3) : q;
  const bodyStart = i + quote.length;
  const bodyEnd = literal.length - quote.length;
  if (bodyEnd < bodyStart || !literal.endsWith(quote) || literal.length < i + 2 * quote.length) return undefined;
  const body = literal.slice(bodyStart, bodyEnd);
  if (!triple && /[\n\r]/.test(body.replace(/\\\r?\n/g, ''))) return undefined;
  return raw ? body : unescape(body);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

function unescape(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === '\n') { i += 1; continue; }
    if (next === '\r') { i += body[i + 2] === '\n' ? 2 : 1; continue; }
    if (next in SIMPLE_ESCAPES) { out += SIMPLE_ESCAPES[next]; i += 1; continue; }
    if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1 + digits.length] ?? '')) digits += body[i + 1 + digits.length];
      out += String.fromCharCode(parseInt(digits, 8));
      i += digits.length;
      continue;
    }
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width) {
      const hex = body.slice(i + 2, i + 2 + width);
      if (hex.length === width && /^[0-9a-fA-F]+$/.test(hex)) {
        const code = parseInt(hex, 16);
        if (code <= 0x10ffff) {
          out += String.fromCodePoint(code);
          i += 1 + width;
          continue;
        }
      }
    }
    // Unknown escapes (and \N{...}) keep their backslash, as Python does for unknown ones.
    out += ch;
  }
  return out;
}
