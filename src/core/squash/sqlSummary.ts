import { parseSync } from 'libpg-query';

interface RangeVar {
  schemaname?: string;
  relname?: string;
}

type Node = Record<string, unknown>;

const VERBS: Record<string, string> = {
  InsertStmt: 'INSERT INTO',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE FROM',
  MergeStmt: 'MERGE INTO',
  CopyStmt: 'COPY',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  CreateStmt: 'CREATE TABLE',
  AlterTableStmt: 'ALTER TABLE',
  IndexStmt: 'CREATE INDEX ON',
  TruncateStmt: 'TRUNCATE',
  CreateTrigStmt: 'CREATE TRIGGER ON',
  CreateTableAsStmt: 'CREATE',
};

function qualified(r: RangeVar | undefined): string | undefined {
  if (!r?.relname) return undefined;
  return r.schemaname ? `${r.schemaname}.${r.relname}` : r.relname;
}

/** `DropStmt`'s objects: a list of name lists (`[schema, name]`). */
function droppedNames(stmt: Node): string[] {
  const objects = (stmt.objects as { List?: { items?: { String?: { sval?: string } }[] } }[] | undefined) ?? [];
  return objects.map((o) => (o.List?.items ?? []).map((i) => i.String?.sval ?? '').filter(Boolean).join('.')).filter(Boolean);
}

/** `SelectStmt` → `SELECT` plus the functions it calls at top level (`SELECT setval(…)`) or its first table. */
function selectText(stmt: Node): string {
  const from = (stmt.fromClause as { RangeVar?: RangeVar }[] | undefined)?.[0]?.RangeVar;
  if (from) return `SELECT FROM ${qualified(from)}`;
  const calls = ((stmt.targetList as { ResTarget?: { val?: { FuncCall?: { funcname?: { String?: { sval?: string } }[] } } } }[] | undefined) ?? [])
    .map((t) => t.ResTarget?.val?.FuncCall?.funcname?.map((n) => n.String?.sval).join('.'))
    .filter(Boolean);
  return calls.length ? `SELECT ${calls.join(', ')}()` : 'SELECT';
}

function describeOne(type: string, stmt: Node): string {
  if (type === 'SelectStmt') return selectText(stmt);
  if (type === 'ViewStmt') return `${stmt.replace ? 'CREATE OR REPLACE' : 'CREATE'} VIEW ${qualified(stmt.view as RangeVar) ?? ''}`.trim();
  if (type === 'DropStmt') {
    const kind = String(stmt.removeType ?? '').replace(/^OBJECT_/, '').replace(/_/g, ' ');
    return `DROP ${kind} ${droppedNames(stmt).join(', ')}`.trim();
  }
  const verb = VERBS[type];
  const target = qualified((stmt.relation ?? (stmt.into as { rel?: RangeVar } | undefined)?.rel) as RangeVar | undefined);
  if (verb) return target ? `${verb} ${target}` : verb;
  // Any other statement: its node name in words (`CreateFunctionStmt` → `CREATE FUNCTION`).
  return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/**
 * What a piece of SQL does, from PostgreSQL's own parser: statement kind and table, e.g.
 * `UPDATE phenopackets`, `INSERT INTO hpo_terms_lookup`; several statements joined with `; `.
 * Undefined when it does not parse. libpg-query must be loaded (prepareClassifier).
 */
export function describeSql(sql: string): string | undefined {
  try {
    const result = parseSync(sql) as { stmts?: { stmt?: Node }[] };
    const parts: string[] = [];
    for (const s of result.stmts ?? []) {
      const [type, body] = Object.entries(s.stmt ?? {})[0] ?? [];
      if (!type) continue;
      const text = describeOne(type, (body ?? {}) as Node);
      if (!parts.includes(text)) parts.push(text);
    }
    if (!parts.length) return undefined;
    return parts.length > 4 ? `${parts.slice(0, 4).join('; ')}; … (${parts.length} statements)` : parts.join('; ');
  } catch {
    return undefined;
  }
}
