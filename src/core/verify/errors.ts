/** A migration of one side failed during a verify; `cause` is the runner's error (MigrationFailedError, …). */
export class VerifyMigrationError extends Error {
  override readonly name = 'VerifyMigrationError';
  constructor(
    readonly side: 'chain' | 'squash',
    readonly step: string,
    override readonly cause: Error,
  ) {
    super(`${side === 'chain' ? 'The original chain' : 'The squashed history'} failed during ${step}: ${cause.message}`);
  }
}

/** The verify was cancelled; everything it started has been removed. */
export class VerifyCancelledError extends Error {
  override readonly name = 'VerifyCancelledError';
  constructor() {
    super('Verify was cancelled; everything it started has been removed.');
  }
}
