/**
 * Draws a revision graph as text, one column per branch, newest first (like `git log --graph`,
 * which Alembic's own `history` lacks). Pure: nodes in, rows of (graph prefix, node id or none) out.
 *
 * Two characters per lane: the lane itself, then a gap. A lane holds the revision it waits for.
 * Adjacent joins and forks use `/` and `\`; wider ones a `-` run ending in `'` or `.`, with `+`
 * where the run crosses a lane that carries on.
 */
export interface GraphNode {
  id: string;
  /** down_revisions, in file order. */
  parents: string[];
}

export interface GraphRow {
  prefix: string;
  /** The node this row shows, or undefined for a connector row. */
  id?: string;
}

export function drawGraph(newestFirst: GraphNode[]): GraphRow[] {
  const lanes: (string | null)[] = [];
  const rows: GraphRow[] = [];
  const width = () => lanes.length;

  const laneRow = (override: Map<number, string>) => {
    let s = '';
    for (let i = 0; i < width(); i++) s += (override.get(2 * i) ?? (lanes[i] !== null ? '|' : ' ')) + (override.get(2 * i + 1) ?? ' ');
    return s.trimEnd();
  };
  const spanRow = (col: number, targets: number[], end: string, adjacent: string) => {
    const marks = new Map<number, string>();
    const far = Math.max(...targets);
    if (far === col + 1) {
      marks.set(2 * col + 1, adjacent);
      marks.set(2 * far, ' ');
    } else {
      for (let p = 2 * col + 1; p < 2 * far; p++) marks.set(p, p % 2 === 0 && lanes[p / 2] !== null && !targets.includes(p / 2) ? '+' : '-');
      for (const t of targets) marks.set(2 * t, end);
    }
    return marks;
  };

  for (const node of newestFirst) {
    let col = lanes.indexOf(node.id);
    if (col < 0) {
      // A separate tree (another base's history) starts: leave a blank row between them.
      if (lanes.length === 0 && rows.length > 0) rows.push({ prefix: '' });
      col = lanes.indexOf(null);
      if (col < 0) col = lanes.length;
      lanes[col] = node.id;
    }
    // Several children waited for this node (a branch point): join their lanes into one.
    const joining = lanes.flatMap((l, i) => (l === node.id && i !== col ? [i] : []));
    if (joining.length) {
      const marks = spanRow(col, joining, "'", '/');
      rows.push({ prefix: laneRow(marks) });
      for (const j of joining) lanes[j] = null;
    }
    trim(lanes);
    rows.push({ prefix: laneRow(new Map([[2 * col, '*']])), id: node.id });

    const [first, ...rest] = node.parents;
    lanes[col] = first ?? null;
    if (rest.length) {
      // A merge point: one new lane per further parent.
      const opened: number[] = [];
      for (const parent of rest) {
        let slot = lanes.findIndex((l, i) => i > col && l === null);
        if (slot < 0) slot = lanes.length;
        lanes[slot] = parent;
        opened.push(slot);
      }
      rows.push({ prefix: laneRow(spanRow(col, opened, '.', '\\')) });
    }
    trim(lanes);
  }
  return rows;
}

function trim(lanes: (string | null)[]) {
  while (lanes.length && lanes[lanes.length - 1] === null) lanes.pop();
}
