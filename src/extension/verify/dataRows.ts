/**
 * Seed-data differences as rows side by side (no vscode). `dataRows` is the one adapter from the
 * verify result to rows: when the result's shape changes, only it changes.
 */
import type { TableDataDifference } from '../../core/schema';

export type Row = Record<string, string | null>;

export interface RowPair {
  key: string;
  chain?: Row;
  squash?: Row;
  /** Columns whose values differ (every column when one side lacks the row). */
  differing: string[];
}

export interface DataRows {
  table: string;
  key: string[];
  columns: string[];
  pairs: RowPair[];
  /** How many differing rows there are on each side (the pairs show examples of them). */
  counts: { chainOnly: number; squashOnly: number; chainRows: number; squashRows: number; changed: number };
}

/** The verify result's rows of one table, paired by key and sorted by it. */
export function dataRows(d: TableDataDifference): DataRows {
  const all = [...d.missing.examples, ...d.extra.examples, ...d.changed.flatMap((c) => [c.left, c.right])];
  const columns = [...new Set(all.flatMap((r) => Object.keys(r)))];
  // Rows were matched by the primary key verify names; without one, by the whole row.
  const key = d.key?.length ? d.key : columns;
  const keyOf = (r: Row) => key.map((k) => r[k] ?? 'NULL').join(', ');
  const pairs = new Map<string, RowPair>();
  const pair = (r: Row) => pairs.get(keyOf(r)) ?? pairs.set(keyOf(r), { key: keyOf(r), differing: [] }).get(keyOf(r))!;
  for (const r of d.missing.examples) pair(r).chain = r;
  for (const r of d.extra.examples) pair(r).squash = r;
  for (const c of d.changed) Object.assign(pair(c.left), { chain: c.left, squash: c.right });
  for (const p of pairs.values()) p.differing = columns.filter((c) => !p.chain || !p.squash || p.chain[c] !== p.squash[c]);
  const collator = new Intl.Collator('en', { numeric: true });
  return {
    table: d.table,
    key,
    columns,
    pairs: [...pairs.values()].sort((a, b) => collator.compare(a.key, b.key)),
    counts: { chainOnly: d.missing.count, squashOnly: d.extra.count, chainRows: d.leftCount, squashRows: d.rightCount, changed: d.changedCount },
  };
}

/**
 * Both sides as aligned text, one line per key on the same line number on both sides, so the
 * diff editor puts each row next to its counterpart and highlights the values that differ.
 */
export function rowTexts(rows: DataRows): { chain: string; squash: string } {
  const value = (v: string | null | undefined) => (v === null || v === undefined ? 'NULL' : JSON.stringify(v));
  const widths = rows.columns.map((c) => Math.max(c.length, ...rows.pairs.flatMap((p) => [value(p.chain?.[c]).length, value(p.squash?.[c]).length])));
  const line = (r: Row | undefined, key: string) =>
    r ? rows.columns.map((c, i) => value(r[c]).padEnd(widths[i]!)).join(' │ ').trimEnd() : `(no row with ${rows.key.join(', ')} = ${key})`;
  const header = rows.columns.map((c, i) => c.padEnd(widths[i]!)).join(' │ ').trimEnd();
  const head = (side: 'chain' | 'squash') => {
    const c = rows.counts;
    const only = (side === 'chain' ? `${c.chainOnly} row(s) not in the squash` : `${c.squashOnly} row(s) not in the chain`) + `, ${c.changed} row(s) with other values`;
    return [`-- ${rows.table} after the ${side}: ${side === 'chain' ? c.chainRows : c.squashRows} rows; ${only}`, `-- sorted by ${rows.key.join(', ')}; only rows that differ are listed`, header];
  };
  const body = (side: 'chain' | 'squash') => rows.pairs.map((p) => line(p[side], p.key));
  return { chain: [...head('chain'), ...body('chain'), ''].join('\n'), squash: [...head('squash'), ...body('squash'), ''].join('\n') };
}
