import type { SyntaxNode } from '@lezer/common';
import { loadModule, parseSync } from 'libpg-query';
import { parsePython, stringValue } from '../parse';
import { describeSql } from './sqlSummary';
import type { ClassifiedStatement, StatementKind } from './types';

/** What a name bound at module level in a member file is: an import (with its module), or a helper. */
export interface FileScope {
  /** local name → imported module (`from x import a` → 'x', `import a.b as c` → 'a.b'). */
  imports: Map<string, string>;
  /** local name → helper source text (for following calls into helpers). */
  helpers: Map<string, string>;
}

const STDLIB = new Set([
  '__future__', 'abc', 'base64', 'collections', 'contextlib', 'copy', 'csv', 'dataclasses', 'datetime',
  'decimal', 'enum', 'functools', 'hashlib', 'io', 'itertools', 'json', 'logging', 'math', 'operator',
  'os', 'pathlib', 'random', 're', 'string', 'sys', 'textwrap', 'time', 'typing', 'uuid', 'warnings', 'zoneinfo',
]);
const PRIORITY: StatementKind[] = ['data', 'raw-sql-dml', 'raw-sql-unknown', 'raw-sql-ddl', 'external', 'schema', 'other'];
const DML = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'SelectStmt']);
const CONTROL = new Set(['IfStatement', 'ForStatement', 'WhileStatement', 'WithStatement', 'TryStatement', 'MatchStatement']);
/** op.* calls that only help build arguments. */
const OP_NEUTRAL = new Set(['f', 'get_context', 'get_bind', 'batch_alter_table']);

let sqlReady: Promise<void> | undefined;
/** libpg-query's WebAssembly must be loaded once before its synchronous parser is used. */
export function prepareClassifier(): Promise<void> {
  return (sqlReady ??= loadModule());
}

export function isExternalModule(module: string): boolean {
  if (module.startsWith('.')) return true;
  const root = module.split('.')[0];
  return root !== 'alembic' && root !== 'sqlalchemy' && !STDLIB.has(root);
}

/** SQL text → kind, from the statement node types of PostgreSQL's own parser. */
export function classifySql(sql: string): StatementKind {
  try {
    const result = parseSync(sql) as { stmts?: { stmt?: Record<string, unknown> }[] };
    const types = (result.stmts ?? []).map((s) => Object.keys(s.stmt ?? {})[0] ?? '');
    if (types.length === 0) return 'raw-sql-unknown';
    if (types.some((t) => DML.has(t))) return 'raw-sql-dml';
    if (types.some((t) => t === 'DoStmt')) return 'raw-sql-unknown';
    return 'raw-sql-ddl';
  } catch {
    return 'raw-sql-unknown';
  }
}

function pick(kinds: Iterable<StatementKind>): StatementKind {
  let best: StatementKind = 'other';
  for (const k of kinds) if (PRIORITY.indexOf(k) < PRIORITY.indexOf(best)) best = k;
  return best;
}

/** The dotted callee of a call (`op.execute`, `conn.execute`, `Session`), or undefined for complex ones. */
function calleeParts(call: SyntaxNode, text: string): string[] | undefined {
  const callee = call.firstChild;
  if (!callee) return undefined;
  if (callee.name === 'VariableName') return [text.slice(callee.from, callee.to)];
  if (callee.name === 'MemberExpression') {
    const prop = callee.lastChild;
    const obj = callee.firstChild;
    const propName = prop?.name === 'PropertyName' ? text.slice(prop.from, prop.to) : undefined;
    if (!obj || !propName) return undefined;
    if (obj.name === 'VariableName') return [text.slice(obj.from, obj.to), propName];
    if (obj.name === 'CallExpression') return ['()', propName];
    return ['?', propName];
  }
  return undefined;
}

function firstArg(call: SyntaxNode): SyntaxNode | undefined {
  const args = call.getChild('ArgList');
  for (let c = args?.firstChild; c; c = c.nextSibling) {
    if (c.name === '(' || c.name === ',' || c.name === ')') continue;
    if (c.nextSibling?.name === 'AssignOp') return undefined;
    return c;
  }
  return undefined;
}

/** The SQL of `"..."`, `sa.text("...")` / `text("...")`, else undefined. */
function sqlLiteral(node: SyntaxNode | undefined, text: string): string | undefined {
  if (!node) return undefined;
  const direct = stringValue(node, text);
  if (direct !== undefined) return direct;
  if (node.name === 'CallExpression') {
    const parts = calleeParts(node, text);
    if (parts && parts[parts.length - 1] === 'text') return sqlLiteral(firstArg(node), text);
  }
  return undefined;
}

function propertyNamesIn(node: SyntaxNode, text: string): Set<string> {
  const out = new Set<string>();
  node.cursor().iterate((n) => {
    if (n.name === 'PropertyName') out.add(text.slice(n.from, n.to));
  });
  return out;
}

/** Kind of one call expression (not looking into its arguments' calls). */
function callKind(call: SyntaxNode, text: string, scope: FileScope, depth: number, external: Set<string>): StatementKind | undefined {
  const parts = calleeParts(call, text);
  if (!parts) return undefined;
  const [root, prop] = parts;
  if (parts.length === 2 && root === 'op') {
    if (prop === 'bulk_insert' || prop === 'inline_literal') return 'data';
    if (prop === 'execute') {
      const arg = firstArg(call);
      const sql = sqlLiteral(arg, text);
      if (sql !== undefined) return classifySql(sql);
      // SQLAlchemy Core DML built in Python: table.insert()/update()/delete().
      if (arg && [...propertyNamesIn(arg, text)].some((p) => p === 'insert' || p === 'update' || p === 'delete' || p === 'values')) return 'data';
      return 'raw-sql-unknown';
    }
    if (OP_NEUTRAL.has(prop)) return undefined;
    return 'schema';
  }
  if (parts.length === 2 && (prop === 'execute' || prop === 'exec_driver_sql')) {
    const arg = firstArg(call);
    const sql = sqlLiteral(arg, text);
    if (sql !== undefined) {
      const k = classifySql(sql);
      return k === 'raw-sql-dml' ? 'data' : k;
    }
    return 'data';
  }
  if (parts.length === 2 && ['add', 'add_all', 'merge', 'commit', 'flush', 'query', 'bulk_save_objects', 'bulk_insert_mappings'].includes(prop) && root !== 'op' && root !== 'sa') {
    if (root === '()' || /session/i.test(root)) return 'data';
  }
  if (parts.length === 1 && (root === 'Session' || root === 'sessionmaker')) return 'data';
  if (root === 'sa' || root === 'op') return undefined;
  const module = scope.imports.get(root);
  if (module !== undefined) {
    if (module.split('.')[0] === 'sqlalchemy' && (root === 'Session' || module.includes('orm') && /Session|sessionmaker/.test(parts[parts.length - 1]))) return 'data';
    if (isExternalModule(module)) {
      external.add(parts.join('.'));
      return 'external';
    }
    return undefined;
  }
  const helper = scope.helpers.get(root);
  if (helper !== undefined && depth < 4) return kindOfText(helper, scope, depth + 1, external).kind;
  return undefined;
}

function kindOfNode(node: SyntaxNode, text: string, scope: FileScope, depth: number, external: Set<string>): StatementKind {
  const kinds: StatementKind[] = [];
  node.cursor().iterate((n) => {
    if (n.name === 'CallExpression') {
      const k = callKind(n.node, text, scope, depth, external);
      if (k) kinds.push(k);
    }
  });
  return pick(kinds);
}

function kindOfText(src: string, scope: FileScope, depth: number, external: Set<string>): { kind: StatementKind } {
  const tree = parsePython(src);
  return { kind: kindOfNode(tree.topNode, src, scope, depth, external) };
}

/**
 * What the SQL a statement runs does (`UPDATE phenopackets`), from its literal SQL strings, and the
 * tables `bulk_insert` fills; undefined when it runs none.
 */
function whatItDoes(statement: SyntaxNode, text: string): string | undefined {
  const parts: string[] = [];
  statement.cursor().iterate((n) => {
    if (n.name !== 'CallExpression') return undefined;
    const call = n.node;
    const callee = calleeParts(call, text);
    const prop = callee?.[callee.length - 1];
    let part: string | undefined;
    if (prop === 'execute' || prop === 'exec_driver_sql') {
      const sql = sqlLiteral(firstArg(call), text);
      if (sql !== undefined) part = describeSql(sql);
    } else if (callee?.[0] === 'op' && prop === 'bulk_insert') {
      const target = firstArg(call);
      if (target) part = `bulk_insert(${text.slice(target.from, target.to)})`;
    }
    if (part && !parts.includes(part)) parts.push(part);
    return undefined;
  });
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * `try:` says nothing to a reviewer: a compound statement is its first line and the calls its block
 * makes (`try: … op.alter_column(), op.execute()`), at most three.
 */
function controlSummary(statement: SyntaxNode, text: string, first: string): string {
  const calls: string[] = [];
  const head = text.indexOf('\n', statement.from);
  statement.cursor().iterate((n) => {
    if (calls.length >= 3) return false;
    if (n.name !== 'CallExpression' || (head >= 0 && n.from < head)) return undefined;
    const name = calleeParts(n.node, text)?.join('.');
    if (name && !calls.includes(`${name}()`)) calls.push(`${name}()`);
    return false;
  });
  return calls.length ? `${first} … ${calls.join(', ')}` : first;
}

/** Top-level statements of a de-indented body, each classified. Call prepareClassifier() first. */
export function classifyBody(body: string, revision: string, fn: 'upgrade' | 'downgrade', scope: FileScope): ClassifiedStatement[] {
  const tree = parsePython(body);
  const out: ClassifiedStatement[] = [];
  for (let s = tree.topNode.firstChild; s; s = s.nextSibling) {
    if (s.name === 'Comment' || s.name === 'PassStatement') continue;
    const external = new Set<string>();
    const inner = kindOfNode(s, body, scope, 0, external);
    const isControl = CONTROL.has(s.name);
    // A docstring or a bare `...` is not an operation.
    if (s.name === 'ExpressionStatement' && inner === 'other' && !s.getChild('CallExpression')) continue;
    const kind: StatementKind = isControl ? 'control' : inner;
    const first = body.slice(s.from, s.to).split('\n', 1)[0].trim();
    const summary = isControl ? controlSummary(s, body, first) : first;
    const entry: ClassifiedStatement = { revision, fn, kind, summary };
    const what = whatItDoes(s, body);
    if (what) entry.what = what;
    if (isControl) entry.contains = inner;
    if (external.size) entry.externalNames = [...external];
    out.push(entry);
  }
  return out;
}
