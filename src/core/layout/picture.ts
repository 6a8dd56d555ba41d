/**
 * The revision graph as a picture's rows (pure, serializable): the lane layout with depends_on
 * edges, and per row what a person reads — shortest unique id, message, date, labels, and whether
 * it is a head, base, branch point or merge point. Newest first; cycle members last, unconnected.
 */
import type { RevisionMap } from '../graph';
import { layoutGraph, type LayoutEdge, type LayoutSegment } from './lanes';
import { shortestUniqueIds } from './shortIds';

export interface PictureRow {
  revision: string;
  shortId: string;
  message: string;
  /** `2024-03-01` from the docstring's Create Date. */
  date?: string;
  path?: string;
  branchLabels: string[];
  head: boolean;
  base: boolean;
  branchPoint: boolean;
  mergePoint: boolean;
  lane: number;
  below: LayoutSegment[];
  separate: boolean;
}

export interface GraphPicture {
  rows: PictureRow[];
  edges: LayoutEdge[];
  width: number;
}

const cache = new WeakMap<readonly unknown[], GraphPicture>();

/** Computed once per state of the graph (the map rebuilds its `revisions` array on every change). */
export function buildPicture(map: RevisionMap): GraphPicture {
  const key = map.revisions;
  let picture = cache.get(key);
  if (!picture) cache.set(key, (picture = computePicture(map)));
  return picture;
}

function computePicture(map: RevisionMap): GraphPicture {
  const ordered = map.topologicalOrder().reverse();
  const seen = new Set(ordered);
  const ids = [...ordered, ...map.inOrder([...map.ids()].filter((id) => !seen.has(id)))];
  const layout = layoutGraph(
    ids.map((id) => ({ id, parents: map.parents(id), dependencies: map.dependencies(id) })),
    { dependsOn: true },
  );
  const short = shortestUniqueIds(map.revisions);
  const rows = layout.rows.map((row): PictureRow => {
    const r = map.get(row.id)!;
    const date = r.createDate?.trim().split(/[ T]/, 1)[0] || undefined;
    return {
      revision: row.id,
      shortId: short.get(row.id) ?? row.id,
      message: r.message ?? '',
      ...(date ? { date } : {}),
      ...(r.path ? { path: r.path } : {}),
      branchLabels: [...r.branchLabels],
      head: map.isHead(row.id),
      base: map.isBase(row.id),
      branchPoint: map.isBranchPoint(row.id),
      mergePoint: map.isMergePoint(row.id),
      lane: row.lane,
      below: row.below,
      separate: row.separate,
    };
  });
  return { rows, edges: layout.edges, width: layout.width };
}

/** Edges of the picture that a squash refusal is about (`edge` of each reason), by index. */
export function offendingEdges(picture: GraphPicture, reasons: readonly { edge?: { revision: string; field: string; target: string } }[]): number[] {
  const out = new Set<number>();
  for (const { edge } of reasons) {
    if (!edge) continue;
    for (const e of picture.edges) if (e.child === edge.revision && e.parent === edge.target && e.field === edge.field) out.add(e.index);
  }
  return [...out].sort((a, b) => a - b);
}
