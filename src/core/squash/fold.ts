import type { SyntaxNode } from '@lezer/common';
import { stringValue } from '../parse';

/**
 * What an Alembic op call on an existing table becomes as part of that table's `op.create_table`:
 * Alembic's create_table emits the table's indexes and comments itself, so these give the same
 * database. Only literal, fully understood calls fold; anything else (schema=, expressions, unknown
 * keywords) returns undefined and the statement stays where it is.
 */
export interface Fold {
  table: string;
  /** `column` and `constraint` are positional arguments; `keyword` goes last (comment=). */
  kind: 'column' | 'constraint' | 'keyword' | 'column-comment';
  text: string;
  /** Index and constraint names: a statement between that mentions one is a barrier. */
  names: string[];
  /** A foreign key's referred table: it must exist when the create_table runs. */
  refers?: string;
  /** For `column-comment`: the column that gets comment=. */
  column?: string;
}

interface Args {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

/** The arguments of a call, or undefined when it has starred arguments. */
export function callArgs(call: SyntaxNode, text: string): Args | undefined {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  const list = call.getChild('ArgList');
  for (let c = list?.firstChild; c; c = c.nextSibling) {
    if (c.name === '(' || c.name === ',' || c.name === ')' || c.name === 'Comment') continue;
    if (c.name === '*' || c.name === '**') return undefined;
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
      const value = c.nextSibling.nextSibling;
      if (!value) return undefined;
      keywords.set(text.slice(c.from, c.to), value);
      c = value;
      continue;
    }
    positional.push(c);
  }
  return { positional, keywords };
}

/** Where another argument can be appended: the end of the call's last argument. */
export function lastArgEnd(call: SyntaxNode): number | undefined {
  const list = call.getChild('ArgList');
  let end: number | undefined;
  for (let c = list?.firstChild; c; c = c.nextSibling) if (c.name !== '(' && c.name !== ',' && c.name !== ')' && c.name !== 'Comment') end = c.to;
  return end;
}

const src = (n: SyntaxNode, text: string) => text.slice(n.from, n.to);

/** A constraint or index name: a string literal, `op.f('…')`, or (where allowed) None. */
function nameArg(n: SyntaxNode, text: string, noneAllowed: boolean): { text: string; name?: string } | undefined {
  const s = stringValue(n, text);
  if (s !== undefined) return { text: src(n, text), name: s };
  if (noneAllowed && n.name === 'None') return { text: 'None' };
  if (n.name === 'CallExpression' && src(n.firstChild!, text) === 'op.f') {
    const a = callArgs(n, text);
    const inner = a?.positional.length === 1 && a.keywords.size === 0 ? stringValue(a.positional[0], text) : undefined;
    if (inner !== undefined) return { text: src(n, text), name: inner };
  }
  return undefined;
}

/** The elements of a literal list or tuple of strings. */
function stringList(n: SyntaxNode, text: string): { texts: string[]; values: string[] } | undefined {
  if (n.name !== 'ArrayExpression' && n.name !== 'TupleExpression') return undefined;
  const texts: string[] = [];
  const values: string[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (['[', ']', '(', ')', ',', 'Comment'].includes(c.name)) continue;
    const v = stringValue(c, text);
    if (v === undefined) return undefined;
    texts.push(src(c, text));
    values.push(v);
  }
  return texts.length ? { texts, values } : undefined;
}

/** `name=…`, or nothing for an unnamed constraint (PostgreSQL names it the same way either way). */
const named = (name: string) => (name === 'None' ? [] : [`name=${name}`]);

const pyString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Keyword arguments passed through unchanged, when every one is in `allowed`; undefined otherwise. */
function passThrough(args: Args, allowed: string[], text: string): string[] | undefined {
  const out: string[] = [];
  for (const [k, v] of args.keywords) {
    if (!allowed.includes(k)) return undefined;
    out.push(`${k}=${src(v, text)}`);
  }
  return out;
}

/** The fold of `op.<method>(…)`, or undefined when it stays a statement of its own. */
export function foldOf(method: string, call: SyntaxNode, text: string): Fold | undefined {
  const args = callArgs(call, text);
  if (!args) return undefined;
  const p = args.positional;
  const join = (parts: string[]) => parts.join(', ');
  if (method === 'create_index' && p.length === 3) {
    const name = nameArg(p[0], text, false);
    const table = stringValue(p[1], text);
    const cols = stringList(p[2], text);
    const kw = passThrough(args, ['unique', 'postgresql_using', 'postgresql_where', 'postgresql_include'], text);
    if (!name?.name || !table || !cols || !kw) return undefined;
    return { table, kind: 'constraint', text: `sa.Index(${join([name.text, ...cols.texts, ...kw])})`, names: [name.name] };
  }
  if (method === 'create_foreign_key' && p.length === 5) {
    const name = nameArg(p[0], text, true);
    const table = stringValue(p[1], text);
    const referent = stringValue(p[2], text);
    const local = stringList(p[3], text);
    const remote = stringList(p[4], text);
    const kw = passThrough(args, ['onupdate', 'ondelete', 'deferrable', 'initially', 'match'], text);
    if (!name || !table || !referent || !local || !remote || !kw) return undefined;
    const refs = `[${remote.values.map((c) => pyString(`${referent}.${c}`)).join(', ')}]`;
    return {
      table, kind: 'constraint', refers: referent, names: name.name ? [name.name] : [],
      text: `sa.ForeignKeyConstraint(${join([`[${local.texts.join(', ')}]`, refs, ...named(name.text), ...kw])})`,
    };
  }
  if (method === 'create_unique_constraint' && p.length === 3) {
    const name = nameArg(p[0], text, true);
    const table = stringValue(p[1], text);
    const cols = stringList(p[2], text);
    const kw = passThrough(args, ['deferrable', 'initially'], text);
    if (!name || !table || !cols || !kw) return undefined;
    return { table, kind: 'constraint', text: `sa.UniqueConstraint(${join([...cols.texts, ...named(name.text), ...kw])})`, names: name.name ? [name.name] : [] };
  }
  if (method === 'create_check_constraint' && p.length === 3 && args.keywords.size === 0) {
    // A condition built from SQLAlchemy expressions binds differently inside a Table: literal SQL only.
    const name = nameArg(p[0], text, false);
    const table = stringValue(p[1], text);
    if (!name?.name || !table || stringValue(p[2], text) === undefined) return undefined;
    return { table, kind: 'constraint', text: `sa.CheckConstraint(${src(p[2], text)}, name=${name.text})`, names: [name.name] };
  }
  if (method === 'create_table_comment' && p.length === 2) {
    const table = stringValue(p[0], text);
    const existing = args.keywords.get('existing_comment');
    const onlyExisting = [...args.keywords.keys()].every((k) => k === 'existing_comment') && (!existing || existing.name === 'None');
    if (!table || stringValue(p[1], text) === undefined || !onlyExisting) return undefined;
    return { table, kind: 'keyword', text: `comment=${src(p[1], text)}`, names: [] };
  }
  if (method === 'alter_column' && p.length === 2) {
    // alter_column that only sets a column's comment (existing_* describe, they change nothing).
    const table = stringValue(p[0], text);
    const column = stringValue(p[1], text);
    const comment = args.keywords.get('comment');
    const existing = args.keywords.get('existing_comment');
    const allowed = ['comment', 'existing_type', 'existing_nullable', 'existing_server_default', 'existing_comment'];
    if (!table || !column || !comment || stringValue(comment, text) === undefined) return undefined;
    if ([...args.keywords.keys()].some((k) => !allowed.includes(k)) || (existing && existing.name !== 'None')) return undefined;
    return { table, kind: 'column-comment', column, text: `comment=${src(comment, text)}`, names: [] };
  }
  return undefined;
}

/** The `sa.Column('name', …)` arguments of a create_table: where comment= can go, unless it has one. */
export function tableColumns(call: SyntaxNode, text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of callArgs(call, text)?.positional ?? []) {
    if (a.name !== 'CallExpression' || src(a.firstChild!, text) !== 'sa.Column') continue;
    const ca = callArgs(a, text);
    const name = ca?.positional[0] ? stringValue(ca.positional[0], text) : undefined;
    const end = lastArgEnd(a);
    if (name && end !== undefined && !ca!.keywords.has('comment')) out.set(name, end);
  }
  return out;
}
