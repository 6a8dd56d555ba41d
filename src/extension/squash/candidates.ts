/** Choices for the Squash Revisions… pickers, each with whether it can be squashed and why not (no vscode). */
import type { RevisionMap, SquashCheck } from '../../core/graph';

export interface FromCandidate {
  /** A revision id, or `base`. */
  from: string;
  members: string[];
  check: SquashCheck;
}

/**
 * Every possible start of a range ending at `to`: `base`, then each ancestor-or-self of `to`, newest
 * first, with the convexity check of `from..to`.
 */
export function fromCandidates(map: RevisionMap, to: string): FromCandidate[] {
  const tip = map.getRevision(to);
  if (!tip) return [];
  const below = [...map.reach([tip.revision], 'up'), tip.revision];
  const starts = ['base', ...map.inOrder(below).reverse()];
  return starts.map((from) => {
    const members = map.range(from, tip.revision);
    return { from, members, check: map.checkSquashable(members) };
  });
}

/** One line per refusal reason, for a picker's detail line. */
export function refusalSummary(check: SquashCheck): string {
  return check.reasons.map((r) => r.message).join(' · ');
}

export type SelectionRange = { ok: true; from: string; to: string; members: string[] } | { ok: false; reasons: string[] };

/**
 * The `from..to` range that is exactly the selected revisions, or every reason there is none: the
 * selection must be convex (DESIGN.md), and the squash engine takes a range, so several roots work
 * only when they are bases.
 */
export function rangeForSelection(map: RevisionMap, selected: readonly string[]): SelectionRange {
  const ids = [...new Set(selected)];
  const check = map.checkSquashable(ids);
  if (!check.ok || check.tip === undefined) return { ok: false, reasons: check.reasons.map((r) => r.message) };
  const from = check.roots.length === 1 ? check.roots[0]! : check.downRevisions.length === 0 ? 'base' : undefined;
  if (from === undefined) {
    return {
      ok: false,
      reasons: [`The selection has several first revisions (${check.roots.join(', ')}) with a common parent; a squash takes one range: select that parent too, or squash from one of them.`],
    };
  }
  const range = map.range(from, check.tip);
  const extra = range.filter((id) => !ids.includes(id));
  if (extra.length) {
    return { ok: false, reasons: [`The range ${from}..${check.tip} also holds ${extra.join(', ')}, which is not selected: select it too, or pick a range instead.`] };
  }
  return { ok: true, from, to: check.tip, members: check.members };
}
