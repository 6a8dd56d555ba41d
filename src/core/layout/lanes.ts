/**
 * Lanes for drawing a revision graph newest first, as Git Graph and `git log --graph` do: one lane
 * per line of descent, a node sits in the lane that waited for it, merge points open a lane per
 * further parent, and lanes waiting for the same revision (a branch point) join at its row.
 * Pure: nodes in, rows with lanes and the line pieces between rows out. The CLI's text drawing and
 * the VS Code picture both draw this.
 */

export interface LayoutNode {
  id: string;
  /** down_revisions, in file order. */
  parents: string[];
  /** depends_on targets (resolved ids); drawn only when the layout is asked for them. */
  dependencies?: string[];
}

/** One line of the picture: from a child down to its parent, named by the header field that makes it. */
export interface LayoutEdge {
  index: number;
  child: string;
  parent: string;
  field: 'down_revision' | 'depends_on';
  /** The parent is not among the rows (missing revision, cycle): the line runs off the bottom. */
  open: boolean;
}

/**
 * A piece of an edge in the gap below a row: it leaves the upper row at lane `from`, runs in lane
 * `lane`, and reaches the next row at lane `to` (a fork has from ≠ lane, a join lane ≠ to).
 */
export interface LayoutSegment {
  edge: number;
  from: number;
  lane: number;
  to: number;
}

export interface LayoutRow {
  id: string;
  lane: number;
  /** Lines in the gap between this row and the next one. */
  below: LayoutSegment[];
  /** A separate tree (another base's history) starts at this row. */
  separate: boolean;
}

export interface GraphLayout {
  rows: LayoutRow[];
  edges: LayoutEdge[];
  /** Lanes the widest row uses. */
  width: number;
}

export interface LayoutOptions {
  /** Give depends_on edges lanes of their own (the picture draws them dashed). Default false. */
  dependsOn?: boolean;
}

export function layoutGraph(newestFirst: readonly LayoutNode[], options: LayoutOptions = {}): GraphLayout {
  const shown = new Set(newestFirst.map((n) => n.id));
  const edges: LayoutEdge[] = [];
  /** What each lane carries down: the edge (its parent is what the lane waits for), or nothing. */
  const lanes: (LayoutEdge | null)[] = [];
  const rows: LayoutRow[] = [];
  let width = 0;

  const open = (child: string, parent: string, field: LayoutEdge['field']): LayoutEdge => {
    const edge: LayoutEdge = { index: edges.length, child, parent, field, open: !shown.has(parent) };
    edges.push(edge);
    return edge;
  };
  /** The first free lane from `from` on (a base's own lane is free for its depends_on lines). */
  const freeSlot = (from: number) => {
    const slot = lanes.findIndex((l, i) => i >= from && l === null);
    return slot < 0 ? lanes.length : slot;
  };

  newestFirst.forEach((node, index) => {
    const waiting = lanes.flatMap((l, i) => (l && l.parent === node.id ? [i] : []));
    const byParentEdge = waiting.find((i) => lanes[i]!.field === 'down_revision');
    let lane = byParentEdge ?? waiting[0] ?? -1;
    const separate = rows.length > 0 && lanes.every((l) => l === null);
    if (lane < 0) {
      lane = lanes.indexOf(null);
      if (lane < 0) lane = lanes.length;
    }
    // Every lane that waited for this node ends here.
    for (const i of waiting) lanes[i] = null;

    const [first, ...rest] = node.parents;
    const forks: number[] = [];
    lanes[lane] = first !== undefined ? open(node.id, first, 'down_revision') : null;
    for (const parent of rest) {
      const slot = freeSlot(lane);
      lanes[slot] = open(node.id, parent, 'down_revision');
      forks.push(slot);
    }
    if (options.dependsOn) {
      for (const target of node.dependencies ?? []) {
        if (!shown.has(target) || node.parents.includes(target)) continue;
        const slot = freeSlot(lane);
        lanes[slot] = open(node.id, target, 'depends_on');
        forks.push(slot);
      }
    }
    while (lanes.length && lanes[lanes.length - 1] === null) lanes.pop();
    width = Math.max(width, lanes.length, lane + 1);

    rows.push({ id: node.id, lane, below: [], separate });
    const row = rows[rows.length - 1]!;
    const next = newestFirst[index + 1];
    // Where the next row's node will sit, so that lines waiting for it bend into it.
    const nextLane = next ? landingLane(lanes, next.id) : -1;
    lanes.forEach((edge, i) => {
      if (!edge) return;
      const from = forks.includes(i) ? lane : i;
      const to = next && edge.parent === next.id && nextLane >= 0 ? nextLane : i;
      row.below.push({ edge: edge.index, from, lane: i, to });
    });
  });
  return { rows, edges, width };
}

/** The lane a node will take: the first lane waiting for it by down_revision, else by depends_on. */
function landingLane(lanes: (LayoutEdge | null)[], id: string): number {
  let fallback = -1;
  for (let i = 0; i < lanes.length; i++) {
    const l = lanes[i];
    if (!l || l.parent !== id) continue;
    if (l.field === 'down_revision') return i;
    if (fallback < 0) fallback = i;
  }
  return fallback;
}
