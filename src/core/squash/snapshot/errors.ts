import type { VerifyResult } from '../../verify/types';

/** `--strategy snapshot` for a range that does not start at base: the rows and objects before it are not the chain's to render. */
export class SnapshotRangeError extends Error {
  override readonly name = 'SnapshotRangeError';
  constructor(readonly from: string, readonly roots: string[], readonly parents: string[]) {
    super(
      `The snapshot strategy squashes a range that starts at base; ${from}..: its root(s) ${roots.join(', ')} revise ${parents.join(', ')}. ` +
        'Squash from base, or use --strategy ops for a range in the middle of the history.',
    );
  }
}

/** The rendered snapshot still differs from the chain after re-emitting the differing tables from pg_dump: refused. */
export class SnapshotNotProvenError extends Error {
  override readonly name = 'SnapshotNotProvenError';
  constructor(readonly proof: VerifyResult, readonly reEmitted: string[]) {
    super(
      'The snapshot revision is not equal to the chain it would replace' +
        (reEmitted.length ? ` (even with ${reEmitted.join(', ')} re-emitted from pg_dump)` : '') +
        '; nothing was written. The differences are listed; --strategy ops keeps the chain\'s operations instead.',
    );
  }
}
