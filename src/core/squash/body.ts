import type { SyntaxNode } from '@lezer/common';
import { indent, parsePython, type MigrationFunction } from '../parse';

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

/**
 * Missing, only raising NotImplementedError, or `pass` while upgrade() does something: this member
 * cannot be downgraded. Both empty (merge revisions) is a complete no-op pair.
 */
export function lacksDowngrade(fn: MigrationFunction | undefined, upgrade?: MigrationFunction): boolean {
  if (!fn) return true;
  if (fn.isEmpty) return !(upgrade === undefined || upgrade.isEmpty);
  const top = parsePython(fn.body).topNode;
  const statements: SyntaxNode[] = [];
  for (let s = top.firstChild; s; s = s.nextSibling) {
    if (s.name === 'Comment' || s.name === 'PassStatement') continue;
    // A docstring is an expression statement holding only a string.
    if (s.name === 'ExpressionStatement' && s.firstChild?.name === 'String' && !s.firstChild.nextSibling) continue;
    statements.push(s);
  }
  return statements.every((s) => isNotImplementedRaise(s, fn.body));
}
