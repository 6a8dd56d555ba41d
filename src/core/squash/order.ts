import { runAlembic, type AlembicSession } from '../alembic';
import type { SquashPlan } from './types';

/**
 * Members in the order `alembic upgrade` runs them. Our plan orders a range topologically; where the
 * range holds branches, Alembic's own walk decides which branch's revisions run first, and with it
 * e.g. the column order of a table two branches added columns to. The squash must give what the chain
 * gives, so it follows Alembic's order, asked of the project's own Alembic. A linear range has one
 * order: nothing is asked.
 */
export async function inAlembicOrder(
  plan: SquashPlan,
  project: { configPath?: string; section?: string } | undefined,
  python: string | undefined,
  /** A running driver of `python`: asked there, no interpreter started for it. */
  session?: AlembicSession,
): Promise<{ plan: SquashPlan; warning?: string }> {
  if (!branches(plan)) return { plan };
  const why = !python ? 'no Python interpreter was given' : !project?.configPath ? 'the project has no Alembic configuration file' : undefined;
  if (why) return { plan, warning: unknownOrder(why) };
  let order: string[];
  try {
    order = (await runAlembic({ python: python!, session, project: { configPath: project!.configPath!, section: project!.section || undefined } }, { command: 'upgrade-order' })).order;
  } catch (error) {
    return { plan, warning: unknownOrder(`Alembic could not load the history: ${(error as Error).message.split('\n', 1)[0]}`) };
  }
  const at = new Map(order.map((id, i) => [id, i]));
  if (plan.members.some((m) => !at.has(m.revision))) return { plan, warning: unknownOrder("Alembic's history does not hold every revision of the range") };
  const members = [...plan.members].sort((a, b) => at.get(a.revision)! - at.get(b.revision)!);
  return { plan: { ...plan, members } };
}

/** True when some member has two parents or two children inside the range. */
function branches(plan: SquashPlan): boolean {
  const inside = new Set(plan.members.map((m) => m.revision));
  const children = new Map<string, number>();
  for (const m of plan.members) {
    const parents = m.downRevisions.filter((p) => inside.has(p));
    if (parents.length > 1) return true;
    for (const p of parents) children.set(p, (children.get(p) ?? 0) + 1);
  }
  return [...children.values()].some((n) => n > 1);
}

function unknownOrder(why: string): string {
  return `The range merges branches and their revisions follow our own order, not Alembic's (${why}): a table two branches both changed may get its columns in another order than \`alembic upgrade\` gives; verify shows it`;
}
