import type { SyntaxNode } from '@lezer/common';
import { parsePython } from './lezer';
import type { TextRange } from '../common/problem';
import type { MigrationFile, ModuleStatement, NameReference } from './types';

/** How a `VariableName` is used: read, bound (assigned, defined, imported, a parameter) or neither. */
export type NameRole = 'load' | 'bind' | 'none';

const TARGET_WRAPPERS = new Set(['TupleExpression', 'ParenthesizedExpression', 'ArrayExpression']);
const COMPREHENSIONS = new Set([
  'ArrayComprehensionExpression', 'DictionaryComprehensionExpression', 'SetComprehensionExpression',
  'ComprehensionExpression',
]);

/** Classifies a VariableName node from the tree around it (never from the text). */
export function nameRole(node: SyntaxNode): NameRole {
  // Walk up through tuple/list/parenthesized targets: `(a, b) = ...`, `for a, b in ...`.
  let child = node;
  let parent = node.parent;
  while (parent && TARGET_WRAPPERS.has(parent.name)) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return 'load';
  const wrapped = child !== node;
  switch (parent.name) {
    case 'ImportStatement':
      return importRole(node);
    case 'ArgList':
      return !wrapped && child.nextSibling?.name === 'AssignOp' ? 'none' : 'load';
    case 'ParamList':
      if (wrapped) return 'load';
      return child.prevSibling?.name === 'AssignOp' ? 'load' : 'bind';
    case 'FunctionDefinition':
    case 'ClassDefinition':
      return wrapped ? 'load' : 'bind';
    case 'AssignStatement':
      return assignTarget(child, parent) ? 'bind' : 'load';
    case 'NamedExpression':
      return child.nextSibling?.name === 'AssignOp' ? 'bind' : 'load';
    case 'ScopeStatement':
    case 'DeleteStatement':
      return 'bind';
    case 'WithStatement':
    case 'TryStatement':
      return child.prevSibling?.name === 'as' ? 'bind' : 'load';
    case 'ForStatement':
      return forTarget(child) ? 'bind' : 'load';
    default:
      if (COMPREHENSIONS.has(parent.name)) return forTarget(child) ? 'bind' : 'load';
      return 'load';
  }
}

function assignTarget(child: SyntaxNode, statement: SyntaxNode): boolean {
  let lastOp = -1;
  let hasType = false;
  for (let c = statement.firstChild; c; c = c.nextSibling) {
    if (c.name === 'AssignOp') lastOp = c.from;
    else if (c.name === 'TypeDef') hasType = true;
  }
  if (lastOp < 0) return hasType && child === statement.firstChild;
  return child.to <= lastOp;
}

function forTarget(child: SyntaxNode): boolean {
  for (let s = child.prevSibling; s; s = s.prevSibling) {
    if (s.name === 'for') return true;
    if (s.name === 'in' || s.name === 'if') return false;
  }
  return false;
}

/** In `import a.b as c, d` binds c and d; in `from m import x as y, z` binds y and z; module paths bind nothing. */
function importRole(node: SyntaxNode): NameRole {
  const prev = node.prevSibling;
  const next = node.nextSibling;
  if (prev?.name === 'as') return 'bind';
  if (next?.name === 'as') return 'none';
  const statement = node.parent!;
  const isFrom = statement.firstChild?.name === 'from';
  if (isFrom) {
    // Names after the `import` keyword are bound; the module path before it is not.
    for (let s = node.prevSibling; s; s = s.prevSibling) if (s.name === 'import') return 'bind';
    return 'none';
  }
  // `import a.b.c` binds `a`: the first part of each dotted name.
  return prev?.name === '.' ? 'none' : 'bind';
}

export interface NameOccurrence {
  name: NameReference;
  role: NameRole;
}

/** Name occurrences (loads and bindings) of the subtree `root` lying within [from, to], in text order. */
export function namesInTree(root: SyntaxNode, text: string, from: number, to: number): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  root.cursor().iterate((n) => {
    if (n.to < from || n.from > to) return false;
    if (n.name === 'VariableName' && n.from >= from && n.to <= to) {
      const role = nameRole(n.node);
      if (role !== 'none') out.push({ name: { name: text.slice(n.from, n.to), range: { start: n.from, end: n.to } }, role });
    }
    return undefined;
  });
  return out;
}

/**
 * Every occurrence of a variable name inside `range`, loads and bindings, for a rename: attribute
 * names (`x.name`), keyword argument names (`f(name=...)`), import paths and string contents are not
 * names. A rename that changes all of them consistently keeps local shadowing intact.
 */
export function namesIn(text: string, range: TextRange, options: { loadsOnly?: boolean } = {}): NameReference[] {
  try {
    const tree = parsePython(text);
    const start = Math.max(0, Math.min(range.start, text.length));
    const end = Math.max(start, Math.min(range.end, text.length));
    return namesInTree(tree.topNode, text, start, end)
      .filter((n) => !options.loadsOnly || n.role === 'load')
      .map((n) => n.name);
  } catch {
    return [];
  }
}

/** Module-level names a statement reads (a subset of `moduleNames`), without the names it defines itself. */
export function usesOf(file: Pick<MigrationFile, 'references'>, range: TextRange, moduleNames: Set<string>, own: string[] = []): string[] {
  const used = new Set<string>();
  const refs = file.references;
  // References are sorted by start: jump to the range instead of scanning every reference for every
  // helper (that scan made a file of n module-level statements cost n², 26 s at 4,000).
  for (let i = firstAtOrAfter(refs, range.start); i < refs.length && refs[i]!.range.start < range.end; i++) {
    const ref = refs[i]!;
    if (ref.range.end <= range.end && moduleNames.has(ref.name) && !own.includes(ref.name)) used.add(ref.name);
  }
  return [...used];
}

/** Index of the first reference starting at or after `offset` (binary search over sorted references). */
function firstAtOrAfter(refs: NameReference[], offset: number): number {
  let lo = 0;
  let hi = refs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (refs[mid]!.range.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The module-level helpers (functions, classes, constants, other statements) that the code in `range`
 * needs, directly or through other helpers, in file order.
 */
export function helpersNeeded(file: MigrationFile, range: TextRange): ModuleStatement[] {
  const byName = new Map<string, ModuleStatement[]>();
  for (const h of file.helpers) {
    for (const name of h.defines) {
      const list = byName.get(name);
      if (list) list.push(h);
      else byName.set(name, [h]);
    }
  }
  const needed = new Set<ModuleStatement>();
  const queue: string[] = [];
  for (const ref of file.references) {
    if (ref.range.start >= range.start && ref.range.end <= range.end) queue.push(ref.name);
  }
  while (queue.length) {
    const name = queue.pop()!;
    for (const helper of byName.get(name) ?? []) {
      if (needed.has(helper)) continue;
      needed.add(helper);
      queue.push(...(helper.uses ?? []));
    }
  }
  return file.helpers.filter((h) => needed.has(h));
}
