import { loadModule, parseSync } from 'libpg-query';
import { deparse } from 'pgsql-deparser';
import type { DumpStatement } from '../../schema';
import { ident, qualify } from '../../schema/names';
import { pyRepr } from '../template';
import type { SnapshotFacts } from './facts';

/** The upgrade and downgrade bodies of a snapshot revision, and what they contain. */
export interface SnapshotBodies {
  upgrade: string;
  downgrade: string;
  /** Objects created, by kind (`table`, `view`, `function`, …), for the docstring and the report. */
  counts: Record<string, number>;
  /** Tables given seed rows, with their row counts. */
  seeded: { table: string; rows: number; leftToDefault: string[] }[];
  /** How many statements run as pg_dump wrote them. */
  dumpStatements: number;
  /** pg_dump statements in execution order. */
  sql: string[];
  /** With the `sql` format: the text of the .sql file next to the revision. */
  sidecar?: string;
}

/** `python`: pg_dump's statements inline, one `_execute()` each; `sql`: in a .sql file next to the revision. */
export type SnapshotFormat = 'python' | 'sql';

/** Reads the .sql file next to the revision and runs one of its sections statement by statement. */
export const SIDECAR_HELPER = `def _execute_sql_file(file_name: str, section: str) -> None:
    """Runs one section of a .sql file in this revision's folder, one statement at a time."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), file_name), encoding="utf-8") as f:
        text = f.read()
    part = text.split("\\n-- section: %s\\n" % section, 1)[1].split("\\n-- section: ", 1)[0]
    for statement in ("\\n" + part).split("\\n-- statement\\n")[1:]:
        _execute(statement.strip())`;

/**
 * Stands for the .sql file's name in the bodies until the revision's file name is known (file.ts).
 * The calls carry the name, not \`__file__\`: an op-merge squash that later carries this revision's
 * code into a file of another name still reads the same .sql file.
 */
export const SIDECAR_NAME = '__SIDECAR_FILE__';

function sidecarText(pre: string[], post: string[]): string {
  const section = (name: string, statements: string[]) => [`-- section: ${name}`, ...statements.map((st) => `-- statement\n${st}`)].join('\n');
  return [
    '-- The schema this revision creates, as pg_dump wrote it. Run by the revision, one statement at a time,',
    '-- pre-data before the seed rows and post-data after them. Keep the "-- section" and "-- statement" lines.',
    section('pre-data', pre),
    section('post-data', post),
    '',
  ].join('\n');
}

/** The helper every dumped statement goes through: no bind parameters, so `:name` and `%` stay as written. */
export const EXECUTE_HELPER = `def _execute(statement: str) -> None:
    """Runs one statement as pg_dump wrote it (no bind parameters: \`:name\` and \`%\` are kept)."""
    from alembic import context
    from sqlalchemy import text

    if context.is_offline_mode():
        # \`alembic upgrade --sql\`: written out as text, its colons escaped so none reads as a parameter.
        op.execute(text(statement.replace(":", "\\\\:")))
    else:
        op.get_bind().execution_options(no_parameters=True).exec_driver_sql(statement)`;

type Node = Record<string, any>;

function parseOne(text: string): { type: string; node: Node } {
  const parsed = parseSync(text) as { stmts?: { stmt: Node }[] };
  const stmt = parsed.stmts?.[0]?.stmt ?? {};
  const [type] = Object.keys(stmt);
  return { type: type ?? '', node: stmt[type ?? ''] ?? {} };
}

function names(list: Node[] | undefined): string[] {
  return (list ?? []).map((n) => n?.String?.sval).filter((s): s is string => typeof s === 'string');
}

function relName(r: Node | undefined): string {
  return r?.schemaname ? qualify(r.schemaname, r.relname) : qualify(r?.relname ?? '?');
}

/** A statement as one Python call: its lines as adjacent string literals (template indentation cannot reach inside). */
export function executeCall(sql: string): string {
  const text = sql.replace(/;\s*$/, '');
  const lines = text.split('\n');
  if (lines.length === 1) return `_execute(${pyRepr(text)})`;
  return `_execute(\n${lines.map((l, i) => `    ${pyRepr(i < lines.length - 1 ? l + '\n' : l)}`).join('\n')}\n)`;
}

const POST_DATA = new Set(['constraint', 'index', 'trigger', 'rule', 'policy']);

const CREATED_KIND: Record<string, string> = {
  CreateExtensionStmt: 'extension',
  CreateSchemaStmt: 'schema',
  CreateEnumStmt: 'enum',
  CompositeTypeStmt: 'type',
  CreateRangeStmt: 'type',
  CreateDomainStmt: 'domain',
  CreateFunctionStmt: 'function',
  ViewStmt: 'view',
  CreateSeqStmt: 'sequence',
  CreateStmt: 'table',
  IndexStmt: 'index',
  CreateTrigStmt: 'trigger',
  CreatePolicyStmt: 'policy',
  RuleStmt: 'rule',
};

/**
 * Interleaves Alembic's rendering of the tables with pg_dump's own statements for everything else,
 * in pg_dump's order: pre-data (extensions, types, functions, tables, views, …), then the seed rows
 * and sequence positions, then post-data (keys, indexes, triggers, policies), then the refresh of
 * materialized views the chain left populated. The downgrade drops every top-level object in reverse.
 */
export async function assembleBodies(statements: DumpStatement[], facts: SnapshotFacts, format: SnapshotFormat = 'python'): Promise<SnapshotBodies> {
  await loadModule();
  const tables = new Map(facts.tables.map((t) => [qualify(t.schema, t.table), t]));
  const covered = new Set<string>();
  for (const t of facts.tables) {
    const name = qualify(t.schema, t.table);
    if (t.comment) covered.add(`comment table ${name}`);
    for (const c of t.commentedColumns) covered.add(`comment column ${qualify(t.schema, t.table, c)}`);
    for (const c of t.constraints) covered.add(`constraint ${qualify(t.schema, t.table, c)}`);
    for (const s of t.serialColumns) covered.add(`sequence ${qualify(t.schema, s.sequence)}`);
  }
  const foreignKeys = new Map(facts.foreignKeys.map((f) => [qualify(f.schema, f.table, f.name), f]));
  const indexes = new Map(facts.indexes.map((i) => [qualify(i.schema, i.name), i]));
  const ownedSequences = new Set<string>();
  const parsed = statements.map((s) => ({ ...s, ...parseOne(s.text) }));
  for (const s of parsed) {
    if (s.type === 'AlterSeqStmt' && (s.node.options ?? []).some((o: Node) => o?.DefElem?.defname === 'owned_by')) ownedSequences.add(s.name);
  }

  const pre: string[] = [];
  const post: string[] = [];
  const preSql: string[] = [];
  const postSql: string[] = [];
  const drops: string[] = [];
  const sql: string[] = [];
  const counts: Record<string, number> = {};
  let dumpStatements = 0;
  let inPost = false;
  let sqlFunctions = false;
  const count = (kind: string) => (counts[kind] = (counts[kind] ?? 0) + 1);

  for (const s of parsed) {
    if (POST_DATA.has(s.kind)) inPost = true;
    const out = inPost ? post : pre;
    const key = `${s.kind} ${s.name}`;
    if (s.kind === 'column') {
      const table = tables.get(s.name.split('.').slice(0, -1).join('.'));
      const column = s.node.cmds?.[0]?.AlterTableCmd;
      const colName = column?.name as string | undefined;
      if (table && colName && ((column.subtype === 'AT_AddIdentity' && table.identityColumns.includes(colName)) || (column.subtype === 'AT_ColumnDefault' && table.serialColumns.some((c) => c.column === colName)))) continue;
    }
    if (covered.has(key)) continue;
    const created = CREATED_KIND[s.type] ?? (s.type === 'CreateTableAsStmt' && s.node.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : undefined);
    if (created) count(created);
    if (s.kind === 'table' && s.type === 'CreateStmt' && tables.has(s.name)) {
      const t = tables.get(s.name)!;
      out.push(t.create);
      drops.push(t.drop);
      continue;
    }
    if (s.kind === 'constraint' && foreignKeys.has(s.name)) {
      const f = foreignKeys.get(s.name)!;
      out.push(f.code);
      drops.push(f.drop);
      count('foreign key');
      continue;
    }
    if (s.kind === 'index' && indexes.has(s.name)) {
      out.push(indexes.get(s.name)!.code);
      continue;
    }
    if (s.type === 'CreateFunctionStmt' && (s.node.options ?? []).some((o: Node) => o?.DefElem?.defname === 'language' && o.DefElem.arg?.String?.sval === 'sql')) sqlFunctions = true;
    if (format === 'sql') (inPost ? postSql : preSql).push(s.text);
    else out.push(executeCall(s.text));
    sql.push(s.text);
    dumpStatements++;
    const drop = await dropStatement(s.type, s.node, s.name, ownedSequences);
    if (drop) drops.push(executeCall(drop));
  }

  const data: string[] = [];
  for (const seed of facts.seeds) {
    if (seed.bulkInsert) data.push(seed.bulkInsert);
    else if (seed.insert) {
      data.push(executeCall(seed.insert));
      sql.push(`${seed.insert};`);
    }
  }
  for (const seq of facts.sequences) data.push(executeCall(seq.statement));
  const refresh = facts.populatedMatviews.map((m) => executeCall(`REFRESH MATERIALIZED VIEW ${qualify(m.schema, m.name)}`));

  const upgrade: string[] = [];
  // pg_dump's own setting: SQL functions may name tables that are created after them.
  if (sqlFunctions) upgrade.push(executeCall("SELECT pg_catalog.set_config('check_function_bodies', 'false', true)"));
  if (format === 'sql') upgrade.push(`_execute_sql_file(${SIDECAR_NAME}, 'pre-data')`);
  upgrade.push(...pre);
  if (data.length) upgrade.push('# Seed rows the chain left in its tables, and the positions of its sequences.', ...data);
  if (format === 'sql') upgrade.push(`_execute_sql_file(${SIDECAR_NAME}, 'post-data')`);
  upgrade.push(...post);
  if (refresh.length) upgrade.push('# Materialized views the chain left populated.', ...refresh);

  return {
    upgrade: upgrade.join('\n'),
    downgrade: drops.reverse().join('\n') || 'pass',
    counts,
    seeded: facts.seeds.map((s) => ({ table: qualify(s.schema, s.table), rows: s.rows, leftToDefault: s.leftToDefault })),
    dumpStatements,
    sql,
    ...(format === 'sql' ? { sidecar: sidecarText(preSql, postSql) } : {}),
  };
}

/** DROP for an object that does not go away with its table (keys, indexes, triggers, comments do). */
async function dropStatement(type: string, node: Node, name: string, ownedSequences: Set<string>): Promise<string | undefined> {
  switch (type) {
    case 'CreateExtensionStmt':
      return `DROP EXTENSION ${ident(node.extname)}`;
    case 'CreateSchemaStmt':
      return `DROP SCHEMA ${ident(node.schemaname)}`;
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      return `DROP TYPE ${qualify(...names(node.typeName))}`;
    case 'CompositeTypeStmt':
      return `DROP TYPE ${relName(node.typevar)}`;
    case 'CreateDomainStmt':
      return `DROP DOMAIN ${qualify(...names(node.domainname))}`;
    case 'ViewStmt':
      return `DROP VIEW ${relName(node.view)}`;
    case 'CreateTableAsStmt':
      return node.objtype === 'OBJECT_MATVIEW' ? `DROP MATERIALIZED VIEW ${relName(node.into?.rel)}` : `DROP TABLE ${relName(node.into?.rel)}`;
    case 'CreateStmt':
      return `DROP TABLE ${relName(node.relation)}`;
    case 'CreateSeqStmt':
      return ownedSequences.has(name) ? undefined : `DROP SEQUENCE ${relName(node.sequence)}`;
    case 'AlterTableStmt': {
      const cmd = node.cmds?.[0]?.AlterTableCmd;
      const con = cmd?.def?.Constraint;
      // Foreign keys first: the tables they join are dropped in any order after them.
      if (cmd?.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_FOREIGN') return `ALTER TABLE ${relName(node.relation)} DROP CONSTRAINT ${ident(con.conname)}`;
      return undefined;
    }
    case 'CreateFunctionStmt': {
      const args = (node.parameters ?? [])
        .filter((p: Node) => !['FUNC_PARAM_OUT', 'FUNC_PARAM_TABLE'].includes(p?.FunctionParameter?.mode))
        .map((p: Node) => ({ TypeName: p.FunctionParameter.argType }));
      const drop = { DropStmt: { objects: [{ ObjectWithArgs: { objname: node.funcname, objargs: args } }], removeType: node.is_procedure ? 'OBJECT_PROCEDURE' : 'OBJECT_FUNCTION', behavior: 'DROP_RESTRICT' } };
      return (await deparse([{ RawStmt: { stmt: drop } }] as never)).replace(/;\s*$/, '');
    }
    case 'DefineStmt':
      return defineDrop(node);
    case 'CreateCastStmt':
      return deparseDrop({ objects: [{ List: { items: [{ TypeName: node.sourcetype }, { TypeName: node.targettype }] } }], removeType: 'OBJECT_CAST' });
    case 'CreateEventTrigStmt':
      return `DROP EVENT TRIGGER ${ident(node.trigname)}`;
    case 'CreatePublicationStmt':
      return `DROP PUBLICATION ${ident(node.pubname)}`;
    default:
      return undefined;
  }
}

/** Aggregates, operators and collations (`CREATE AGGREGATE/OPERATOR/COLLATION` are DefineStmts). */
async function defineDrop(node: Node): Promise<string | undefined> {
  const objname = node.defnames;
  if (node.kind === 'OBJECT_AGGREGATE') {
    const params: Node[] | undefined = node.args?.[0]?.List?.items;
    // `agg(*)` has no argument list in the tree; the deparser writes the `(*)` back.
    if (!params) return deparseDrop({ objects: [{ ObjectWithArgs: { objname } }], removeType: 'OBJECT_AGGREGATE' });
    const objargs = params.filter((p) => !['FUNC_PARAM_OUT', 'FUNC_PARAM_TABLE'].includes(p?.FunctionParameter?.mode)).map((p) => ({ TypeName: p.FunctionParameter.argType }));
    return deparseDrop({ objects: [{ ObjectWithArgs: { objname, objargs } }], removeType: 'OBJECT_AGGREGATE' });
  }
  if (node.kind === 'OBJECT_OPERATOR') {
    const arg = (name: string) => node.definition?.find((d: Node) => d?.DefElem?.defname === name)?.DefElem?.arg?.TypeName;
    const left = arg('leftarg');
    const right = arg('rightarg');
    // A prefix operator has no left operand: DROP OPERATOR name (NONE, right).
    const objargs = [left ? { TypeName: left } : {}, right ? { TypeName: right } : {}];
    return deparseDrop({ objects: [{ ObjectWithArgs: { objname, objargs } }], removeType: 'OBJECT_OPERATOR' });
  }
  if (node.kind === 'OBJECT_COLLATION') return deparseDrop({ objects: [{ List: { items: objname } }], removeType: 'OBJECT_COLLATION' });
  return undefined;
}

async function deparseDrop(drop: Node): Promise<string> {
  return (await deparse([{ RawStmt: { stmt: { DropStmt: { ...drop, behavior: 'DROP_RESTRICT' } } } }] as never)).replace(/;\s*$/, '');
}
