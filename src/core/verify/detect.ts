import type { RevisionMap } from '../graph';

export interface DetectedRange {
  /** Revisions of the chain that the candidate replaced (gone, or rewritten with other parents). */
  members: string[];
  /** Where the downgrade check goes: `base`, the single outside parent, or undefined when it cannot be named. */
  downgradeTo?: string;
  reason?: string;
}

/**
 * Which part of a chain a candidate history squashed, found by comparing the two graphs: used when
 * the squash already exists on disk (`--against-ref`, `--candidate`), to aim the downgrade check.
 */
export function detectSquashedRange(chain: RevisionMap, candidate: RevisionMap): DetectedRange {
  const members = chain.revisions
    .filter((r) => {
      const other = candidate.get(r.revision);
      if (!other) return true;
      if (other.downRevisions.join(',') === r.downRevisions.join(',')) return false;
      // A child rewired to a squash with a new id revises a revision the chain never had: it
      // follows the range, it is not part of it (the tip keeping its id revises the range's parents).
      return other.downRevisions.every((d) => chain.get(d) !== undefined);
    })
    .map((r) => r.revision);
  if (!members.length) return { members, reason: 'the two histories have the same revisions' };
  const check = chain.checkSquashable(members);
  if (!check.ok) return { members, reason: 'the replaced revisions do not form one squashable range' };
  const parents = check.downRevisions;
  if (parents.length === 0) return { members, downgradeTo: 'base' };
  if (parents.length === 1) return { members, downgradeTo: parents[0] };
  return { members, reason: `the range has several parents (${parents.join(', ')}); Alembic cannot downgrade to all of them in one step` };
}
