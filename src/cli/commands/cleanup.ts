import { cleanupLeftovers, maskUrl } from '../../core/postgres';
import { ExitCode } from '../errors';
import { paint, type Output } from '../output';

export interface CleanupArgs {
  databaseUrl?: string;
  json: boolean;
}

/**
 * `alembic-squash cleanup [--database-url URL]`: removes what killed runs left (clusters, versions
 * copies, containers, cache temp files; with a URL, throwaway databases on that server whose process
 * is gone). "✓" only when everything found was removed; otherwise each thing left, why, and how.
 */
export async function cleanupCommand(args: CleanupArgs, o: Output): Promise<number> {
  o.progress('looking for leftovers of earlier runs…');
  const report = await cleanupLeftovers({ databaseUrl: args.databaseUrl });
  o.done();
  const left = report.left.map((l) => ({ ...l, why: maskUrl(l.why) }));
  if (args.json) {
    o.json({ removed: report.removed, left });
    return left.length ? ExitCode.found : ExitCode.ok;
  }
  for (const r of report.removed) o.out(`removed ${r}`);
  for (const l of left) o.err(`${paint(o, 'yellow', 'warning:')} left ${l.what}: ${l.why}. To remove it: ${l.remove}`);
  if (left.length) {
    o.out(paint(o, 'yellow', `cleanup incomplete: ${report.removed.length} removed, ${left.length} left (see above)`));
    return ExitCode.found;
  }
  o.out(paint(o, 'green', `✓ cleanup: ${report.removed.length ? `${report.removed.length} leftover(s) removed` : 'nothing left behind by earlier runs'}`));
  return ExitCode.ok;
}
