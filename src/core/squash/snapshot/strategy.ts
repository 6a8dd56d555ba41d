import { AlembicUnavailableError, MigrationFailedError, AlembicCommandError } from '../../alembic';
import { ProviderUnavailableError } from '../../postgres';
import { VerifyMigrationError } from '../../verify/errors';
import { planRange, renderPlanned, type PlannedSquash, type PreparedSquash } from '../prepare';
import { SnapshotNotProvenError, SnapshotRangeError } from './errors';
import { snapshotSquash, type SnapshotSquash, type SnapshotSquashInput } from './snapshot';

export type Strategy = 'auto' | 'ops' | 'snapshot';

export interface StrategySquash {
  strategy: 'ops' | 'snapshot';
  /** Why this strategy (for `auto`: why snapshot, or why not). */
  reason: string;
  prepared: PreparedSquash;
  snapshot?: SnapshotSquash;
}

/**
 * `auto`: the snapshot for a range from base when the chain runs on a throwaway server and the result
 * is proven; the op-merge squash otherwise, saying why. `snapshot` refuses instead of falling back.
 */
export async function squashWithStrategy(strategy: Strategy, input: Omit<SnapshotSquashInput, 'planned'>): Promise<StrategySquash> {
  const planning = planRange(input);
  // The snapshot's server and interpreters start while the range is planned instead of after: when it
  // is asked for (a range not from base is refused, and only then was the start for nothing), or for
  // `auto` from `base`.
  let early: Promise<SnapshotSquash> | undefined;
  if ((strategy === 'snapshot' || (strategy === 'auto' && input.from === 'base')) && input.project.configPath) {
    planning.catch(() => undefined); // awaited below
    early = snapshotSquash({ ...input, planned: planning });
    early.catch(() => undefined); // awaited below, or settled before the op-merge squash
  }
  // Nothing is thrown before the early snapshot has removed what it started.
  const settleEarly = () => early?.then(() => undefined, () => undefined);
  const planned = await planning.catch(async (error: unknown) => {
    await settleEarly();
    throw error;
  });
  // The op-merge squash; for the snapshot it is rendered alongside the chain instead, first.
  const ops = () => renderPlanned(input, planned);
  if (strategy === 'ops') return { strategy: 'ops', reason: 'asked for (--strategy ops)', prepared: await ops() };
  if (strategy === 'auto' && !planned.plan.fromBase) {
    await settleEarly();
    return { strategy: 'ops', reason: `the range does not start at base (it revises ${planned.plan.downRevisions.join(', ')}): the snapshot strategy renders whole histories only`, prepared: await ops() };
  }
  if (strategy === 'auto' && !input.project.configPath) {
    return { strategy: 'ops', reason: 'there is no alembic.ini or pyproject.toml to run the chain with', prepared: await ops() };
  }
  return snapshotOrFallback(strategy, input, planned, early ?? snapshotSquash({ ...input, planned }));
}

/** The snapshot's outcome: proven, or (`auto`) the op-merge squash with the reason. */
async function snapshotOrFallback(strategy: Strategy, input: Omit<SnapshotSquashInput, 'planned'>, planned: PlannedSquash, running: Promise<SnapshotSquash>): Promise<StrategySquash> {
  const ops = () => renderPlanned(input, planned);
  try {
    const snapshot = await running;
    const why = strategy === 'snapshot' ? 'asked for (--strategy snapshot)' : 'the range starts at base and the chain runs on a throwaway PostgreSQL';
    return { strategy: 'snapshot', reason: `${why}; proven equal to the chain${snapshot.reEmitted.length ? ` after re-emitting ${snapshot.reEmitted.join(', ')} from pg_dump` : ''}`, prepared: snapshot, snapshot };
  } catch (error) {
    if (strategy === 'snapshot' || error instanceof SnapshotRangeError) throw error;
    const reason = fallbackReason(error);
    if (!reason) throw error;
    input.log?.(`snapshot strategy not used: ${reason}`);
    return { strategy: 'ops', reason, prepared: await ops() };
  }
}

/** Why `auto` fell back to the op-merge squash; undefined for errors that must reach the user as they are. */
function fallbackReason(error: unknown): string | undefined {
  if (error instanceof MigrationFailedError || error instanceof VerifyMigrationError) return `the chain cannot run on a throwaway PostgreSQL (${error.message.split('\n')[0]})`;
  if (error instanceof AlembicUnavailableError) return `the project's Alembic cannot run (${error.message.split('\n')[0]})`;
  if (error instanceof ProviderUnavailableError) return `no throwaway PostgreSQL (${error.message.split('\n')[0]})`;
  if (error instanceof SnapshotNotProvenError) return `the snapshot could not be proven equal to the chain (${error.proof.schema.differences.length + error.proof.data.differences.length} difference(s))`;
  if (error instanceof AlembicCommandError) return `the chain cannot run (${error.message.split('\n')[0]})`;
  return undefined;
}
