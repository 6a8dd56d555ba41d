import type { SyntaxNode, Tree } from '@lezer/common';
import { nameRole } from './names';
import { dedentSlice, stringLineStarts } from './text';
import { childrenOf, contentEnd, lineStartAt } from './tree';
import type { MigrationFunction, ModuleStatement } from './types';

/** The function or class a (possibly decorated) definition statement defines. */
export function definitionOf(node: SyntaxNode): SyntaxNode | undefined {
  if (node.name === 'FunctionDefinition' || node.name === 'ClassDefinition') return node;
  if (node.name === 'DecoratedStatement') {
    return childrenOf(node).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
  }
  return undefined;
}

export function definedName(def: SyntaxNode, text: string): string | undefined {
  const name = childrenOf(def).find((c) => c.name === 'VariableName');
  return name ? text.slice(name.from, name.to) : undefined;
}

export function readMigrationFunction(fn: SyntaxNode, root: Tree | SyntaxNode, text: string): MigrationFunction {
  const kids = childrenOf(fn);
  const paramList = kids.find((c) => c.name === 'ParamList');
  const returnType = kids.find((c) => c.name === 'TypeDef');
  const body = kids.find((c) => c.name === 'Body');
  const end = Math.max(contentEnd(fn, text), fn.from);
  const params = paramList ? text.slice(paramList.from, paramList.to).replace(/^\(/, '').replace(/\)$/, '').trim() : '';
  const result: MigrationFunction = {
    range: { start: fn.from, end },
    bodyRange: { start: end, end },
    body: '',
    isEmpty: true,
    params,
  };
  if (returnType) result.returns = text.slice(returnType.from, returnType.to).replace(/^\s*->/, '').trim();
  if (!body) return result;

  const statements = childrenOf(body).filter((c) => c.name !== ':' && c.name !== 'Comment' && !c.type.isError);
  if (!statements.length) return result;
  const first = statements[0];
  const lineStart = lineStartAt(text, first.from);
  const lead = text.slice(lineStart, first.from);
  const onOwnLine = lineStart > body.from && /^[ \t]*$/.test(lead);
  const start = onOwnLine ? lineStart : first.from;
  const bodyEnd = Math.max(start, contentEnd(body, text));
  result.bodyRange = { start, end: bodyEnd };
  result.body = dedentSlice(text, start, bodyEnd, onOwnLine ? lead : '', stringLineStarts(root, text, start, bodyEnd));
  result.isEmpty = statements.every(isEmptyStatement);
  return result;
}

function isEmptyStatement(st: SyntaxNode): boolean {
  if (st.name === 'PassStatement') return true;
  if (st.name !== 'ExpressionStatement') return false;
  const kids = childrenOf(st).filter((c) => c.name !== 'Comment');
  return kids.length === 1 && ['Ellipsis', 'String', 'ContinuedString'].includes(kids[0].name);
}

const NO_DESCENT = new Set([
  'LambdaExpression', 'ArrayComprehensionExpression', 'DictionaryComprehensionExpression',
  'SetComprehensionExpression', 'ComprehensionExpression',
]);

/** A module-level statement other than header, docstring, import, upgrade and downgrade. */
export function readModuleStatement(node: SyntaxNode, text: string): ModuleStatement {
  const range = { start: node.from, end: Math.max(node.from, contentEnd(node, text)) };
  const def = definitionOf(node);
  if (def) {
    const name = definedName(def, text);
    return { range, kind: def.name === 'ClassDefinition' ? 'class' : 'function', defines: name ? [name] : [] };
  }
  // Names bound at module scope, also inside `if`/`try`/`with` blocks, never inside nested scopes.
  const defines: string[] = [];
  const add = (name: string): void => {
    if (!defines.includes(name)) defines.push(name);
  };
  node.cursor().iterate((n) => {
    if (n.from === node.from && n.to === node.to) return undefined;
    const nested = definitionOf(n.node);
    if (nested) {
      const name = definedName(nested, text);
      if (name) add(name);
      return false;
    }
    if (NO_DESCENT.has(n.name)) return false;
    if (n.name === 'VariableName' && nameRole(n.node) === 'bind') add(text.slice(n.from, n.to));
    return undefined;
  });
  return { range, kind: node.name === 'AssignStatement' ? 'assignment' : 'other', defines };
}
