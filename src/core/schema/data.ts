import type { DataDiff, DataSnapshot, Queryable, RowExamples, TableData, TableDataDifference } from './types';
import { IGNORED_TABLES, qualify } from './names';

export interface CaptureDataOptions {
  /** Tables always captured, even when empty (`schema.table` or `table` for public). */
  tables?: string[];
  /** Rows read per table at most (seed tables are small; a big table is marked truncated). */
  maxRows?: number;
}

const EXAMPLES = 5;

/**
 * Reads the rows of every non-empty table in the user's schemas (plus the given tables), each
 * column cast to text and the rows sorted, so two databases can be compared row by row.
 */
export async function captureData(client: Queryable, options: CaptureDataOptions = {}): Promise<DataSnapshot> {
  const maxRows = options.maxRows ?? 10_000;
  const wanted = new Set((options.tables ?? []).map((t) => (t.includes('.') ? t : `public.${t}`)));
  const { rows: tables } = await client.query<{ schema: string; name: string; columns: string[] }>(
    `SELECT n.nspname AS schema, c.relname AS name,
            array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  const out = new Map<string, TableData>();
  for (const t of tables) {
    if (IGNORED_TABLES.has(t.name)) continue;
    const name = qualify(t.schema, t.name);
    const plainName = `${t.schema}.${t.name}`;
    // Column order is not part of a row's identity here: sort names so reordered tables still compare.
    const columns = [...t.columns].sort();
    const select = columns.length ? columns.map((c) => `${quote(c)}::text`).join(', ') : 'NULL';
    const { rows } = await client.query({
      text: `SELECT ${select} FROM ONLY ${quote(t.schema)}.${quote(t.name)} LIMIT ${maxRows + 1}`,
      rowMode: 'array',
    });
    const data = rows as unknown as (string | null)[][];
    if (data.length === 0 && !wanted.has(plainName) && !wanted.has(name)) continue;
    const truncated = data.length > maxRows;
    const kept = truncated ? data.slice(0, maxRows) : data;
    kept.sort(compareRows);
    out.set(name, { table: name, columns, rows: columns.length ? kept : kept.map(() => []), truncated });
  }
  return { tables: out };
}

function quote(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

/** Code-unit order, nulls first: independent of any database collation. */
function compareRows(a: (string | null)[], b: (string | null)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Per-table row differences; `a` is the left side (the chain), `b` the right side (the squash). */
export function compareData(a: DataSnapshot, b: DataSnapshot): DataDiff {
  const differences: TableDataDifference[] = [];
  const names = [...new Set([...a.tables.keys(), ...b.tables.keys()])].sort();
  for (const name of names) {
    const left = a.tables.get(name);
    const right = b.tables.get(name);
    const leftRows = left?.rows ?? [];
    const rightRows = right?.rows ?? [];
    const columns = left?.columns ?? right?.columns ?? [];
    const missing = multisetMinus(leftRows, rightRows);
    const extra = multisetMinus(rightRows, leftRows);
    const columnsDiffer =
      left && right && left.columns.join('\u0000') !== right.columns.join('\u0000')
        ? { left: left.columns, right: right.columns }
        : undefined;
    if (!missing.length && !extra.length && !columnsDiffer) continue;
    const parts: string[] = [];
    if (missing.length) parts.push(`${missing.length} row(s) missing on the right`);
    if (extra.length) parts.push(`${extra.length} extra row(s) on the right`);
    if (columnsDiffer) parts.push('columns differ');
    differences.push({
      table: name,
      change: !left ? 'added' : !right ? 'removed' : 'changed',
      leftCount: leftRows.length,
      rightCount: rightRows.length,
      missing: examples(missing, left?.columns ?? columns),
      extra: examples(extra, right?.columns ?? columns),
      columnsDiffer,
      detail: `${parts.join(', ')} (${leftRows.length} vs ${rightRows.length} rows)`,
    });
  }
  return { equal: differences.length === 0, differences };
}

function multisetMinus(from: (string | null)[][], remove: (string | null)[][]): (string | null)[][] {
  const counts = new Map<string, number>();
  for (const row of remove) {
    const k = JSON.stringify(row);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const out: (string | null)[][] = [];
  for (const row of from) {
    const k = JSON.stringify(row);
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else out.push(row);
  }
  return out;
}

function examples(rows: (string | null)[][], columns: string[]): RowExamples {
  return {
    count: rows.length,
    examples: rows.slice(0, EXAMPLES).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]))),
  };
}
