import { maskUrl } from '../../core/common/mask';
import { appliedSquashes, DatabaseUnreachableError, placeDatabase, readVersionRows, type DatabasePlacement, type RowPlace } from '../../core/databases';
import { shortIdIn } from '../../core/layout';
import { ExitCode, UsageError } from '../errors';
import { paint, type Output } from '../output';
import { loadScripts, singleProject } from '../projects';

export interface DatabasesArgs {
  path: string;
  databaseUrl?: string;
  json: boolean;
}

/** `alembic-squash databases [PATH] --database-url URL [--json]`: read-only position and what it needs. */
export async function databasesCommand(args: DatabasesArgs, o: Output): Promise<number> {
  const { project } = await singleProject(args.path);
  const url = args.databaseUrl ?? project.sqlalchemyUrl;
  if (!url) throw new UsageError('--database-url URL is required (the project sets no sqlalchemy.url)');
  const scripts = await loadScripts(project);
  const shown = maskUrl(url);
  let placement: DatabasePlacement;
  try {
    const rows = await readVersionRows(url);
    placement = placeDatabase({ map: scripts.map, ...rows, applied: appliedSquashes(scripts) });
  } catch (e) {
    if (!(e instanceof DatabaseUnreachableError)) throw e;
    if (args.json) o.json({ database: shown, reachable: false, reason: e.reason });
    else o.err(paint(o, 'red', `${shown}: ${e.reason}`));
    return ExitCode.environment;
  }
  const code = placement.need.kind === 'nothing' ? ExitCode.ok : ExitCode.found;
  if (args.json) {
    o.json({ database: shown, reachable: true, ...placement });
    return code;
  }
  const short = (id: string) => (scripts.map.has(id) ? shortIdIn(scripts.map, id) : id);
  o.out(paint(o, 'bold', shown));
  if (placement.rows.length === 0) o.out(`  ${placement.steps[0]}`);
  for (const r of placement.rows) o.out(`  ${paint(o, 'bold', r.version)}  ${describeRow(r, short)}`);
  o.out(`  needs: ${describeNeed(placement)}`);
  for (const s of placement.steps) if (placement.rows.length) o.out(paint(o, 'gray', `    ${s}`));
  return code;
}

export function describeRow(r: RowPlace, short: (id: string) => string = (id) => id): string {
  switch (r.at) {
    case 'head':
      return 'at head';
    case 'behind':
      return `behind by ${r.behind}`;
    case 'replaced':
      return `at a revision ${r.pending ? 'the pending' : 'an applied'} squash replaces (by ${short(r.by)}${r.version === r.tip ? ', old tip' : ''})`;
    case 'unknown':
      return 'unknown revision (not in this history)';
  }
}

export function describeNeed(p: DatabasePlacement): string {
  const n = p.need;
  switch (n.kind) {
    case 'nothing':
      return 'nothing';
    case 'upgrade':
      return n.beforeSquash ? `${n.command} with the code before the squash, before deploying it` : `${n.command} before deploying`;
    case 'stamp':
      return `${n.command}${n.afterDeploy ? ' after deploying the squash' : ''}`;
    case 'unknown':
      return n.reason;
  }
}
