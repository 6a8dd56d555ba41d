import type { RevisionMap } from './revision-map';
import { compareIds } from './topology';

export type SquashRefusalCode =
  /** No members given. */
  | 'empty'
  /** A member id is not in the graph. */
  | 'unknown-revision'
  /** A member id is claimed by several files: which one would be squashed is unclear. */
  | 'duplicate-revision'
  /** A member sits on a cycle. */
  | 'cycle'
  /** Not exactly one member without children inside the range. */
  | 'multiple-tips'
  /** A member that is not a root has a down_revision outside the range. */
  | 'edge-into-interior'
  /** Several roots whose outside parents differ. */
  | 'roots-differ'
  /** An outside revision names a non-tip member in down_revision. */
  | 'branch-off-interior'
  /** An outside revision names a non-tip member in depends_on. */
  | 'dependent-on-interior'
  /** A member depends_on an outside revision that itself comes after a member. */
  | 'dependency-after-range';

/** One edge of the graph, child side first, named by the header field that makes it. */
export interface GraphEdge {
  revision: string;
  field: 'down_revision' | 'depends_on';
  target: string;
}

export interface SquashRefusal {
  code: SquashRefusalCode;
  message: string;
  /** Every revision the reason is about (outside ones included), in the order the message names them. */
  revisions: string[];
  edge?: GraphEdge;
}

export interface SquashCheck {
  ok: boolean;
  /** Members with no down_revision inside the range, sorted. */
  roots: string[];
  /** The single newest member, when there is exactly one. */
  tip?: string;
  reasons: SquashRefusal[];
  /** Known members in topological order. */
  members: string[];
  /** What the replacing revision's down_revision must be: the roots' (shared) outside parents. */
  downRevisions: string[];
  /**
   * What the replacing revision's depends_on must keep: members' depends_on targets outside the
   * range that are not already below the range. Sorted.
   */
  dependencies: string[];
}

/**
 * DESIGN.md's convexity. Beyond its four rules, members' own depends_on may point outside to any
 * revision that does not come after a member: once the members are one revision, such a target
 * simply becomes a dependency of it (applied earlier than before, which only matters for a target
 * that needs a member: that case is refused as `dependency-after-range`, since it would be a cycle).
 * Requiring the target to be below the roots would refuse ordinary cross-branch depends_on.
 */
export function checkSquashable(map: RevisionMap, requested: string[]): SquashCheck {
  const reasons: SquashRefusal[] = [];
  const refuse = (code: SquashRefusalCode, message: string, revisions: string[], edge?: GraphEdge) =>
    reasons.push({ code, message, revisions, ...(edge ? { edge } : {}) });
  const result = (roots: string[] = [], tip?: string, downRevisions: string[] = [], dependencies: string[] = []): SquashCheck => ({
    ok: reasons.length === 0,
    roots,
    ...(tip !== undefined ? { tip } : {}),
    reasons,
    members: map.inOrder(members),
    downRevisions,
    dependencies,
  });

  const members = new Set(requested.filter((id) => map.has(id)));
  if (requested.length === 0) {
    refuse('empty', 'Nothing to squash: the range is empty', []);
    return result();
  }
  for (const id of new Set(requested)) {
    if (!map.has(id)) refuse('unknown-revision', `${id} is not a revision of this project`, [id]);
  }
  for (const id of members) {
    const files = map.claimants(id);
    if (files.length > 1) {
      const where = files.map((f) => f.path ?? '(unnamed)').join(', ');
      refuse('duplicate-revision', `${id} is defined by ${files.length} files (${where})`, [id]);
    }
  }
  for (const cycle of map.cycles()) {
    const inside = cycle.filter((id) => members.has(id));
    if (inside.length > 0) refuse('cycle', `${inside.join(', ')} lie on a cycle (${cycle.join(' → ')})`, cycle);
  }
  if (reasons.length > 0) return result();

  const inside = (id: string) => members.has(id);
  const roots = [...members].filter((id) => !map.parents(id).some(inside)).sort(compareIds);
  const tips = [...members].filter((id) => !map.children(id).some(inside)).sort(compareIds);
  const tip = tips.length === 1 ? tips[0] : undefined;
  if (tip === undefined) {
    refuse(
      'multiple-tips',
      `The range has ${tips.length} newest revisions (${tips.join(', ')}); it must end in exactly one`,
      tips,
    );
  }

  // Edges entering the range must enter at its roots, and all roots must hang from the same place.
  const outsideParents = new Map<string, string[]>();
  for (const id of members) {
    const declared = [...new Set(map.get(id)!.downRevisions)];
    const outside = declared.filter((p) => !inside(p)).sort(compareIds);
    if (roots.includes(id)) {
      outsideParents.set(id, outside);
      continue;
    }
    for (const parent of outside) {
      refuse(
        'edge-into-interior',
        `${id} (inside) has down_revision ${parent}, which is outside the range, but ${id} is not a root of the range`,
        [id, parent],
        { revision: id, field: 'down_revision', target: parent },
      );
    }
  }
  const parentSets = new Set([...outsideParents.values()].map((ps) => ps.join(',')));
  if (parentSets.size > 1) {
    const described = roots.map((r) => `${r} ← ${outsideParents.get(r)!.join(', ') || 'base'}`).join('; ');
    refuse('roots-differ', `The range's roots do not share the same parents (${described})`, [
      ...roots,
      ...new Set([...outsideParents.values()].flat()),
    ]);
  }

  // Edges leaving the range must leave from its tip.
  for (const id of map.inOrder(members)) {
    if (id === tip) continue;
    for (const child of map.children(id).filter((c) => !inside(c))) {
      refuse(
        'branch-off-interior',
        `${child} (outside) branches off ${id}, which is inside the range but is not its tip`,
        [child, id],
        { revision: child, field: 'down_revision', target: id },
      );
    }
    for (const dependent of map.dependents(id).filter((d) => !inside(d))) {
      refuse(
        'dependent-on-interior',
        `${dependent} (outside) depends_on ${id}, which is inside the range but is not its tip`,
        [dependent, id],
        { revision: dependent, field: 'depends_on', target: id },
      );
    }
  }

  // A member's dependency outside must not itself need a member, or the squash would be a cycle.
  const after = map.reach(members, 'down', { includeDependencies: true });
  const below = map.reach(roots.flatMap((r) => map.parents(r)), 'up', { includeDependencies: true });
  for (const r of roots) for (const p of map.parents(r)) below.add(p);
  const dependencies = new Set<string>();
  for (const id of map.inOrder(members)) {
    for (const target of map.dependencies(id)) {
      if (inside(target)) continue;
      if (after.has(target)) {
        refuse(
          'dependency-after-range',
          `${id} (inside) depends_on ${target}, which is outside the range but comes after a revision inside it`,
          [id, target],
          { revision: id, field: 'depends_on', target },
        );
      } else if (!below.has(target)) {
        dependencies.add(target);
      }
    }
  }

  const downRevisions = tip !== undefined && parentSets.size === 1 ? outsideParents.get(roots[0])! : [];
  return result(roots, tip, downRevisions, [...dependencies].sort(compareIds));
}
