/**
 * Draws a revision graph as text, one column per branch, newest first (like `git log --graph`,
 * which Alembic's own `history` lacks), from core's lane layout (the VS Code picture draws the same).
 *
 * Two characters per lane: the lane itself, then a gap. Adjacent joins and forks use `/` and `\`;
 * wider ones a `-` run ending in `'` or `.`, with `+` where the run crosses a lane that carries on.
 */
import { layoutGraph, type LayoutNode } from '../core/layout/lanes';

export type GraphNode = LayoutNode;

export interface GraphRow {
  prefix: string;
  /** The node this row shows, or undefined for a connector row. */
  id?: string;
}

export function drawGraph(newestFirst: GraphNode[]): GraphRow[] {
  const { rows: layout } = layoutGraph(newestFirst);
  const rows: GraphRow[] = [];

  const laneRow = (active: Set<number>, marks: Map<number, string>) => {
    const width = Math.max(-1, ...active, ...[...marks.keys()].map((p) => Math.floor(p / 2))) + 1;
    let s = '';
    for (let i = 0; i < width; i++) s += (marks.get(2 * i) ?? (active.has(i) ? '|' : ' ')) + (marks.get(2 * i + 1) ?? ' ');
    return s.trimEnd();
  };
  const spanRow = (active: Set<number>, col: number, targets: number[], end: string, adjacent: string) => {
    const marks = new Map<number, string>();
    const far = Math.max(...targets);
    if (far === col + 1) {
      marks.set(2 * col + 1, adjacent);
      marks.set(2 * far, ' ');
    } else {
      for (let p = 2 * col + 1; p < 2 * far; p++) marks.set(p, p % 2 === 0 && active.has(p / 2) && !targets.includes(p / 2) ? '+' : '-');
      for (const t of targets) marks.set(2 * t, end);
    }
    return laneRow(active, marks);
  };

  layout.forEach((row, i) => {
    const above = i > 0 ? layout[i - 1]!.below : [];
    const before = new Set(above.map((s) => s.lane));
    if (row.separate) rows.push({ prefix: '' });
    // Several children waited for this node (a branch point): their lanes join into its lane.
    const joining = above.filter((s) => s.to === row.lane && s.lane !== row.lane).map((s) => s.lane);
    if (joining.length) rows.push({ prefix: spanRow(before, row.lane, joining, "'", '/') });
    const atNode = new Set([...before].filter((l) => !joining.includes(l)));
    atNode.add(row.lane);
    rows.push({ prefix: laneRow(atNode, new Map([[2 * row.lane, '*']])), id: row.id });
    // A merge point: one new lane per further parent.
    const forks = row.below.filter((s) => s.from === row.lane && s.lane !== row.lane).map((s) => s.lane);
    if (forks.length) rows.push({ prefix: spanRow(new Set(row.below.map((s) => s.lane)), row.lane, forks, '.', '\\') });
  });
  return rows;
}

