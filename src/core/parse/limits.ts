import type { Problem } from '../common/problem';

/**
 * Bounds on what the parser reads, so that no input can make it slow, overflow the stack or vanish.
 * The nesting limits are CPython's own (200 nested brackets, 100 indentation levels): a file beyond
 * them cannot be imported by Alembic either.
 */
export const LIMITS = {
  /** Characters (UTF-16 units); the largest real migrations are a few hundred KB. */
  maxLength: 4_000_000,
  maxBracketDepth: 200,
  maxIndentDepth: 100,
} as const;

export const UNREADABLE_FILE = 'unreadable-file';

export function unreadableFile(reason: string, at = 0): Problem {
  return {
    code: UNREADABLE_FILE,
    severity: 'error',
    message: `This file cannot be read: ${reason}. Alembic cannot import it either; fix the file (its revision is left out of the graph until then).`,
    range: { start: at, end: at },
  };
}

/**
 * A linear scan (strings and comments skipped) for the input that the parser must not be given:
 * too long, brackets nested deeper than CPython allows, too many indentation levels.
 */
export function checkLimits(text: string): Problem | undefined {
  if (text.length > LIMITS.maxLength) {
    return unreadableFile(`it holds ${text.length.toLocaleString('en-US')} characters, more than the ${LIMITS.maxLength.toLocaleString('en-US')} this tool reads`);
  }
  let depth = 0;
  let quote = '';
  const indents: number[] = [0];
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      } else if (quote.length === 1 && c === '\n') quote = '';
      continue;
    }
    if (lineStart && depth === 0) {
      let w = 0;
      let j = i;
      while (text[j] === ' ' || text[j] === '\t') {
        w += text[j] === '\t' ? 8 - (w % 8) : 1;
        j++;
      }
      const next = text[j];
      if (next !== undefined && next !== '\n' && next !== '\r' && next !== '#') {
        while (indents.length > 1 && w < indents[indents.length - 1]!) indents.pop();
        if (w > indents[indents.length - 1]!) indents.push(w);
        if (indents.length - 1 >= LIMITS.maxIndentDepth) {
          return unreadableFile(`it nests blocks ${LIMITS.maxIndentDepth} or more levels deep (Python's limit is ${LIMITS.maxIndentDepth})`, j);
        }
      }
    }
    lineStart = c === '\n';
    if (c === '#') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth >= LIMITS.maxBracketDepth) {
        return unreadableFile(`it nests brackets ${LIMITS.maxBracketDepth} or more levels deep (Python's limit is ${LIMITS.maxBracketDepth})`, i);
      }
    } else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** Words for a parser failure: the same input always gives the same words. */
export function failureReason(error: unknown): string {
  if (error instanceof RangeError) return 'it is nested too deeply for the parser';
  return `the parser failed (${error instanceof Error ? error.message : String(error)})`;
}

export function nullByte(at: number): Problem {
  return {
    code: 'null-byte',
    severity: 'error',
    message: 'This file contains a NUL character here; Python refuses to import source code with null bytes. Remove it.',
    range: { start: at, end: at + 1 },
  };
}

/** The file's bytes are not UTF-8 (Python's default source encoding): the text was read with replacements. */
export function invalidUtf8(byteOffset: number, at: number): Problem {
  return {
    code: 'invalid-utf8',
    severity: 'error',
    message: `This file is not valid UTF-8 (byte ${byteOffset}); Python cannot import it. Save it as UTF-8.`,
    range: { start: at, end: at + 1 },
  };
}
