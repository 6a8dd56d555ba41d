import type { SyntaxNode } from '@lezer/common';
import { indent, parsePython, stringValue, type MigrationFunction } from '../parse';

const NESTED_SCOPES = new Set(['FunctionDefinition', 'LambdaExpression', 'ClassDefinition']);

/**
 * True when the body returns early (outside nested functions): once merged with the bodies after
 * it, such a `return` would skip them.
 */
export function returnsEarly(body: string): boolean {
  let found = false;
  parsePython(body).cursor().iterate((n) => {
    if (found || NESTED_SCOPES.has(n.name)) return false;
    if (n.name === 'ReturnStatement') found = true;
    return undefined;
  });
  return found;
}

/** Wraps a body in a local function called at once, so its `return` ends only that block. */
export function wrapInFunction(body: string, name: string): string {
  return `def ${name}():\n${indent(body.replace(/\s+$/, ''), '    ')}\n\n${name}()`;
}

function isNotImplementedRaise(node: SyntaxNode, text: string): boolean {
  if (node.name !== 'RaiseStatement') return false;
  let target = node.firstChild?.nextSibling;
  if (target?.name === 'CallExpression') target = target.firstChild ?? undefined;
  return target?.name === 'VariableName' && text.slice(target.from, target.to) === 'NotImplementedError';
}

/** Why a member cannot be downgraded: no downgrade() at all, or one that only raises. */
export type MissingDowngrade = 'missing' | 'raises';

/**
 * Missing, or only raising NotImplementedError: this member cannot be downgraded. A downgrade that
 * is only `pass` (or a docstring, or `...`) is a no-op its author chose, and is carried as one.
 */
export function lacksDowngrade(fn: MigrationFunction | undefined): MissingDowngrade | undefined {
  if (!fn) return 'missing';
  if (fn.isEmpty) return undefined;
  return bodyStatements(fn.body).every((s) => isNotImplementedRaise(s, fn.body)) ? 'raises' : undefined;
}

/**
 * No downgrade() at all, or one that does nothing but raise (any exception): the history's author
 * declared that there is no way back past this revision. (Other bodies may still raise when run.)
 */
export function declaresNoWayBack(fn: MigrationFunction | undefined): boolean {
  if (!fn) return true;
  if (fn.isEmpty) return false;
  const statements = bodyStatements(fn.body);
  return statements.length > 0 && statements.every((s) => s.name === 'RaiseStatement');
}

/** A body's statements, without comments, `pass` and docstrings. */
function bodyStatements(body: string): SyntaxNode[] {
  const statements: SyntaxNode[] = [];
  for (let s = parsePython(body).topNode.firstChild; s; s = s.nextSibling) {
    if (s.name === 'Comment' || s.name === 'PassStatement') continue;
    if (isDocstring(s)) continue;
    statements.push(s);
  }
  return statements;
}

/** A docstring is an expression statement holding only a string. */
function isDocstring(s: SyntaxNode): boolean {
  return s.name === 'ExpressionStatement' && s.firstChild?.name === 'String' && !s.firstChild.nextSibling;
}

/** What Alembic's own script.py.mako writes as function docstrings: nothing a reviewer needs. */
const BOILERPLATE = new Set(['upgrade schema.', 'downgrade schema.', 'upgrade', 'downgrade', '']);

/**
 * A member's function docstring is not a statement of the merged function: its text becomes comment
 * lines where it stood (Alembic's "Upgrade schema." boilerplate is dropped). A body left with only
 * comments gets a `pass`, so the block stays a statement.
 */
export function docstringAsComment(body: string): string {
  const top = parsePython(body).topNode;
  let first = top.firstChild;
  while (first && first.name === 'Comment') first = first.nextSibling;
  if (!first || !isDocstring(first)) return first ? body : `${body.replace(/\s+$/, '')}${body.trim() ? '\n' : ''}pass`;
  let out = body;
  {
    const value = stringValue(first.firstChild!, body);
    if (value !== undefined) {
      const lines = value.split('\n').map((l) => l.trim());
      while (lines.length && lines[lines.length - 1] === '') lines.pop();
      while (lines.length && lines[0] === '') lines.shift();
      const comment = BOILERPLATE.has(lines.join(' ').toLowerCase()) ? '' : lines.map((l) => (l ? `# ${l}` : '#')).join('\n');
      let end = first.firstChild!.to;
      while (end < body.length && (body[end] === ' ' || body[end] === '\t')) end++;
      if (comment) out = body.slice(0, first.from) + comment + body.slice(end);
      else out = body.slice(0, first.from) + body.slice(end).replace(/^\r?\n/, '');
    }
  }
  return hasStatement(out) ? out : `${out.replace(/\s+$/, '')}${out.trim() ? '\n' : ''}pass`;
}

/** True when the text holds at least one statement (not only comments and blank lines). */
export function hasStatement(body: string): boolean {
  for (let s = parsePython(body).topNode.firstChild; s; s = s.nextSibling) if (s.name !== 'Comment') return true;
  return false;
}
