import type { Problem, TextRange } from '../common/problem';

/** Stable problem codes of the parser. */
export const ProblemCode = {
  syntaxError: 'syntax-error',
  unreadableHeader: 'unreadable-header',
  unresolvedHeader: 'unresolved-header',
  invalidRevisionId: 'invalid-revision-id',
  docstringMismatch: 'docstring-mismatch',
} as const;

export function syntaxError(range: TextRange): Problem {
  return {
    code: ProblemCode.syntaxError,
    severity: 'error',
    message: 'This file has a Python syntax error here; fix it so that Alembic can import the file.',
    range,
  };
}

export function unreadableHeader(name: string, range: TextRange): Problem {
  return {
    code: ProblemCode.unreadableHeader,
    severity: 'error',
    message: `The ${name} assignment has a syntax error, so its value cannot be read; complete or fix it (a string, a tuple of strings, or None).`,
    range,
  };
}

export function unresolvedHeader(name: string, text: string, range: TextRange): Problem {
  return {
    code: ProblemCode.unresolvedHeader,
    severity: 'warning',
    message: `${name} is set to \`${clip(text)}\`, which is not a literal, so it cannot be read without running the file; write it as a string, a tuple of strings, or None.`,
    range,
  };
}

export function invalidRevisionId(id: string, reason: string, range: TextRange): Problem {
  return {
    code: ProblemCode.invalidRevisionId,
    severity: 'error',
    message: `The revision id '${clip(id)}' is not valid: ${reason} Choose an id without these characters and update every down_revision that points to it.`,
    range,
  };
}

export function docstringMismatch(field: string, written: string, actual: string, range: TextRange): Problem {
  return {
    code: ProblemCode.docstringMismatch,
    severity: 'info',
    message: `The docstring says "${field}: ${clip(written)}" but the code says ${clip(actual)}; Alembic uses the code, so update the docstring to match.`,
    range,
  };
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}
