import * as path from 'node:path';
import { NotSquashableError, type RevisionMap } from '../graph';
import type { MigrationFile } from '../parse/types';
import type { ProjectConfig } from '../project/types';
import { BranchLabelClashError, SquashError } from './errors';
import { chooseRevisionId } from './ids';
import type { OutsideChild, SquashMember, SquashOptions, SquashPlan } from './types';

/** A migration file as read: its text and what the parser made of it. */
export interface SourceFile {
  text: string;
  file: MigrationFile;
}

export interface PlanSquashInput {
  map: RevisionMap;
  /** Every revision file of the project, by the path the map knows it under. */
  files: ReadonlyMap<string, SourceFile>;
  project?: Pick<ProjectConfig, 'versionLocations'>;
  /** Oldest revision included (`base` = from all roots). REV syntax as Alembic's. */
  from: string;
  /** The tip, included. */
  to: string;
  options?: SquashOptions;
}

/** A member's file the plan needs is not among `files`. */
export class MissingSourceError extends SquashError {
  constructor(readonly revision: string, readonly path: string | undefined) {
    super('missing-file', `The file of revision ${revision} (${path ?? 'no path'}) was not given to the planner`);
  }
}

/**
 * Resolves the range, checks it is squashable (every reason at once, as NotSquashableError), and
 * works out what the replacing revision must carry. Pure: no file access.
 */
export function planSquash(input: PlanSquashInput): SquashPlan {
  const { map, files, from, to } = input;
  const options = input.options ?? {};
  const ids = map.range(from, to);
  const check = map.checkSquashable(ids);
  if (!check.ok || check.tip === undefined) throw new NotSquashableError(check.reasons);
  const tip = check.tip;
  const inside = new Set(check.members);

  const members: SquashMember[] = check.members.map((id) => {
    const revision = map.get(id)!;
    const source = revision.path !== undefined ? files.get(revision.path) : undefined;
    if (!source || revision.path === undefined) throw new MissingSourceError(id, revision.path);
    return {
      revision: id,
      path: revision.path,
      message: source.file.message || revision.message || '',
      downRevisions: [...revision.downRevisions],
      dependencies: [...revision.dependencies],
      branchLabels: [...revision.branchLabels],
    };
  });

  // Keep depends_on entries as written (labels stay labels), one per target the graph kept.
  const dependencies: string[] = [];
  const droppedDependencies: SquashPlan['droppedDependencies'] = [];
  const keptTargets = new Set<string>();
  for (const m of members) {
    for (const written of m.dependencies) {
      const target = map.resolveDependency(written) ?? written;
      if (inside.has(target)) droppedDependencies.push({ revision: m.revision, dependency: written, reason: 'inside-range' });
      else if (keptTargets.has(target)) droppedDependencies.push({ revision: m.revision, dependency: written, reason: 'duplicate' });
      else if (check.dependencies.includes(target) || !map.has(target)) {
        keptTargets.add(target);
        dependencies.push(written);
      } else droppedDependencies.push({ revision: m.revision, dependency: written, reason: 'implied' });
    }
  }

  const branchLabels: string[] = [];
  const owners = new Map<string, string[]>();
  for (const m of members) for (const label of m.branchLabels) owners.set(label, [...(owners.get(label) ?? []), m.revision]);
  for (const [label, revs] of owners) {
    const outside = map.labelOwners(label).filter((id) => !inside.has(id));
    if (revs.length > 1 || outside.length > 0) throw new BranchLabelClashError(label, [...revs, ...outside]);
    branchLabels.push(label);
  }

  const children: OutsideChild[] = [];
  const outsideIds = new Set([...map.children(tip), ...map.dependents(tip)].filter((id) => !inside.has(id)));
  for (const id of map.inOrder(outsideIds)) {
    const revision = map.get(id)!;
    const via: OutsideChild['via'] = [];
    if (revision.downRevisions.includes(tip)) via.push('down_revision');
    if (revision.dependencies.includes(tip)) via.push('depends_on');
    if (via.length && revision.path !== undefined) children.push({ revision: id, path: revision.path, via });
  }

  const taken = (id: string): boolean => map.has(id) && !inside.has(id);
  const newRevision = chooseRevisionId(options.revisionId, tip, taken);
  const tipPath = members[members.length - 1].path;
  const fromBase = check.downRevisions.length === 0;

  const ancestors = map.reach(check.roots, 'up', { includeDependencies: true });
  const descendants = map.reach([tip], 'down', { includeDependencies: true });
  for (const id of inside) {
    ancestors.delete(id);
    descendants.delete(id);
  }

  return {
    from,
    to,
    fromBase,
    members,
    tip,
    roots: check.roots,
    downRevisions: check.downRevisions,
    dependencies,
    droppedDependencies,
    branchLabels,
    children,
    newRevision,
    idChanged: newRevision !== tip,
    message: options.message ?? `squash ${members[0].revision}..${tip}`,
    directory: path.dirname(tipPath),
    context: {
      ancestors: map.inOrder(ancestors),
      descendants: map.inOrder(descendants),
      known: map.revisions.map((r) => r.revision),
    },
    options: { ...options, partialDowngrade: options.partialDowngrade ?? 'raise' },
  };
}
