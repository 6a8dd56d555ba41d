/** Exit codes of the CLI contract (DESIGN.md). */
export const ExitCode = {
  ok: 0,
  /** Problems or differences found. */
  found: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Environment error: no Python/Alembic, no Postgres back end. */
  environment: 3,
} as const;

/** Bad arguments: printed with a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The project's configuration does not resolve (no script_location, say): exit 2 with the reason. */
export class ProjectConfigError extends Error {
  override name = 'ProjectConfigError';
}
