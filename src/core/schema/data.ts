import type {
  DataDiff,
  DataSnapshot,
  LeftOutColumn,
  Queryable,
  RowChange,
  RowExamples,
  SequenceDifference,
  SequencePosition,
  TableData,
  TableDataDifference,
} from './types';
import { IGNORED_TABLES, qualify } from './names';
import { notImmutableDefaults } from './volatile';

export interface CaptureDataOptions {
  /** Tables always captured, even when empty (`schema.table` or `table` for public). */
  tables?: string[];
  /** Rows read per table at most (seed tables are small; a big table is marked truncated). */
  maxRows?: number;
}

const EXAMPLES = 5;

/**
 * Reads the rows of every non-empty table in the user's schemas (plus the given tables), each
 * column cast to text and the rows sorted, so two databases can be compared row by row; and the
 * position of every sequence. A column whose default is not immutable (`now()`, `CURRENT_TIMESTAMP`,
 * `gen_random_uuid()`, …, found in the catalog) holds values that differ on every run: it is shown
 * as `‹default now()›` instead of its value and left out of the comparison.
 */
export async function captureData(client: Queryable, options: CaptureDataOptions = {}): Promise<DataSnapshot> {
  const maxRows = options.maxRows ?? 10_000;
  const wanted = new Set((options.tables ?? []).map((t) => (t.includes('.') ? t : `public.${t}`)));
  const { rows: tables } = await client.query<{ oid: number; schema: string; name: string; columns: string[]; key: string[] | null }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name,
            array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  ORDER BY a.attnum) AS columns,
            (SELECT array(SELECT a.attname::text FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k)
               FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS key
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 2, 3`,
  );
  const leftOutByTable = await notImmutableDefaults(client);
  const out = new Map<string, TableData>();
  for (const t of tables) {
    if (IGNORED_TABLES.has(t.name)) continue;
    const name = qualify(t.schema, t.name);
    const plainName = `${t.schema}.${t.name}`;
    // Column order is not part of a row's identity here: sort names so reordered tables still compare.
    const columns = [...t.columns].sort();
    const leftOut = leftOutByTable.get(t.oid) ?? new Map<string, string>();
    const select = columns.length
      ? columns.map((c) => (leftOut.has(c) ? `NULL::text` : `${quote(c)}::text`)).join(', ')
      : 'NULL';
    const { rows } = await client.query({
      text: `SELECT ${select} FROM ONLY ${quote(t.schema)}.${quote(t.name)} LIMIT ${maxRows + 1}`,
      rowMode: 'array',
    });
    const data = (rows as unknown as (string | null)[][]).map((row) =>
      columns.map((c, i) => (leftOut.has(c) ? `‹default ${leftOut.get(c)}›` : row[i] ?? null)),
    );
    if (data.length === 0 && !wanted.has(plainName) && !wanted.has(name)) continue;
    const truncated = data.length > maxRows;
    const kept = truncated ? data.slice(0, maxRows) : data;
    kept.sort(compareRows);
    // Rows are matched by the primary key when it holds no left-out column (else by the whole row).
    const key = t.key && t.key.length && t.key.every((k) => !leftOut.has(k)) ? t.key : undefined;
    out.set(name, {
      table: name,
      columns,
      rows: columns.length ? kept : kept.map(() => []),
      truncated,
      key,
      leftOut: [...leftOut].map(([column, def]) => ({ table: name, column, default: def })),
    });
  }
  return { tables: out, sequences: await sequencePositions(client) };
}

/** last_value / is_called of every sequence of the user's (identity and serial ones too). */
async function sequencePositions(client: Queryable): Promise<Map<string, SequencePosition>> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  const out = new Map<string, SequencePosition>();
  for (const s of rows) {
    const { rows: at } = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text AS last_value, is_called FROM ${quote(s.schema)}.${quote(s.name)}`,
    );
    const name = qualify(s.schema, s.name);
    out.set(name, { sequence: name, lastValue: at[0]!.last_value, isCalled: at[0]!.is_called });
  }
  return out;
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

/** Per-table row differences and sequence positions; `a` is the left side (the chain), `b` the right side (the squash). */
export function compareData(a: DataSnapshot, b: DataSnapshot): DataDiff {
  const differences: TableDataDifference[] = [];
  for (const name of [...new Set([...a.tables.keys(), ...b.tables.keys()])].sort()) {
    const d = compareTable(a.tables.get(name), b.tables.get(name));
    if (d) differences.push(d);
  }
  const sequences: SequenceDifference[] = [];
  for (const name of [...new Set([...a.sequences.keys(), ...b.sequences.keys()])].sort()) {
    const d = compareSequence(a.sequences.get(name), b.sequences.get(name));
    if (d) sequences.push(d);
  }
  const leftOut = new Map<string, LeftOutColumn>();
  for (const t of [...a.tables.values(), ...b.tables.values()]) for (const c of t.leftOut) leftOut.set(`${c.table}.${c.column}`, c);
  return {
    equal: differences.length === 0 && sequences.length === 0,
    differences,
    sequences,
    leftOut: [...leftOut.values()].sort((x, y) => (`${x.table}.${x.column}` < `${y.table}.${y.column}` ? -1 : 1)),
  };
}

/** One table on both sides (either may be absent: no rows there). */
export function compareTable(
  left: TableData | undefined,
  right: TableData | undefined,
  sides: { left: string; right: string } = { left: 'chain', right: 'squash' },
): TableDataDifference | undefined {
  if (!left && !right) return undefined;
  const leftRows = left?.rows ?? [];
  const rightRows = right?.rows ?? [];
  const name = (left ?? right)!.table;
  const columnsDiffer =
    left && right && left.columns.join('\u0000') !== right.columns.join('\u0000') ? { left: left.columns, right: right.columns } : undefined;
  // Match by primary key only when both sides agree on the key and the columns.
  const key = !columnsDiffer && left?.key && (!right || right.key?.join('\u0000') === left.key.join('\u0000')) ? left.key : !left && right?.key ? right.key : undefined;
  const columns = left?.columns ?? right?.columns ?? [];
  let missing: (string | null)[][];
  let extra: (string | null)[][];
  const changed: RowChange[] = [];
  if (key) {
    const at = key.map((k) => columns.indexOf(k));
    const keyOf = (row: (string | null)[]) => JSON.stringify(at.map((i) => row[i] ?? null));
    const rightByKey = new Map(rightRows.map((r) => [keyOf(r), r]));
    const leftKeys = new Set(leftRows.map(keyOf));
    missing = [];
    for (const l of leftRows) {
      const r = rightByKey.get(keyOf(l));
      if (!r) missing.push(l);
      else if (JSON.stringify(l) !== JSON.stringify(r)) {
        const differing = columns.filter((_, i) => l[i] !== r[i]);
        changed.push({
          key: Object.fromEntries(key.map((k, i) => [k, l[at[i]!] ?? null])),
          columns: differing,
          left: rowObject(l, columns),
          right: rowObject(r, columns),
        });
      }
    }
    extra = rightRows.filter((r) => !leftKeys.has(keyOf(r)));
  } else {
    missing = multisetMinus(leftRows, rightRows);
    extra = multisetMinus(rightRows, leftRows);
  }
  if (!missing.length && !extra.length && !changed.length && !columnsDiffer) return undefined;
  const parts: string[] = [];
  if (missing.length) parts.push(`${missing.length} row(s) missing on the right`);
  if (extra.length) parts.push(`${extra.length} extra row(s) on the right`);
  if (changed.length) parts.push(`${changed.length} row(s) with other values`);
  if (columnsDiffer) parts.push('columns differ');
  return {
    table: name,
    change: !left ? 'added' : !right ? 'removed' : 'changed',
    leftCount: leftRows.length,
    rightCount: rightRows.length,
    key,
    missing: examples(missing, left?.columns ?? columns),
    extra: examples(extra, right?.columns ?? columns),
    changed: changed.slice(0, EXAMPLES),
    changedCount: changed.length,
    columnsDiffer,
    detail: `${parts.join(', ')} (${leftRows.length} vs ${rightRows.length} rows)`,
    summary: rowSummary(name, key, missing, extra, changed, left?.columns ?? columns, sides),
  };
}

/** The smallest fact a reviewer needs: the first row that is missing, extra or changed. */
function rowSummary(
  table: string,
  key: string[] | undefined,
  missing: (string | null)[][],
  extra: (string | null)[][],
  changed: RowChange[],
  columns: string[],
  sides: { left: string; right: string },
): string {
  const ident = (row: (string | null)[]) => {
    const cols = key ?? columns;
    return cols.map((c) => `${c}=${row[columns.indexOf(c)] ?? 'NULL'}`).join(', ');
  };
  const more = (n: number) => (n > 1 ? ` (+${n - 1} more)` : '');
  if (missing.length) return `seed data ${table}: row ${ident(missing[0]!)} only in the ${sides.left}${more(missing.length)}`;
  if (extra.length) return `seed data ${table}: row ${ident(extra[0]!)} only in the ${sides.right}${more(extra.length)}`;
  if (changed.length) {
    const c = changed[0]!;
    const where = Object.entries(c.key).map(([k, v]) => `${k}=${v ?? 'NULL'}`).join(', ');
    const what = c.columns.map((col) => `${col} ${c.left[col] ?? 'NULL'} (${sides.left}) → ${c.right[col] ?? 'NULL'} (${sides.right})`).join(', ');
    return `seed data ${table}: row ${where}: ${what}${more(changed.length)}`;
  }
  return `seed data ${table}: the columns differ`;
}

function compareSequence(left: SequencePosition | undefined, right: SequencePosition | undefined): SequenceDifference | undefined {
  // A sequence on one side only is a schema difference, reported there.
  if (!left || !right) return undefined;
  if (left.lastValue === right.lastValue && left.isCalled === right.isCalled) return undefined;
  const text = (p: SequencePosition) => (p.isCalled ? `last value ${p.lastValue}` : `unused (next value ${p.lastValue})`);
  return {
    sequence: left.sequence,
    left,
    right,
    summary: `sequence ${left.sequence}: chain at ${text(left)}, squash at ${text(right)} (the next insert would take another value)`,
  };
}

function rowObject(row: (string | null)[], columns: string[]): Record<string, string | null> {
  return Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]));
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
  return { count: rows.length, examples: rows.slice(0, EXAMPLES).map((row) => rowObject(row, columns)) };
}
