import { createTwoFilesPatch } from 'diff';
import { OBJECT_KINDS, type ObjectDifference, type SchemaDiff, type SchemaObject, type SchemaSnapshot } from './types';

const KIND_ORDER = new Map<string, number>(OBJECT_KINDS.map((k, i) => [k, i]));

function byKindThenName(a: { kind: string; name: string }, b: { kind: string; name: string }): number {
  const k = KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)!;
  if (k !== 0) return k;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The text shown for one object: its dump statements, else its compared facts. */
export function objectText(o: SchemaObject): string {
  const facts = Object.entries(o.attributes)
    .filter(([k]) => k !== 'statement')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  // A column's statements (SET DEFAULT, ADD IDENTITY) say too little alone: show its facts too.
  if (o.kind === 'column' && o.text && facts) return `${facts}\n${o.text}`;
  return o.text || facts;
}

/** Compared facts, rendered; the dump text is for reading only and never compared here. */
function comparable(o: SchemaObject): string {
  return Object.keys(o.attributes)
    .sort()
    .map((k) => `${k}: ${o.attributes[k]}`)
    .join('\n');
}

/**
 * Compares two snapshots object by object. `a` is the left side (the chain), `b` the right side
 * (the squash). Both must come from the same source (catalog or dump).
 */
export function compareSchemas(a: SchemaSnapshot, b: SchemaSnapshot): SchemaDiff {
  if (a.source !== b.source) {
    throw new Error(`cannot compare a ${a.source} snapshot with a ${b.source} snapshot`);
  }
  const differences: ObjectDifference[] = [];
  const keys = new Set([...a.objects.keys(), ...b.objects.keys()]);
  for (const key of keys) {
    const left = a.objects.get(key);
    const right = b.objects.get(key);
    if (left && !right) {
      differences.push({ kind: left.kind, name: left.name, change: 'removed', left: objectText(left), detail: `only in the left side` });
    } else if (right && !left) {
      differences.push({ kind: right.kind, name: right.name, change: 'added', right: objectText(right), detail: `only in the right side` });
    } else if (left && right) {
      const details = [...attributeChanges(left, right), ...orderChanges(left, right)];
      if (details.length) {
        differences.push({
          kind: left.kind,
          name: left.name,
          change: 'changed',
          left: objectText(left),
          right: objectText(right),
          detail: details.join('; '),
        });
      }
    }
  }
  differences.sort(byKindThenName);
  return { equal: differences.length === 0, differences };
}

function attributeChanges(left: SchemaObject, right: SchemaObject): string[] {
  if (comparable(left) === comparable(right)) return [];
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(left.attributes), ...Object.keys(right.attributes)])].sort()) {
    const l = left.attributes[k];
    const r = right.attributes[k];
    if (l === r) continue;
    if (k === 'labels' && l !== undefined && r !== undefined && sameSet(left.labels, right.labels)) {
      out.push(`enum label order differs: ${l} vs ${r}`);
    } else if (l === undefined) out.push(`${k} added: ${short(r!)}`);
    else if (r === undefined) out.push(`${k} removed: ${short(l)}`);
    else if (isShort(l) && isShort(r)) out.push(`${k}: ${l} → ${r}`);
    else out.push(`${k} differs`);
  }
  return out;
}

/** Column order of tables (the same columns in another order changes the table, not the columns). */
function orderChanges(left: SchemaObject, right: SchemaObject): string[] {
  if (!left.columns || !right.columns) return [];
  const common = new Set(left.columns.filter((c) => right.columns!.includes(c)));
  const l = left.columns.filter((c) => common.has(c));
  const r = right.columns.filter((c) => common.has(c));
  if (l.join('\u0000') === r.join('\u0000')) return [];
  return [`column order differs: (${l.join(', ')}) vs (${r.join(', ')})`];
}

function sameSet(a: string[] | undefined, b: string[] | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

function isShort(s: string): boolean {
  return s.length <= 80 && !s.includes('\n');
}

function short(s: string): string {
  return isShort(s) ? s : `${s.split('\n', 1)[0]!.slice(0, 77)}…`;
}

/**
 * The normalized text used in side-by-side editors: objects grouped by kind in a stable order,
 * each with its text (dump statements when known, else its facts).
 */
export function renderSchemaText(snapshot: SchemaSnapshot): string {
  const objects = [...snapshot.objects.values()].sort(byKindThenName);
  const out: string[] = [];
  let kind: string | undefined;
  for (const o of objects) {
    if (o.kind !== kind) {
      kind = o.kind;
      out.push(`-- ==== ${kind} ====`, '');
    }
    out.push(`-- ${o.kind} ${o.name}`, objectText(o), '');
  }
  return out.join('\n');
}

export interface DiffLabels {
  left: string;
  right: string;
}

/** A unified diff of the two rendered schemas (git-style patch text; empty hunks when equal). */
export function unifiedDiff(a: SchemaSnapshot, b: SchemaSnapshot, labels: DiffLabels = { left: 'chain', right: 'squash' }): string {
  return createTwoFilesPatch(labels.left, labels.right, renderSchemaText(a), renderSchemaText(b), undefined, undefined, {
    context: 3,
  });
}
