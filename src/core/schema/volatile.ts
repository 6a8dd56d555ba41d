import { loadModule, parseSync } from 'libpg-query';
import type { Queryable } from './types';

/**
 * Columns whose default gives another value on every run, per table oid: column → default text.
 *
 * Decided from the catalog, not from a list of names: the default calls a function that pg_proc
 * says is not immutable (`gen_random_uuid()` and `clock_timestamp()` are volatile, `now()` is stable —
 * fixed within a transaction, different on the next run), found through pg_depend for functions of
 * extensions and users, and by parsing the expression for PostgreSQL's own (pinned, so pg_depend
 * holds nothing for them); or it holds one of SQL's value functions (`CURRENT_TIMESTAMP`, …, parser
 * nodes that are no pg_proc entries). A default that draws from a sequence (serial) is left in: its values are
 * the same on both sides when the seeds are, and foreign keys point at them.
 */
export async function notImmutableDefaults(client: Queryable): Promise<Map<number, Map<string, string>>> {
  const { rows } = await client.query<{ rel: number; column: string; def: string; calls_volatile: boolean; uses_sequence: boolean }>(
    `SELECT ad.adrelid::int AS rel, a.attname AS column, pg_get_expr(ad.adbin, ad.adrelid) AS def,
            EXISTS (SELECT 1 FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid
                     WHERE d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                       AND d.refclassid = 'pg_proc'::regclass AND p.provolatile <> 'i') AS calls_volatile,
            EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class s ON s.oid = d.refobjid
                     WHERE d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                       AND d.refclassid = 'pg_class'::regclass AND s.relkind = 'S') AS uses_sequence
       FROM pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
       JOIN pg_class c ON c.oid = ad.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT a.attisdropped AND a.attgenerated = '' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  );
  // PostgreSQL records no dependency on its own (pinned) functions such as now(): parse the default
  // with PostgreSQL's parser and look the functions it calls up in pg_proc.
  await loadModule();
  const parsed = new Map(rows.map((r) => [r, callsOf(r.def)]));
  const names = [...new Set([...parsed.values()].flatMap((c) => c.functions.map((f) => f.name)))];
  const { rows: procs } = names.length
    ? await client.query<{ name: string; schema: string; nargs: number }>(
        `SELECT p.proname AS name, n.nspname AS schema, p.pronargs::int AS nargs FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE p.proname = ANY($1::text[]) AND p.provolatile <> 'i'`,
        [names],
      )
    : { rows: [] };
  const notImmutable = (f: FunctionCall) => procs.some((p) => p.name === f.name && (!f.schema || p.schema === f.schema) && p.nargs === f.args);
  const out = new Map<number, Map<string, string>>();
  for (const r of rows) {
    if (r.uses_sequence) continue;
    const calls = parsed.get(r)!;
    if (!r.calls_volatile && !calls.valueFunction && !calls.functions.some(notImmutable)) continue;
    let table = out.get(r.rel);
    if (!table) out.set(r.rel, (table = new Map()));
    table.set(r.column, r.def);
  }
  return out;
}

interface FunctionCall {
  name: string;
  schema?: string;
  args: number;
}

/** The functions an expression calls, and whether it holds an SQLValueFunction (CURRENT_TIMESTAMP, CURRENT_DATE, …). */
function callsOf(expression: string): { functions: FunctionCall[]; valueFunction: boolean } {
  const functions: FunctionCall[] = [];
  let valueFunction = false;
  let tree: unknown;
  try {
    tree = parseSync(`SELECT ${expression}`);
  } catch {
    return { functions, valueFunction };
  }
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'SQLValueFunction') valueFunction = true;
      if (k === 'FuncCall') {
        const call = v as { funcname?: { String?: { sval?: string } }[]; args?: unknown[] };
        const parts = (call.funcname ?? []).map((p) => p.String?.sval ?? '');
        functions.push({ name: parts[parts.length - 1] ?? '', schema: parts.length > 1 ? parts[0] : undefined, args: call.args?.length ?? 0 });
      }
      walk(v);
    }
  };
  walk(tree);
  return { functions, valueFunction };
}
