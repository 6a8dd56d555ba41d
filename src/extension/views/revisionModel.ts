/**
 * What the Revisions view shows, as plain data built from the graph (no vscode): one entry per
 * revision, heads first down to the bases, with the facets that drive icons and menus.
 */
import type { RevisionMap } from '../../core/graph';
import { shortIdIn } from '../../core/layout';
import type { RevisionBadges } from '../../core/layout/badges';
import type { LocatedProblem } from '../../core/scripts';

export type RevisionKind = 'head' | 'base' | 'mergepoint' | 'branchpoint' | 'revision';
export type RevisionFacet = 'head' | 'base' | 'mergepoint' | 'branchpoint' | 'dependson' | 'labelled' | 'problem';

export interface RevisionModel {
  revision: string;
  /** The main kind, for the icon (head wins over merge point, merge point over branch point, ...). */
  kind: RevisionKind;
  facets: RevisionFacet[];
  /** `revision:head:mergepoint` — matched in menus with `viewItem =~ /:head/`. */
  contextValue: string;
  shortId: string;
  /** `a1b2c3d4e5f6 · 2024-03-01` */
  description: string;
  message: string;
  date?: string;
  path?: string;
  parents: string[];
  children: string[];
  dependencies: string[];
  dependents: string[];
  branchLabels: string[];
  problems: { severity: 'error' | 'warning' | 'info'; message: string; line: number }[];
  /** Items under the revision: the parents of a merge point and its depends_on targets. */
  links: RevisionLink[];
}

export interface RevisionLink {
  kind: 'merges' | 'dependsOn';
  /** `merges a1b2c3d4, c3d4e5f6` / `depends on f0e1d2c3` */
  label: string;
  revisions: string[];
}

export const SHORT_ID_LENGTH = 8;

/** The shortest unique id in `map` (core's rule: never an ambiguous prefix); without a map, a plain cut. */
export function shortId(id: string, map?: RevisionMap): string {
  if (map) return shortIdIn(map, id);
  return id.length > SHORT_ID_LENGTH + 2 ? id.slice(0, SHORT_ID_LENGTH) : id;
}

/** `2024-03-01 10:22:33.123456` → `2024-03-01`. */
export function shortDate(createDate: string | undefined): string | undefined {
  const day = createDate?.trim().split(/[ T]/, 1)[0];
  return day || undefined;
}

/** Revisions newest first: reverse topological order (heads at the top), cycle members last. */
export function displayOrder(map: RevisionMap): string[] {
  const ordered = map.topologicalOrder().reverse();
  const seen = new Set(ordered);
  return [...ordered, ...map.inOrder([...map.ids()].filter((id) => !seen.has(id)))];
}

export function buildRevisionModels(
  map: RevisionMap,
  problems: readonly LocatedProblem[] = [],
  badges?: ReadonlyMap<string, Pick<RevisionBadges, 'data'>>,
): RevisionModel[] {
  const problemsByPath = new Map<string, LocatedProblem[]>();
  for (const p of problems) problemsByPath.set(p.path, [...(problemsByPath.get(p.path) ?? []), p]);

  return displayOrder(map).map((id): RevisionModel => {
    const r = map.get(id)!;
    const parents = map.parents(id);
    const dependencies = map.dependencies(id);
    const own = r.path ? problemsByPath.get(r.path) ?? [] : [];
    const facets: RevisionFacet[] = [];
    if (map.isHead(id)) facets.push('head');
    if (map.isBase(id)) facets.push('base');
    if (map.isMergePoint(id)) facets.push('mergepoint');
    if (map.isBranchPoint(id)) facets.push('branchpoint');
    if (dependencies.length) facets.push('dependson');
    if (r.branchLabels.length) facets.push('labelled');
    if (own.some((p) => p.severity !== 'info')) facets.push('problem');
    const kind: RevisionKind = facets.includes('head')
      ? 'head'
      : facets.includes('mergepoint')
        ? 'mergepoint'
        : facets.includes('branchpoint')
          ? 'branchpoint'
          : facets.includes('base')
            ? 'base'
            : 'revision';
    const date = shortDate(r.createDate);
    const links: RevisionLink[] = [];
    if (parents.length > 1) links.push({ kind: 'merges', label: `merges ${parents.map((p) => shortId(p, map)).join(', ')}`, revisions: parents });
    if (dependencies.length) links.push({ kind: 'dependsOn', label: `depends on ${dependencies.map((d) => shortId(d, map)).join(', ')}`, revisions: dependencies });
    return {
      revision: id,
      kind,
      facets,
      contextValue: ['revision', ...facets].join(':'),
      shortId: shortId(id, map),
      description: [shortId(id, map), date, dataBadge(badges?.get(id)?.data)].filter(Boolean).join(' · '),
      message: r.message ?? '',
      date,
      path: r.path,
      parents,
      children: map.children(id),
      dependencies,
      dependents: map.dependents(id),
      branchLabels: [...r.branchLabels],
      problems: own.map((p) => ({ severity: p.severity, message: p.message, line: p.line })),
      links,
    };
  });
}

/** `data 2` when upgrade() reads or writes rows: the tree's badge for data operations. */
function dataBadge(count: number | undefined): string | undefined {
  return count ? `data ${count}` : undefined;
}

/** The serializable tree the API returns: what the view shows, level by level. */
export interface TreeSnapshotNode {
  label: string;
  description?: string;
  contextValue: string;
  revision?: string;
  children?: TreeSnapshotNode[];
}

export function revisionSnapshotNodes(models: readonly RevisionModel[]): TreeSnapshotNode[] {
  return models.map((m) => ({
    label: revisionLabel(m),
    description: m.description,
    contextValue: m.contextValue,
    revision: m.revision,
    ...(m.links.length ? { children: m.links.map((l) => ({ label: l.label, contextValue: `link:${l.kind}` })) } : {}),
  }));
}

/** The message, with branch labels in front when there are any. */
export function revisionLabel(m: Pick<RevisionModel, 'message' | 'branchLabels' | 'shortId'>): string {
  const message = m.message || m.shortId;
  return m.branchLabels.length ? `(${m.branchLabels.join(', ')}) ${message}` : message;
}
