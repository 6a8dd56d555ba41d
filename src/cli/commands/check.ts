import type { Problem } from '../../core/common/problem';
import type { ProjectConfig } from '../../core/project';
import type { LocatedProblem, ScriptDirectory } from '../../core/scripts';
import { projectCodeImports, projectRoots } from '../../core/squash/projectCode';
import { ExitCode } from '../errors';
import { paint, type Output, type Style } from '../output';
import { loadScripts, projectsFor, relativeTo } from '../projects';
import { problemJson } from './graph';

/** `imports-project-code`: a squash would carry these imports and run the project's current code. */
function projectCodeProblems(project: ProjectConfig, scripts: ScriptDirectory): (LocatedProblem & { module: string })[] {
  const roots = projectRoots(project);
  const out: (LocatedProblem & { module: string })[] = [];
  for (const f of scripts.revisionFiles) {
    const file = scripts.fullFile(f.path) ?? f;
    const fns = [file.migration.upgrade, file.migration.downgrade].filter((fn) => fn !== undefined).map((fn) => fn.range);
    for (const imp of projectCodeImports(file.text, roots, fns)) {
      out.push({
        code: 'imports-project-code',
        severity: 'warning',
        message:
          `imports project code \`${imp.module}\`${imp.inFunction ? ' inside a function' : ''}: a squash carrying this revision runs that code as it is now, ` +
          'not as it was when the revision was written (squash ranges from base with the snapshot strategy)',
        range: { start: imp.offset, end: imp.offset },
        path: f.path,
        line: imp.line - 1,
        column: 0,
        module: imp.module,
      });
    }
  }
  return out;
}

export interface CheckArgs {
  path: string;
  json: boolean;
}

const severityStyle: Record<Problem['severity'], Style> = { error: 'red', warning: 'yellow', info: 'blue' };

/** `alembic-squash check [PATH] [--json]`: exit 1 when any error is found, else 0. */
export async function checkCommand(args: CheckArgs, o: Output): Promise<number> {
  const { root, projects } = await projectsFor(args.path);
  const results = await Promise.all(
    projects.map(async (project) => {
      const scripts = await loadScripts(project, { full: true });
      const problems = [
        ...project.problems.map((p) => ({ ...p, line: undefined as number | undefined, column: undefined })),
        ...scripts.problems(),
        ...projectCodeProblems(project, scripts),
      ];
      return { project, scripts, problems };
    }),
  );
  const errors = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'error').length, 0);
  if (args.json) {
    o.json({
      projects: results.map(({ project, scripts, problems }) => ({
        name: project.name,
        config: project.configPath ? relativeTo(root, project.configPath) : null,
        revisions: scripts.map.size,
        heads: scripts.map.heads,
        problems: problems.map((p) => problemJson(root, p)),
      })),
      errors,
    });
    return errors ? ExitCode.found : ExitCode.ok;
  }
  for (const { project, scripts, problems } of results) {
    const title = project.configPath ? relativeTo(root, project.configPath) : relativeTo(root, project.here);
    o.out(`${paint(o, 'bold', title)}  ${paint(o, 'gray', `${scripts.map.size} revisions, ${scripts.map.heads.length} head(s)`)}`);
    const where = (p: (typeof problems)[number]) => (p.path ? `${relativeTo(root, p.path)}${p.line !== undefined ? `:${p.line + 1}:${(p.column ?? 0) + 1}` : ''}` : title);
    // One helper module imported by 80 revisions is one finding: a line per module, every place in --json.
    const byModule = new Map<string, typeof problems>();
    for (const p of problems) if ('module' in p) byModule.set(p.module as string, [...(byModule.get(p.module as string) ?? []), p]);
    const grouped = new Set([...byModule.values()].filter((ps) => ps.length >= 3).flat());
    for (const p of problems) {
      if (grouped.has(p)) continue;
      o.out(`  ${where(p)}: ${paint(o, severityStyle[p.severity], p.severity)} ${p.message} ${paint(o, 'gray', `[${p.code}]`)}`);
    }
    for (const [module, ps] of byModule) {
      if (ps.length < 3) continue;
      const shown = ps.slice(0, 3).map(where).join(', ');
      o.out(
        `  ${paint(o, 'yellow', 'warning')} ${new Set(ps.map((p) => p.path)).size} revision(s) import project code \`${module}\` (${shown}${ps.length > 3 ? `, and ${ps.length - 3} more: --json lists each` : ''}): ` +
          `a squash carrying them runs that code as it is now, not as it was when they were written (squash ranges from base with the snapshot strategy) ${paint(o, 'gray', '[imports-project-code]')}`,
      );
    }
    if (!problems.length) o.out(`  ${paint(o, 'green', 'no problems')}`);
  }
  const warnings = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'warning').length, 0);
  o.out();
  o.out(errors ? paint(o, 'red', `${errors} error(s), ${warnings} warning(s)`) : paint(o, 'green', `ok: 0 errors, ${warnings} warning(s)`));
  return errors ? ExitCode.found : ExitCode.ok;
}
