import type { Problem } from '../common/problem';
import type { RevisionMap } from './revision-map';
import { suggestIds } from './suggest';
import { compareIds } from './topology';

export type GraphProblemCode =
  | 'duplicate-revision'
  | 'missing-parent'
  | 'missing-dependency'
  | 'cycle'
  | 'multiple-heads'
  | 'branch-label-conflict';

export type GraphProblemField = 'revision' | 'down_revision' | 'depends_on' | 'branch_labels';

/**
 * A graph problem attached to one file. `range` is always 0..0: the caller maps (`field`, `target`)
 * to the exact text, since the graph never sees the text.
 */
export interface GraphProblem extends Problem {
  code: GraphProblemCode;
  /** The revision the file declares. */
  revision: string;
  /** The header field the problem is about. */
  field: GraphProblemField;
  /** The id or label within that field the problem is about. */
  target: string;
  /** For missing ids: existing ids (or labels) that look like what was meant, best first. */
  suggestions?: string[];
  /** Other revisions involved (the other heads, the cycle's members, the other claimants). */
  related?: string[];
}

export function collectProblems(map: RevisionMap): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const add = (p: Omit<GraphProblem, 'range'>) => problems.push({ ...p, range: { start: 0, end: 0 } });
  const known = [...map.ids()];

  for (const { path, revision } of map.entries()) {
    const id = revision.revision;
    const files = map.claimants(id);
    if (files.length > 1) {
      const others = files.filter((f) => f.revision !== revision).map((f) => f.path ?? '(unnamed)');
      add({
        code: 'duplicate-revision',
        severity: 'error',
        message: `Revision ${id} is also defined in ${others.join(', ')}; Alembic keeps only one of them`,
        path,
        revision: id,
        field: 'revision',
        target: id,
        related: others,
      });
    }
    for (const parent of new Set(revision.downRevisions)) {
      if (map.has(parent)) continue;
      const suggestions = suggestIds(parent, known);
      add({
        code: 'missing-parent',
        severity: 'error',
        message: `down_revision ${parent} of ${id} is not a revision of this project${didYouMean(suggestions)}`,
        path,
        revision: id,
        field: 'down_revision',
        target: parent,
        ...(suggestions.length > 0 ? { suggestions } : {}),
      });
    }
    for (const name of new Set(revision.dependencies)) {
      if (map.resolveDependency(name) !== undefined) continue;
      const suggestions = suggestIds(name, [...known, ...map.branchLabels]);
      add({
        code: 'missing-dependency',
        severity: 'error',
        message:
          `depends_on ${name} of ${id} is neither a revision nor a branch label of this project` +
          didYouMean(suggestions),
        path,
        revision: id,
        field: 'depends_on',
        target: name,
        ...(suggestions.length > 0 ? { suggestions } : {}),
      });
    }
  }

  for (const label of map.branchLabels) {
    const owners = map.labelOwners(label);
    const clashingId = map.has(label) && !owners.includes(label) ? label : undefined;
    if (owners.length < 2 && clashingId === undefined) continue;
    for (const owner of owners) {
      const others = [...owners.filter((o) => o !== owner), ...(clashingId ? [clashingId] : [])];
      add({
        code: 'branch-label-conflict',
        severity: 'error',
        message:
          clashingId !== undefined && owners.length === 1
            ? `Branch label '${label}' of ${owner} is also a revision id`
            : `Branch label '${label}' of ${owner} is also used by ${others.join(', ')}`,
        path: pathOf(map, owner),
        revision: owner,
        field: 'branch_labels',
        target: label,
        related: others,
      });
    }
  }

  for (const cycle of map.cycles()) {
    const members = new Set(cycle);
    for (const id of cycle) {
      const revision = map.get(id)!;
      const parent = map.parents(id).find((p) => members.has(p));
      const dependency = map.dependencies(id).find((d) => members.has(d));
      const viaDependency = parent === undefined;
      const target = (parent ?? dependency)!;
      const written = viaDependency
        ? (revision.dependencies.find((name) => map.resolveDependency(name) === target) ?? target)
        : target;
      add({
        code: 'cycle',
        severity: 'error',
        message:
          cycle.length === 1
            ? `${id} names itself in ${viaDependency ? 'depends_on' : 'down_revision'}`
            : `${id} is on a cycle (${cycle.join(', ')}): its ${viaDependency ? 'depends_on' : 'down_revision'} ` +
              `${target} leads back to it`,
        path: pathOf(map, id),
        revision: id,
        field: viaDependency ? 'depends_on' : 'down_revision',
        target: written,
        related: cycle,
      });
    }
  }

  // One problem per project, on the first head, listing the heads once: a problem per head that
  // lists every head made the output grow with heads² (gigabytes of diagnostics on large workspaces).
  const heads = map.heads;
  if (heads.length > 1) {
    const head = heads[0]!;
    const labels = headLabels(map, heads);
    const deliberate = heads.every((h) => labels.get(h)!.length > 0);
    const allLabels = heads.flatMap((h) => labels.get(h)!);
    add({
      code: 'multiple-heads',
      severity: 'info',
      message: deliberate
        ? `${heads.length} heads (${heads.join(', ')}) on labelled branches (${allLabels.join(', ')}): ` +
          `deliberate, upgraded with 'alembic upgrade heads' or '${allLabels[0]}@head'`
        : `${heads.length} heads (${heads.join(', ')}); 'alembic upgrade head' needs them merged ('alembic merge heads')`,
      path: pathOf(map, head),
      revision: head,
      field: 'revision',
      target: head,
      related: heads.slice(1),
    });
  }

  return problems.sort(
    (a, b) =>
      compareIds(a.path ?? '', b.path ?? '') ||
      compareIds(a.revision, b.revision) ||
      compareIds(a.code, b.code) ||
      compareIds(a.target, b.target),
  );
}

/** The path of the entry in effect for `id`. */
function pathOf(map: RevisionMap, id: string): string | undefined {
  const entries = map.claimants(id);
  return entries.find((e) => e.revision === map.get(id))?.path;
}

function didYouMean(suggestions: string[]): string {
  return suggestions.length === 0 ? '' : ` (did you mean ${suggestions.join(' or ')}?)`;
}

/**
 * The branch labels each head's own branch carries: labels on the head or on its ancestors that no
 * other head descends from. Heads that all have one are deliberate branches (expand/contract), not
 * a merge someone forgot.
 */
export function headLabels(map: RevisionMap, heads: string[]): Map<string, string[]> {
  const lineage = new Map(heads.map((h) => [h, new Set([h, ...map.ancestors(h)])]));
  const out = new Map<string, string[]>();
  for (const head of heads) {
    const own = [...lineage.get(head)!].filter((id) => heads.every((other) => other === head || !lineage.get(other)!.has(id)));
    out.set(head, own.flatMap((id) => map.get(id)?.branchLabels ?? []).sort());
  }
  return out;
}
