import { createTwoFilesPatch, diffWords, type Change } from 'diff';
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
export function compareSchemas(a: SchemaSnapshot, b: SchemaSnapshot, sides?: DiffLabels): SchemaDiff {
  if (a.source !== b.source) {
    throw new Error(`cannot compare a ${a.source} snapshot with a ${b.source} snapshot`);
  }
  const differences: ObjectDifference[] = [];
  for (const key of new Set([...a.objects.keys(), ...b.objects.keys()])) {
    const d = diffObjects(a.objects.get(key), b.objects.get(key), sides);
    if (d) differences.push(d);
  }
  differences.sort(byKindThenName);
  return { equal: differences.length === 0, differences };
}

/** One object on both sides (either may be missing): its difference, or undefined when they are the same. */
export function diffObjects(
  left: SchemaObject | undefined,
  right: SchemaObject | undefined,
  sides: DiffLabels = { left: 'chain', right: 'squash' },
): ObjectDifference | undefined {
  if (left && !right) {
    return { kind: left.kind, name: left.name, change: 'removed', left: objectText(left), detail: `only in the left side`, summary: `${left.kind} ${left.name}: only in the ${sides.left}` };
  }
  if (right && !left) {
    return { kind: right.kind, name: right.name, change: 'added', right: objectText(right), detail: `only in the right side`, summary: `${right.kind} ${right.name}: only in the ${sides.right}` };
  }
  if (!left || !right) return undefined;
  const details = [...attributeChanges(left, right), ...orderChanges(left, right)];
  if (!details.length) return undefined;
  const detail = details.join('; ');
  return {
    kind: left.kind,
    name: left.name,
    change: 'changed',
    left: objectText(left),
    right: objectText(right),
    detail,
    summary: `${left.kind} ${left.name}: ${sides.left} → ${sides.right}: ${detail}`,
  };
}

/** True when both sides hold the same object (or both lack it). */
export function sameObject(left: SchemaObject | undefined, right: SchemaObject | undefined): boolean {
  return diffObjects(left, right) === undefined;
}

export function byKindAndName(a: { kind: string; name: string }, b: { kind: string; name: string }): number {
  return byKindThenName(a, b);
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
    else out.push(`${k}: ${smallestChange(l, r)}`);
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

/**
 * The smallest differing fragment of two long texts, on word boundaries, with a little context:
 * `… WHERE t.status «IN ('open', 'in_progress')» → «= 'open'» …`.
 */
export function smallestChange(l: string, r: string, max = 60): string {
  const parts = diffWords(l, r);
  const first = parts.findIndex((p) => p.added || p.removed);
  let last = parts.length - 1;
  while (last > first && !parts[last]!.added && !parts[last]!.removed) last--;
  const middle = parts.slice(first, last + 1);
  const side = (keep: (p: Change) => boolean) => clip(middle.filter(keep).map((p) => p.value).join(''), max);
  const before = first > 0 ? clip(parts[first - 1]!.value, 1000).slice(-25).trimStart() : '';
  const after = last < parts.length - 1;
  return `${first > 0 ? '…' : ''}${before}«${side((p) => !p.added)}» → «${side((p) => !p.removed)}»${after ? '…' : ''}`;
}

function clip(text: string, max: number): string {
  const one = text.split(/\s+/).join(' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
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
