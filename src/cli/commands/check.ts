import type { Problem } from '../../core/common/problem';
import { ExitCode } from '../errors';
import { paint, type Output, type Style } from '../output';
import { loadScripts, projectsFor, relativeTo } from '../projects';
import { problemJson } from './graph';

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
      const problems = [...project.problems.map((p) => ({ ...p, line: undefined as number | undefined, column: undefined })), ...scripts.problems()];
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
    for (const p of problems) {
      const where = p.path ? `${relativeTo(root, p.path)}${p.line !== undefined ? `:${p.line + 1}:${(p.column ?? 0) + 1}` : ''}` : title;
      o.out(`  ${where}: ${paint(o, severityStyle[p.severity], p.severity)} ${p.message} ${paint(o, 'gray', `[${p.code}]`)}`);
    }
    if (!problems.length) o.out(`  ${paint(o, 'green', 'no problems')}`);
  }
  const warnings = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'warning').length, 0);
  o.out();
  o.out(errors ? paint(o, 'red', `${errors} error(s), ${warnings} warning(s)`) : paint(o, 'green', `ok: 0 errors, ${warnings} warning(s)`));
  return errors ? ExitCode.found : ExitCode.ok;
}
