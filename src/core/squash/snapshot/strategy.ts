import { AlembicUnavailableError, MigrationFailedError, AlembicCommandError } from '../../alembic';
import { ProviderUnavailableError } from '../../postgres';
import { VerifyMigrationError } from '../../verify/errors';
import { planRange, renderPlanned, type PreparedSquash } from '../prepare';
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
  const planned = await planRange(input);
  // The op-merge squash; for the snapshot it is rendered alongside the chain instead, first.
  const ops = () => renderPlanned(input, planned);
  if (strategy === 'ops') return { strategy: 'ops', reason: 'asked for (--strategy ops)', prepared: await ops() };
  if (strategy === 'auto' && !planned.plan.fromBase) {
    return { strategy: 'ops', reason: `the range does not start at base (it revises ${planned.plan.downRevisions.join(', ')}): the snapshot strategy renders whole histories only`, prepared: await ops() };
  }
  if (strategy === 'auto' && !input.project.configPath) {
    return { strategy: 'ops', reason: 'there is no alembic.ini or pyproject.toml to run the chain with', prepared: await ops() };
  }
  try {
    const snapshot = await snapshotSquash({ ...input, planned });
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
