import type { ClientBase } from 'pg';

/** Kinds of schema objects, in the order they are shown and compared. */
export const OBJECT_KINDS = [
  'extension',
  'schema',
  'type',
  'sequence',
  'table',
  'column',
  'constraint',
  'index',
  'view',
  'materialized view',
  'function',
  'trigger',
  'policy',
  'rule',
  'comment',
  'other',
] as const;

export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** One object of a schema, identified by kind + name. */
export interface SchemaObject {
  kind: ObjectKind;
  /** Qualified display and identity name: `public.users`, `public.users.email`, `public.f(a integer)`. */
  name: string;
  /**
   * What is compared, as named facts (`type: integer`, `default: 0`, `definition: …`). From the
   * catalog when a connection was given, else `{ statement }` from the dump.
   */
  attributes: Record<string, string>;
  /** The pg_dump statements that create this object (readable text), when the dump has any. */
  text?: string;
  /** For tables: column names in their physical order (dropped columns left out). */
  columns?: string[];
  /** For enum types: labels in their sort order. */
  labels?: string[];
}

export interface SchemaSnapshot {
  /** `catalog` when catalog queries were the source of truth, `dump` when only the dump text was. */
  source: 'catalog' | 'dump';
  /** Keyed by `${kind} ${name}`. */
  objects: Map<string, SchemaObject>;
  /** The dump after normalization (noise removed); kept for a raw unified diff. */
  normalizedDump: string;
}

export type Change = 'added' | 'removed' | 'changed';

export interface ObjectDifference {
  kind: ObjectKind;
  name: string;
  /** Seen from the left side (the chain): `added` = only in the right side (the squash). */
  change: Change;
  /** The object's text on the left side (the chain). */
  left?: string;
  /** The object's text on the right side (the squash). */
  right?: string;
  /** One line for people: `default: 0 → 1`, `column order differs: …`. */
  detail: string;
  /** The whole story in one line: kind, object, which side, the smallest differing fragment. */
  summary: string;
}

export interface SchemaDiff {
  equal: boolean;
  differences: ObjectDifference[];
}

/** A table's rows as text (each column cast to text; null stays null), sorted canonically. */
export interface TableData {
  table: string;
  columns: string[];
  rows: (string | null)[][];
  /** True when the table held more rows than were read. */
  truncated: boolean;
  /** Primary key columns rows are matched by; undefined: rows are matched whole. */
  key?: string[];
  /** Columns shown as `‹default now()›` and not compared (their default is not immutable). */
  leftOut: LeftOutColumn[];
}

/** A column whose values are not compared, and why: its default gives another value on every run. */
export interface LeftOutColumn {
  table: string;
  column: string;
  /** The default expression, e.g. `now()`, `gen_random_uuid()`. */
  default: string;
}

export interface SequencePosition {
  sequence: string;
  lastValue: string;
  isCalled: boolean;
}

export interface DataSnapshot {
  tables: Map<string, TableData>;
  sequences: Map<string, SequencePosition>;
}

/** A row both sides have (same primary key) with other values. */
export interface RowChange {
  key: Record<string, string | null>;
  /** The columns whose values differ. */
  columns: string[];
  left: Record<string, string | null>;
  right: Record<string, string | null>;
}

export interface SequenceDifference {
  sequence: string;
  left: SequencePosition;
  right: SequencePosition;
  summary: string;
}

export interface RowExamples {
  count: number;
  /** A few rows, as column → value. */
  examples: Record<string, string | null>[];
}

export interface TableDataDifference {
  table: string;
  change: Change;
  leftCount: number;
  rightCount: number;
  /** Rows the left side (chain) has and the right side (squash) lacks. */
  missing: RowExamples;
  /** Rows the right side has and the left side lacks. */
  extra: RowExamples;
  /** Rows with the same primary key and other values (a few), and how many there are. */
  changed: RowChange[];
  changedCount: number;
  /** The primary key rows were matched by; undefined when whole rows were matched. */
  key?: string[];
  /** Set when the two sides do not have the same columns (rows are then compared as text anyway). */
  columnsDiffer?: { left: string[]; right: string[] };
  detail: string;
  /** One line: the table, the first differing row and which side has it. */
  summary: string;
}

export interface DataDiff {
  equal: boolean;
  differences: TableDataDifference[];
  /** Sequences whose position differs (the next insert would take another value). */
  sequences: SequenceDifference[];
  /** Columns not compared, and their default. */
  leftOut: LeftOutColumn[];
}

/** What captureSchema/captureData need from a `pg` client (a Client or a PoolClient). */
export type Queryable = Pick<ClientBase, 'query'>;
