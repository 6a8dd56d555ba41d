/**
 * What the Graph webview receives (plain data, no vscode): core's picture of the revision graph
 * with each row's badges, and the answer to "is this selection squashable?" with the edges to mark.
 */
import type { RevisionMap } from '../../core/graph';
import { buildPicture, offendingEdges, type GraphPicture } from '../../core/layout';
import type { RevisionBadges } from '../../core/layout/badges';
import type { LocatedProblem } from '../../core/scripts';
import { rangeForSelection } from '../squash/candidates';

export interface GraphRowView {
  revision: string;
  shortId: string;
  message: string;
  date?: string;
  /** File name only (the full path stays in the extension). */
  file?: string;
  labels: string[];
  head: boolean;
  base: boolean;
  branchPoint: boolean;
  mergePoint: boolean;
  lane: number;
  /** [edge, from, lane, to] per line below the row. */
  below: [number, number, number, number][];
  separate: boolean;
  data: number;
  appCode: number;
  errors: number;
  warnings: number;
}

export interface GraphView {
  project: string;
  configPath?: string;
  rows: GraphRowView[];
  /** [child, parent, dashed (depends_on), open] per edge. */
  edges: [string, string, boolean, boolean][];
  width: number;
}

export function graphView(
  project: { name: string; configPath?: string },
  map: RevisionMap,
  problems: readonly LocatedProblem[],
  badges: ReadonlyMap<string, RevisionBadges>,
): GraphView {
  const picture: GraphPicture = buildPicture(map);
  const byPath = new Map<string, { errors: number; warnings: number }>();
  for (const p of problems) {
    const c = byPath.get(p.path) ?? { errors: 0, warnings: 0 };
    if (p.severity === 'error') c.errors++;
    else if (p.severity === 'warning') c.warnings++;
    byPath.set(p.path, c);
  }
  return {
    project: project.name,
    ...(project.configPath ? { configPath: project.configPath } : {}),
    width: picture.width,
    edges: picture.edges.map((e) => [e.child, e.parent, e.field === 'depends_on', e.open]),
    rows: picture.rows.map((r) => {
      const b = badges.get(r.revision);
      const p = r.path ? byPath.get(r.path) : undefined;
      return {
        revision: r.revision,
        shortId: r.shortId,
        message: r.message,
        ...(r.date ? { date: r.date } : {}),
        ...(r.path ? { file: r.path.split(/[\\/]/).pop()! } : {}),
        labels: r.branchLabels,
        head: r.head,
        base: r.base,
        branchPoint: r.branchPoint,
        mergePoint: r.mergePoint,
        lane: r.lane,
        below: r.below.map((s) => [s.edge, s.from, s.lane, s.to]),
        separate: r.separate,
        data: b?.data ?? 0,
        appCode: b?.appCode ?? 0,
        errors: p?.errors ?? 0,
        warnings: p?.warnings ?? 0,
      };
    }),
  };
}

export interface SelectionCheck {
  revisions: string[];
  ok: boolean;
  from?: string;
  to?: string;
  reasons: string[];
  /** Edge indexes (of GraphView.edges) the refusal is about. */
  edges: number[];
  /** Revisions the refusal names (outside ones included). */
  involved: string[];
}

/**
 * The members of a click + shift-click selection: when one end descends from the other, Alembic's
 * range between them (what a squash takes); otherwise the rows between them as drawn.
 */
export function selectionBetween(map: RevisionMap, newestFirst: readonly string[], a: string, b: string): string[] {
  if (a === b) return [a];
  for (const [older, newer] of [[a, b], [b, a]] as const) {
    if (map.ancestors(newer).includes(older)) return map.range(older, newer);
  }
  const i = newestFirst.indexOf(a);
  const j = newestFirst.indexOf(b);
  return newestFirst.slice(Math.min(i, j), Math.max(i, j) + 1);
}

/** Is the selection one squashable range, and if not, why not and which edges are at fault. */
export function checkSelection(map: RevisionMap, revisions: string[]): SelectionCheck {
  const check = map.checkSquashable(revisions);
  const range = rangeForSelection(map, revisions);
  if (range.ok) return { revisions, ok: true, from: range.from, to: range.to, reasons: [], edges: [], involved: [] };
  const picture = buildPicture(map);
  return { revisions, ok: false, reasons: range.reasons, edges: offendingEdges(picture, check.reasons), involved: [...new Set(check.reasons.flatMap((r) => r.revisions))] };
}
