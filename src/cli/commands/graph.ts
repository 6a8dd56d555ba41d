import { headLabels } from '../../core/graph';
import type { ProjectConfig } from '../../core/project';
import type { LocatedProblem, ScriptDirectory } from '../../core/scripts';
import { drawGraph } from '../drawGraph';
import { paint, type Output } from '../output';
import { loadScripts, projectsFor, relativeTo } from '../projects';
import { ExitCode } from '../errors';

export interface GraphArgs {
  path: string;
  json: boolean;
}

/** `alembic-squash graph [PATH] [--json]` */
export async function graphCommand(args: GraphArgs, o: Output): Promise<number> {
  const { root, projects } = await projectsFor(args.path);
  const loaded = await Promise.all(projects.map(async (p) => ({ project: p, scripts: await loadScripts(p) })));
  // A config that does not resolve (no script_location folder, say) is not an empty history.
  const unresolved = loaded.filter(({ project, scripts }) => scripts.map.size === 0 && (project.problems.some((p) => p.severity === 'error') || project.configKind === 'bare'));
  if (unresolved.length === loaded.length) {
    for (const { project } of unresolved) {
      const title = project.configPath ? relativeTo(root, project.configPath) : relativeTo(root, project.here);
      const reasons = project.problems.filter((p) => p.severity === 'error').map((p) => p.message);
      o.err(`${paint(o, 'red', 'error:')} ${title}: ${reasons.length ? reasons.join('; ') : 'no alembic.ini, pyproject.toml with [tool.alembic], or revision files here'}`);
    }
    return ExitCode.usage;
  }
  if (args.json) {
    o.json({ graphs: loaded.map(({ project, scripts }) => graphJson(root, project, scripts)) });
    return ExitCode.ok;
  }
  loaded.forEach(({ project, scripts }, i) => {
    if (i > 0) o.out();
    printGraph(o, root, project, scripts);
  });
  return ExitCode.ok;
}

export function graphJson(root: string, project: ProjectConfig, scripts: ScriptDirectory) {
  const map = scripts.map;
  const order = map.topologicalOrder();
  const inOrder = new Set(order);
  const ids = [...order, ...map.revisions.map((r) => r.revision).filter((id) => !inOrder.has(id))];
  return {
    name: project.name,
    config: project.configPath ? relativeTo(root, project.configPath) : null,
    versionLocations: project.versionLocations.map((l) => relativeTo(root, l)),
    revisions: ids.map((id) => {
      const r = map.get(id)!;
      return {
        revision: r.revision,
        downRevisions: r.downRevisions,
        dependsOn: r.dependencies,
        branchLabels: r.branchLabels,
        path: r.path ? relativeTo(root, r.path) : null,
        message: r.message ?? '',
      };
    }),
    heads: map.heads,
    bases: map.bases,
    branchPoints: map.branchPoints,
    mergePoints: map.mergePoints,
    skipped: scripts.skippedFiles.map((f) => relativeTo(root, f)),
    problems: [...project.problems.map((p) => ({ ...p, line: undefined })), ...scripts.problems()].map((p) => problemJson(root, p)),
  };
}

export function problemJson(root: string, p: { code: string; severity: string; message: string; path?: string; line?: number }) {
  return {
    code: p.code,
    severity: p.severity,
    message: p.message,
    path: p.path ? relativeTo(root, p.path) : null,
    line: p.line === undefined ? null : p.line + 1,
  };
}

function printGraph(o: Output, root: string, project: ProjectConfig, scripts: ScriptDirectory) {
  const map = scripts.map;
  const heads = map.heads;
  const title = project.configPath ? relativeTo(root, project.configPath) : relativeTo(root, project.here);
  o.out(
    `${paint(o, 'bold', title)}${project.section && project.section !== 'alembic' ? ` [${project.section}]` : ''}  ` +
      paint(o, 'gray', `${map.size} revision${map.size === 1 ? '' : 's'}, ${heads.length} head${heads.length === 1 ? '' : 's'}${labelledHeads(map, heads)}, ${map.bases.length} base${map.bases.length === 1 ? '' : 's'}`),
  );
  if (map.size === 0) {
    o.out(paint(o, 'gray', '  (no revisions)'));
    return;
  }
  const newestFirst = map.topologicalOrder().reverse().map((id) => ({ id, parents: map.parents(id) }));
  const rows = drawGraph(newestFirst);
  const width = Math.max(...rows.map((r) => r.prefix.length));
  for (const row of rows) {
    const prefix = paint(o, 'magenta', row.prefix.padEnd(width));
    if (!row.id) {
      o.out(prefix);
      continue;
    }
    const r = map.get(row.id)!;
    const tags: string[] = [];
    if (map.isHead(r.revision)) tags.push(paint(o, 'green', 'head'));
    if (map.isBase(r.revision)) tags.push(paint(o, 'cyan', 'base'));
    if (map.isBranchPoint(r.revision)) tags.push(paint(o, 'yellow', 'branchpoint'));
    if (map.isMergePoint(r.revision)) tags.push(paint(o, 'yellow', 'mergepoint'));
    for (const l of r.branchLabels) tags.push(paint(o, 'blue', `label:${l}`));
    const deps = r.dependencies.length ? paint(o, 'gray', ` depends_on ${r.dependencies.join(', ')}`) : '';
    const tagText = tags.length ? ` (${tags.join(', ')})` : '';
    const date = r.createDate ? paint(o, 'gray', `  ${r.createDate.slice(0, 10)}`) : '';
    o.out(`${prefix} ${paint(o, 'bold', r.revision)}${tagText} ${r.message ?? ''}${deps}${date}`);
  }
  const cycles = map.cycles();
  for (const c of cycles) o.out(paint(o, 'red', `cycle (not drawn): ${c.join(' → ')}`));
  printProblemSummary(o, scripts.problems());
}

/** " (branch labels a, b)" when several heads are all labelled branches (expand/contract), else "". */
function labelledHeads(map: ScriptDirectory['map'], heads: string[]): string {
  if (heads.length < 2) return '';
  const labels = headLabels(map, heads);
  if (!heads.every((h) => labels.get(h)!.length)) return '';
  return ` (branch labels ${heads.flatMap((h) => labels.get(h)!).join(', ')})`;
}

function printProblemSummary(o: Output, problems: LocatedProblem[]) {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  if (errors || warnings) {
    o.out(paint(o, errors ? 'red' : 'yellow', `${errors} error(s), ${warnings} warning(s): run \`alembic-squash check\` for details`));
  }
}
