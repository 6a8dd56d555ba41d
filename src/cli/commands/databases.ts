import { maskUrl } from '../../core/common/mask';
import { appliedSquashes, DatabaseUnreachableError, needWords, placeDatabase, readVersionRows, rowWords, type DatabasePlacement } from '../../core/databases';
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
  for (const r of placement.rows) o.out(`  ${paint(o, 'bold', r.version)}  ${rowWords(r, short)}`);
  o.out(`  needs: ${needWords(placement)}`);
  for (const s of placement.steps) if (placement.rows.length) o.out(paint(o, 'gray', `    ${s}`));
  return code;
}

