import type { SyntaxNode } from '@lezer/common';
import { parseSync } from 'libpg-query';
import { parsePython, stringValue } from '../parse';
import { callArgs, foldOf, tableColumns, type Fold } from './fold';

/**
 * The optimizer of the op-merge squash: conservative, static rewrites of the merged upgrade() that
 * give the same database. Only top-level statements that are one plain call are touched; any
 * statement that is not a recognised schema call (data operations, SQL it cannot read, helpers,
 * control flow) is a barrier, and so is any statement between two candidates whose text mentions
 * the object's name. When in doubt, keep. The downgrade is left as written (it stays correct).
 *
 * Rules:
 * - `create-then-drop`: an object created and later dropped with nothing between touching it → both
 *   removed (tables, indexes, views, materialized views, functions).
 * - `replaced-again`: a view or function created (or replaced) and later replaced with
 *   CREATE OR REPLACE, nothing between touching it → the earlier definition removed.
 * - `folded-into-create-table`: `op.add_column` of a plain `sa.Column`, `op.create_index`,
 *   `op.create_foreign_key`, `op.create_unique_constraint`, `op.create_check_constraint`,
 *   `op.create_table_comment` and a comment-only `op.alter_column` on a table created earlier in the
 *   range → part of its `op.create_table`, when no statement between is a barrier or mentions the
 *   table (or the index/constraint name), and a foreign key's referred table exists by then.
 */
export type OptimizationRule = 'create-then-drop' | 'replaced-again' | 'folded-into-create-table' | 'dropped-with-table';

export interface Optimization {
  rule: OptimizationRule;
  revision: string;
  /** First line of the removed statement. */
  statement: string;
  /** `view public.v`, `table t`, … */
  object: string;
  /** Where it was removed; upgrade() when absent. */
  fn?: 'downgrade';
}

type Kind = 'table' | 'index' | 'view' | 'matview' | 'function';

interface Effect {
  action: 'create' | 'replace' | 'drop';
  kind: Kind;
  /** Identity: kind + name (+ argument types for functions). */
  key: string;
  /** The bare name, for the "mentioned in between" check. */
  name: string;
}

interface Statement {
  revision: string;
  from: number;
  to: number;
  text: string;
  effect?: Effect;
  /** A statement the optimizer cannot see through. */
  barrier: boolean;
  /** `op.create_table('t', …)`: where another column can go (after its last positional argument). */
  table?: { name: string; insertAt: number; columns: Map<string, number> };
  /** A call that can become part of an earlier create_table of its table. */
  fold?: Fold;
  /** `op.create_table`, `op.drop_table`, `op.rename_table`: the table names it takes (FK check). */
  tableNames?: string[];
}

/** First positional argument of a call, when it is a string literal. */
function stringArg(call: SyntaxNode, text: string, index = 0): string | undefined {
  const args = call.getChild('ArgList');
  let i = 0;
  for (let c = args?.firstChild; c; c = c.nextSibling) {
    if (c.name === '(' || c.name === ',' || c.name === ')') continue;
    if (c.nextSibling?.name === 'AssignOp' || c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') return undefined;
    if (i++ === index) return stringValue(c, text);
  }
  return undefined;
}

function hasKeywordArgs(call: SyntaxNode): boolean {
  const args = call.getChild('ArgList');
  for (let c = args?.firstChild; c; c = c.nextSibling) if (c.name === 'AssignOp') return true;
  return false;
}

const bare = (name: string) => name.split('.').pop()!.replace(/"/g, '');

/** The effect of one SQL statement on a view, materialized view or function, from PostgreSQL's parser. */
function sqlEffect(sql: string): Effect | 'other' | undefined {
  let stmts: { stmt?: Record<string, Record<string, unknown>> }[];
  try {
    stmts = (parseSync(sql) as { stmts?: { stmt?: Record<string, Record<string, unknown>> }[] }).stmts ?? [];
  } catch {
    return undefined;
  }
  if (stmts.length !== 1) return 'other';
  const [type, node] = Object.entries(stmts[0].stmt ?? {})[0] ?? [];
  if (!type || !node) return 'other';
  const rel = (r: unknown) => {
    const v = r as { schemaname?: string; relname?: string } | undefined;
    return v?.relname ? (v.schemaname ? `${v.schemaname}.${v.relname}` : v.relname) : undefined;
  };
  if (type === 'ViewStmt') {
    const name = rel(node.view);
    return name ? { action: node.replace ? 'replace' : 'create', kind: 'view', key: `view ${name}`, name: bare(name) } : 'other';
  }
  if (type === 'CreateTableAsStmt' && node.objtype === 'OBJECT_MATVIEW') {
    const name = rel((node.into as { rel?: unknown } | undefined)?.rel);
    return name ? { action: 'create', kind: 'matview', key: `matview ${name}`, name: bare(name) } : 'other';
  }
  if (type === 'CreateFunctionStmt' && !node.is_procedure) {
    const name = ((node.funcname as { String?: { sval?: string } }[] | undefined) ?? []).map((n) => n.String?.sval).join('.');
    const args = JSON.stringify(((node.parameters as { FunctionParameter?: { argType?: unknown; mode?: string } }[] | undefined) ?? []).filter((p) => p.FunctionParameter?.mode !== 'FUNC_PARAM_OUT' && p.FunctionParameter?.mode !== 'FUNC_PARAM_TABLE').map((p) => stripLocations(p.FunctionParameter?.argType)));
    return name ? { action: node.replace ? 'replace' : 'create', kind: 'function', key: `function ${name}(${args})`, name: bare(name) } : 'other';
  }
  if (type === 'DropStmt') {
    const kinds: Record<string, Kind> = { OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'matview', OBJECT_FUNCTION: 'function' };
    const kind = kinds[String(node.removeType)];
    const objects = (node.objects as unknown[] | undefined) ?? [];
    if (!kind || objects.length !== 1 || node.behavior === 'DROP_CASCADE') return 'other';
    if (kind === 'function') {
      const obj = objects[0] as { ObjectWithArgs?: { objname?: { String?: { sval?: string } }[]; objargs?: unknown[]; args_unspecified?: boolean } };
      const name = (obj.ObjectWithArgs?.objname ?? []).map((n) => n.String?.sval).join('.');
      if (!name || obj.ObjectWithArgs?.args_unspecified) return 'other';
      const args = JSON.stringify((obj.ObjectWithArgs?.objargs ?? []).map(stripLocations));
      return { action: 'drop', kind, key: `function ${name}(${args})`, name: bare(name) };
    }
    const items = (objects[0] as { List?: { items?: { String?: { sval?: string } }[] } }).List?.items ?? [];
    const name = items.map((i) => i.String?.sval).join('.');
    return name ? { action: 'drop', kind, key: `${kind} ${name}`, name: bare(name) } : 'other';
  }
  return 'other';
}

function stripLocations(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripLocations);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'location') out[k] = stripLocations(x);
    return out;
  }
  return v;
}

const SCHEMA_CALLS = new Set([
  'add_column', 'drop_column', 'alter_column', 'create_index', 'drop_index', 'create_table', 'drop_table', 'create_foreign_key',
  'create_unique_constraint', 'create_check_constraint', 'create_primary_key', 'drop_constraint', 'rename_table',
  'create_table_comment', 'drop_table_comment',
]);

/** What a top-level statement does, or a barrier. */
type Analysis = Pick<Statement, 'effect' | 'barrier' | 'table' | 'fold' | 'tableNames'>;

/** Positional arguments of a call, or undefined when it has keyword or starred arguments. */
function positionalArgs(call: SyntaxNode): SyntaxNode[] | undefined {
  const out: SyntaxNode[] = [];
  const args = call.getChild('ArgList');
  for (let c = args?.firstChild; c; c = c.nextSibling) {
    if (c.name === '(' || c.name === ',' || c.name === ')' || c.name === 'Comment') continue;
    if (c.name === 'AssignOp' || c.name === '*' || c.name === '**') return undefined;
    out.push(c);
  }
  return out;
}

function analyse(node: SyntaxNode, text: string): Analysis {
  if (node.name === 'PassStatement') return { barrier: false };
  if (node.name !== 'ExpressionStatement') return { barrier: true };
  const call = node.firstChild;
  // A docstring does nothing.
  if (call && (call.name === 'String' || call.name === 'ContinuedString') && !call.nextSibling) return { barrier: false };
  if (!call || call.name !== 'CallExpression' || call.nextSibling) return { barrier: true };
  const callee = call.firstChild;
  if (callee?.name !== 'MemberExpression') return { barrier: true };
  const obj = callee.firstChild;
  const prop = callee.lastChild;
  if (obj?.name !== 'VariableName' || text.slice(obj.from, obj.to) !== 'op' || prop?.name !== 'PropertyName') return { barrier: true };
  const method = text.slice(prop.from, prop.to);
  if (method === 'execute') {
    const sql = stringArg(call, text);
    if (sql === undefined || hasKeywordArgs(call)) return { barrier: true };
    const effect = sqlEffect(sql);
    if (effect === undefined) return { barrier: true };
    if (effect === 'other') {
      // Literal DDL the optimizer does not rewrite is no barrier (its text is checked for mentions);
      // data statements are.
      const types = ((parseSync(sql) as { stmts?: { stmt?: Record<string, unknown> }[] }).stmts ?? []).map((s) => Object.keys(s.stmt ?? {})[0] ?? '');
      const data = types.some((t) => ['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'SelectStmt', 'DoStmt', 'CallStmt', 'RefreshMatViewStmt', 'TruncateStmt'].includes(t));
      return { barrier: data };
    }
    return { effect, barrier: false };
  }
  if (!SCHEMA_CALLS.has(method)) return { barrier: true };
  if (method === 'rename_table') return { barrier: false, tableNames: [0, 1].map((i) => stringArg(call, text, i) ?? '') };
  if (method === 'create_table' || method === 'drop_table') {
    const name = stringArg(call, text);
    if (!name || hasKeywordArgs(call) && method === 'drop_table') return { barrier: false };
    const result: Analysis = { effect: { action: method === 'create_table' ? 'create' : 'drop', kind: 'table', key: `table ${name}`, name }, barrier: false, tableNames: [name] };
    if (method === 'create_table') {
      // Columns go after the last positional argument (keyword arguments such as schema= stay last).
      const args = call.getChild('ArgList');
      let last: SyntaxNode | undefined;
      for (let c = args?.firstChild; c; c = c.nextSibling) {
        if (c.name === 'AssignOp' || c.name === '*' || c.name === '**') break;
        if (c.name !== '(' && c.name !== ',' && c.name !== ')' && c.name !== 'Comment' && c.nextSibling?.name !== 'AssignOp') last = c;
      }
      if (last && !hasKeywordArgs(call)) result.table = { name, insertAt: last.to, columns: tableColumns(call, text) };
    }
    return result;
  }
  if (method === 'add_column') {
    const args = positionalArgs(call);
    const table = stringArg(call, text);
    const column = args?.length === 2 && args[1].name === 'CallExpression' ? text.slice(args[1].from, args[1].to) : undefined;
    // A column Alembic's add_column would treat differently from create_table (an index or unique
    // flag, a comment, an Identity or a sequence) stays where it is.
    const plain = column !== undefined && /^sa\.Column\(/.test(column) && !['index=', 'unique=', 'comment=', 'Identity', 'Sequence', 'Computed', 'autoincrement'].some((k) => column.includes(k));
    return { barrier: false, ...(table && plain ? { fold: { table, kind: 'column', text: column, names: [] } } : {}) };
  }
  const fold = foldOf(method, call, text);
  if (method === 'create_index' || method === 'drop_index') {
    const name = stringArg(call, text);
    if (!name) return { barrier: false, ...(fold ? { fold } : {}) };
    return { effect: { action: method === 'create_index' ? 'create' : 'drop', kind: 'index', key: `index ${name}`, name }, barrier: false, ...(fold ? { fold } : {}) };
  }
  return { barrier: false, ...(fold ? { fold } : {}) };
}

/** True when `text` mentions `name` as a word (an identifier or inside a string). */
function mentions(text: string, name: string): boolean {
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    const before = text[i - 1];
    const after = text[i + name.length];
    const word = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
    if (!word(before) && !word(after)) return true;
  }
  return false;
}

/**
 * Applies the rules to the members' upgrade bodies (in upgrade order). Returns the rewritten bodies
 * (a removed statement leaves a comment saying why) and what was removed.
 */
export function optimizeUpgrade(blocks: { revision: string; body: string }[]): { bodies: Map<string, string>; removed: Optimization[] } {
  const statements: Statement[] = [];
  for (const b of blocks) {
    const top = parsePython(b.body).topNode;
    for (let s = top.firstChild; s; s = s.nextSibling) {
      if (s.name === 'Comment') continue;
      const analysis = analyse(s, b.body);
      statements.push({ revision: b.revision, from: s.from, to: s.to, text: b.body.slice(s.from, s.to), ...analysis });
    }
  }
  const removed = new Map<Statement, Optimization>();
  const clearBetween = (i: number, j: number, name: string): boolean => {
    for (let k = i + 1; k < j; k++) {
      const s = statements[k];
      if (removed.has(s)) continue;
      if (s.barrier || mentions(s.text, name)) return false;
    }
    return true;
  };
  for (let i = 0; i < statements.length; i++) {
    const a = statements[i];
    if (!a.effect || a.effect.action === 'drop' || removed.has(a)) continue;
    for (let j = i + 1; j < statements.length; j++) {
      const b = statements[j];
      if (removed.has(b)) continue;
      if (b.barrier) break;
      if (!b.effect || b.effect.key !== a.effect.key) {
        if (mentions(b.text, a.effect.name)) break;
        continue;
      }
      if (!clearBetween(i, j, a.effect.name)) break;
      const first = (s: Statement) => s.text.trim().split('\n', 1)[0];
      if (b.effect.action === 'drop' && a.effect.action === 'create') {
        removed.set(a, { rule: 'create-then-drop', revision: a.revision, statement: first(a), object: a.effect.key });
        removed.set(b, { rule: 'create-then-drop', revision: b.revision, statement: first(b), object: b.effect.key });
      } else if (b.effect.action === 'replace' && (a.effect.kind === 'view' || a.effect.kind === 'function')) {
        removed.set(a, { rule: 'replaced-again', revision: a.revision, statement: first(a), object: a.effect.key });
      }
      break;
    }
  }
  // Rule 2: a later call on a table created in the range joins its create_table, when nothing
  // between is a barrier or mentions the table or the index/constraint's name.
  const folded = new Map<Statement, Fold[]>();
  for (let i = 0; i < statements.length; i++) {
    const a = statements[i];
    if (!a.table || removed.has(a)) continue;
    const table = a.table.name;
    const commented = new Set<string>();
    let tableComment = false;
    for (let j = i + 1; j < statements.length; j++) {
      const b = statements[j];
      if (removed.has(b) || isInert(b)) continue;
      const f = b.fold;
      if (b.barrier || f?.table !== table) {
        if (b.barrier || mentions(b.text, table)) break;
        continue;
      }
      const between = statements.slice(i + 1, j).filter((s) => !removed.has(s));
      if ([...f.names, ...(f.refers ? [f.refers] : [])].some((n) => between.some((s) => mentions(s.text, n)))) break;
      if (f.kind === 'keyword' && tableComment) break;
      if (f.kind === 'column-comment' && (!a.table.columns.has(f.column!) || commented.has(f.column!))) break;
      if (f.refers !== undefined && f.refers !== table && !existsBefore(statements, i, f.refers, removed)) break;
      if (f.kind === 'keyword') tableComment = true;
      if (f.kind === 'column-comment') commented.add(f.column!);
      folded.set(a, [...(folded.get(a) ?? []), f]);
      removed.set(b, { rule: 'folded-into-create-table', revision: b.revision, statement: b.text.trim().split('\n', 1)[0], object: `table ${table}` });
    }
  }

  const bodies = new Map<string, string>();
  for (const b of blocks) {
    let body = b.body;
    const edits: { at: number; end: number; text: string }[] = [];
    for (const [s, folds] of folded) {
      if (s.revision !== b.revision || !s.table) continue;
      const indent = ' '.repeat(Math.max(0, s.text.split('\n').slice(-1)[0].search(/\S/))) || '';
      const multiline = s.text.includes('\n');
      // Columns first, then indexes and constraints (which name them), then comment=.
      const order = ['column', 'constraint', 'keyword'].flatMap((k) => folds.filter((f) => f.kind === k));
      const add = order.map((f) => (multiline ? `,\n${indent}    ${f.text}` : `, ${f.text}`)).join('');
      edits.push({ at: s.table.insertAt, end: s.table.insertAt, text: add });
      for (const f of folds.filter((x) => x.kind === 'column-comment')) {
        const at = s.table.columns.get(f.column!)!;
        edits.push({ at, end: at, text: `, ${f.text}` });
      }
    }
    const mine = statements.filter((s) => s.revision === b.revision && removed.has(s));
    for (const s of mine) {
      const rule = removed.get(s)!.rule;
      const why =
        rule === 'create-then-drop' ? 'created and dropped again within this squash' : rule === 'replaced-again' ? 'replaced again later in this squash' : s.fold?.kind === 'column' ? 'its column is part of the create_table above' : 'part of the create_table above';
      const end = body[s.to - 1] === '\n' ? s.to - 1 : s.to;
      edits.push({ at: s.from, end, text: `# optimized away (${why}): ${s.text.trim().split('\n', 1)[0]}` });
    }
    for (const e of edits.sort((x, y) => y.at - x.at)) body = body.slice(0, e.at) + e.text + body.slice(e.end);
    bodies.set(b.revision, body);
  }
  return { bodies, removed: statements.filter((s) => removed.has(s)).map((s) => removed.get(s)!) };
}

/** `pass` or a docstring: nothing runs. */
function isInert(s: Statement): boolean {
  const t = s.text.trim();
  return t === 'pass' || (!s.barrier && !s.effect && !s.table && !s.fold && (t.startsWith('"') || t.startsWith("'")));
}

/**
 * A foreign key's referred table exists when the create_table at `at` runs: created by an
 * op.create_table before it, or never created, dropped or renamed in the range before it (so it
 * predates the range); either way with no barrier after that (a helper or SQL might drop it), and
 * nothing else before it that names it except other tables' columns and foreign keys.
 */
function existsBefore(statements: Statement[], at: number, name: string, removed: Map<Statement, Optimization>): boolean {
  let unsure = false;
  let gone = false;
  for (let k = 0; k < at; k++) {
    const s = statements[k];
    if (removed.has(s)) continue;
    if (s.effect?.kind === 'table' && s.effect.name === name) {
      gone = s.effect.action === 'drop';
      unsure = false;
    } else if (s.barrier || s.tableNames?.includes(name)) unsure = true;
    else if (s.effect?.kind !== 'table' && !s.fold && mentions(s.text, name)) unsure = true;
  }
  return !unsure && !gone;
}

/**
 * The downgrade rule `dropped-with-table`: `op.drop_index(…, table_name='t')` or
 * `op.drop_constraint(…, 't', …)` followed by `op.drop_table('t')` of a table the range's upgrade
 * creates, with nothing between that is a barrier or mentions the table → only the drop_table
 * (PostgreSQL drops a table's indexes and constraints with it). Blocks in downgrade order.
 */
export function optimizeDowngrade(blocks: { revision: string; body: string }[], upgrades: { revision: string; body: string }[]): { bodies: Map<string, string>; removed: Optimization[] } {
  const created = new Set<string>();
  for (const b of upgrades) {
    const top = parsePython(b.body).topNode;
    for (let s = top.firstChild; s; s = s.nextSibling) {
      const e = analyse(s, b.body).effect;
      if (e?.kind === 'table' && e.action === 'create') created.add(e.name);
    }
  }
  const statements: (Statement & { dropsOn?: string })[] = [];
  for (const b of blocks) {
    const top = parsePython(b.body).topNode;
    for (let s = top.firstChild; s; s = s.nextSibling) {
      if (s.name === 'Comment') continue;
      statements.push({ revision: b.revision, from: s.from, to: s.to, text: b.body.slice(s.from, s.to), ...analyse(s, b.body), dropsOn: dropsOn(s, b.body) });
    }
  }
  const removed = new Map<Statement, Optimization>();
  for (let i = 0; i < statements.length; i++) {
    const a = statements[i];
    const table = a.dropsOn;
    if (!table || !created.has(table)) continue;
    for (let j = i + 1; j < statements.length; j++) {
      const b = statements[j];
      if (isInert(b)) continue;
      if (b.dropsOn === table) continue;
      if (!b.barrier && b.effect?.kind === 'table' && b.effect.action === 'drop' && b.effect.name === table) {
        removed.set(a, { rule: 'dropped-with-table', revision: a.revision, statement: a.text.trim().split('\n', 1)[0], object: `table ${table}`, fn: 'downgrade' });
        break;
      }
      if (b.barrier || mentions(b.text, table)) break;
    }
  }
  const bodies = new Map<string, string>();
  for (const b of blocks) {
    let body = b.body;
    for (const s of statements.filter((x) => x.revision === b.revision && removed.has(x)).sort((x, y) => y.from - x.from)) {
      const end = body[s.to - 1] === '\n' ? s.to - 1 : s.to;
      body = body.slice(0, s.from) + `# optimized away (the drop_table below drops it): ${s.text.trim().split('\n', 1)[0]}` + body.slice(end);
    }
    bodies.set(b.revision, body);
  }
  return { bodies, removed: statements.filter((s) => removed.has(s)).map((s) => removed.get(s)!) };
}

/** The table of a plain `op.drop_index(name, table_name='t')` or `op.drop_constraint(name, 't', type_=…)`. */
function dropsOn(node: SyntaxNode, text: string): string | undefined {
  const call = node.name === 'ExpressionStatement' ? node.firstChild : null;
  if (!call || call.name !== 'CallExpression' || call.nextSibling) return undefined;
  const callee = text.slice(call.firstChild!.from, call.firstChild!.to);
  const args = callArgs(call, text);
  if (!args || [...args.keywords.keys()].some((k) => !['table_name', 'type_'].includes(k))) return undefined;
  if (callee === 'op.drop_index' && args.positional.length === 1) {
    const t = args.keywords.get('table_name');
    return t ? stringValue(t, text) : undefined;
  }
  if (callee === 'op.drop_constraint' && args.positional.length === 2 && !args.keywords.has('table_name')) return stringValue(args.positional[1], text);
  return undefined;
}
