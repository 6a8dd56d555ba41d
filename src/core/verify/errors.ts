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

/**
 * The server stopped answering mid-run (killed, daemon gone, disk full) or, for a user's server
 * (`url`), restarted: an environment error. `server` names a user's server, which gets its own words.
 */
export class BackendLostError extends Error {
  override readonly name = 'BackendLostError';
  constructor(
    /** What verify was doing, e.g. `upgrading the original chain to heads`. */
    readonly during: string,
    override readonly cause: Error,
    readonly server?: { where: string; restarted: boolean },
  ) {
    super(
      server
        ? `the PostgreSQL server at ${server.where} ${server.restarted ? 'restarted' : 'stopped'} while ${during}; this is not caused by your migrations. ` +
            `Any of this run's temporary databases still there are dropped by \`alembic-squash cleanup --database-url URL\` (last error: ${innermost(cause)})`
        : `the throwaway PostgreSQL server stopped while ${during}; this is not caused by your migrations (last error: ${innermost(cause)})`,
    );
  }
}

/** The first line of the deepest message (the database driver's own words, not our wrapping). */
function innermost(error: Error): string {
  let e: Error & { errorMessage?: string } = error;
  while (e.cause instanceof Error) e = e.cause;
  return (e.errorMessage ?? e.message).split('\n', 1)[0]!;
}
