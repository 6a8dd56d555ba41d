import {
  AmbiguousRevisionError,
  MultipleHeadsError,
  RelativeRevisionError,
  ResolutionError,
} from './errors';
import type { RevisionMap } from './revision-map';
import { compareIds } from './topology';

/**
 * Alembic's relative form `[label@][symbol](+|-)N`. Revision ids may not contain `+`, `-` or `@`
 * (Alembic refuses them), so this cannot swallow a real id; labels are checked first anyway.
 */
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

/** Alembic only matches prefixes against keys (ids and labels) longer than three characters. */
const MIN_PREFIX_KEY_LENGTH = 4;

/** The ids a REV names, following Alembic's `get_revisions`; `[]` is base. */
export function resolveRevisions(map: RevisionMap, rev: string): string[] {
  if (rev.trim() === '') throw new ResolutionError('An empty revision identifier names nothing', rev);
  const relative = RELATIVE.exec(rev);
  if (relative && !isAbsolute(map, rev)) {
    const [, label, symbol, steps] = relative;
    return resolveRelative(map, rev, label, symbol, Number(steps));
  }
  const at = rev.indexOf('@');
  const label = at >= 0 ? rev.slice(0, at) : undefined;
  const ident = at >= 0 ? rev.slice(at + 1) : rev;
  if (label === '') throw new ResolutionError(`No branch label before '@' in '${rev}'`, rev);
  switch (ident) {
    case 'heads':
      return label === undefined ? map.realHeads : filterForLineage(map, map.heads, label);
    case 'head': {
      const head = currentHead(map, label);
      return head === undefined ? [] : [head];
    }
    case 'base':
      if (label !== undefined) branchRevision(map, label); // the label must still exist
      return [];
    case '':
      throw new ResolutionError(`No revision after '@' in '${rev}'`, rev);
    default:
      return [revisionForIdent(map, ident, label)];
  }
}

function isAbsolute(map: RevisionMap, rev: string): boolean {
  const ident = rev.includes('@') ? rev.slice(rev.indexOf('@') + 1) : rev;
  return map.has(ident) || map.labelOwners(ident).length > 0;
}

/** The single head sharing lineage with `label` (all heads when none), as `get_current_head`. */
function currentHead(map: RevisionMap, label: string | undefined): string | undefined {
  const heads = label === undefined ? map.heads : filterForLineage(map, map.heads, label);
  if (heads.length > 1) throw new MultipleHeadsError(heads, label === undefined ? 'head' : `${label}@head`);
  return heads[0];
}

/** What the part before `@` names: a label or id exactly, else a unique prefix. */
function branchRevision(map: RevisionMap, label: string): string {
  const exact = exactKey(map, label);
  if (exact !== undefined) return exact;
  try {
    return revisionForIdent(map, label, undefined);
  } catch (error) {
    if (error instanceof AmbiguousRevisionError) throw error;
    throw new ResolutionError(`No such branch: '${label}'`, label);
  }
}

function exactKey(map: RevisionMap, key: string): string | undefined {
  if (map.has(key)) return key;
  return map.labelOwners(key)[0];
}

function revisionForIdent(map: RevisionMap, ident: string, label: string | undefined): string {
  const branch = label === undefined ? undefined : branchRevision(map, label);
  let id = exactKey(map, ident);
  if (id === undefined) {
    let candidates = prefixCandidates(map, ident);
    if (branch !== undefined) candidates = candidates.filter((c) => sharesLineage(map, c, branch));
    if (candidates.length === 0) {
      const hint =
        ident.length < MIN_PREFIX_KEY_LENGTH
          ? '; please ensure at least four characters are present for partial revision identifier matches'
          : '';
      throw new ResolutionError(`No such revision or branch '${ident}'${hint}`, ident);
    }
    if (candidates.length > 1) throw new AmbiguousRevisionError(ident, candidates);
    id = candidates[0];
  }
  if (branch !== undefined && !sharesLineage(map, id, branch)) {
    throw new ResolutionError(`Revision ${id} is not a member of branch '${label}'`, ident);
  }
  return id;
}

/** Ids whose id or one of whose labels starts with `prefix`; one entry per revision. */
function prefixCandidates(map: RevisionMap, prefix: string): string[] {
  const found = new Set<string>();
  for (const id of map.ids()) {
    if (id.length >= MIN_PREFIX_KEY_LENGTH && id.startsWith(prefix)) found.add(id);
  }
  for (const label of map.branchLabels) {
    if (label.length >= MIN_PREFIX_KEY_LENGTH && label.startsWith(prefix)) {
      for (const owner of map.labelOwners(label)) found.add(owner);
    }
  }
  return [...found].sort(compareIds);
}

/** Alembic's `_shares_lineage` along down_revision: one is an ancestor-or-self of the other. */
export function sharesLineage(map: RevisionMap, a: string, b: string): boolean {
  if (a === b) return true;
  return map.reach([a], 'up').has(b) || map.reach([a], 'down').has(b);
}

function filterForLineage(map: RevisionMap, ids: string[], label: string): string[] {
  const branch = branchRevision(map, label);
  const related = map.reach([branch], 'up');
  for (const id of map.reach([branch], 'down')) related.add(id);
  related.add(branch);
  return ids.filter((id) => related.has(id));
}

function resolveRelative(
  map: RevisionMap,
  rev: string,
  label: string | undefined,
  symbol: string | undefined,
  steps: number,
): string[] {
  if (symbol === undefined) {
    if (steps >= 0) {
      throw new RelativeRevisionError(
        `'${rev}' is relative to the database's current revision, which a revision graph does not know; ` +
          `name a starting revision (e.g. 'base${rev}')`,
        rev,
      );
    }
    // Alembic's `[label@]-N`: walk down from every real head (of the branch).
    const heads = label === undefined ? map.realHeads : filterForLineage(map, map.realHeads, label);
    return heads.map((head) => walk(map, rev, head, steps, undefined)).filter((id): id is string => id !== null);
  }
  // Walking up filters children by branch; walking down starts from `label@symbol`.
  const startRev = steps > 0 || label === undefined ? symbol : `${label}@${symbol}`;
  const start = single(map, startRev);
  const end = walk(map, rev, start, steps, steps > 0 ? label : undefined);
  return end === null ? [] : [end];
}

function single(map: RevisionMap, rev: string): string | null {
  const ids = resolveRevisions(map, rev);
  if (ids.length > 1) throw new MultipleHeadsError(ids, rev);
  return ids[0] ?? null;
}

/** Steps along down_revision; `null` is base. Forks (several children/parents) are ambiguous. */
function walk(
  map: RevisionMap,
  rev: string,
  start: string | null,
  steps: number,
  label: string | undefined,
): string | null {
  let current = start;
  for (let i = 0; i < Math.abs(steps); i++) {
    let next: (string | null)[];
    if (steps > 0) {
      next = current === null ? map.bases : map.children(current);
      if (label !== undefined) next = filterForLineage(map, next as string[], label);
    } else if (current === null) {
      next = [];
    } else {
      const parents = map.parents(current);
      next = parents.length > 0 ? parents : map.get(current)!.downRevisions.length === 0 ? [null] : [];
    }
    if (next.length === 0) {
      throw new RelativeRevisionError(`'${rev}' walks past the end of the revision graph`, rev);
    }
    if (next.length > 1) {
      throw new RelativeRevisionError(
        `'${rev}' is ambiguous: ${current ?? 'base'} has several ${steps > 0 ? 'children' : 'parents'} ` +
          `(${next.join(', ')})`,
        rev,
      );
    }
    current = next[0];
  }
  return current;
}
