import * as path from 'node:path';
import { spawnDriver, type DriverOutcome } from './spawn';
import type { AlembicSession } from './session';
import { AlembicCommandError, AlembicUnavailableError, MigrationFailedError } from './errors';
import { maskSecrets, passwordOf } from '../common/mask';
import { unavailableReason } from './python';

/** The parts of a project configuration the runner needs (a ProjectConfig fits). */
export interface AlembicProject {
  /** alembic.ini or pyproject.toml (the latter needs Alembic ≥ 1.16). */
  configPath: string;
  /** The ini section (`-n`), default `alembic`. */
  section?: string;
}

export interface RunAlembicOptions {
  python: string;
  project: AlembicProject;
  /** `postgresql://…` of a throwaway database; the project's driver part (`+asyncpg`, …) is added. */
  databaseUrl?: string;
  /** Run this history instead of the configured version_locations (the user's files stay untouched). */
  versionLocations?: string[];
  /** `-x key=value` arguments for env.py. */
  xArgs?: string[];
  /** Extra environment variable names the project's env.py reads the URL from. */
  envVarNames?: string[];
  /** Force a driver part (`asyncpg`, `psycopg`, …) instead of deriving it from the project's URL. */
  urlDriver?: string;
  signal?: AbortSignal;
  /** Progress and log lines from Alembic and the project (passwords masked). */
  log?: (line: string) => void;
  /** A long-lived driver to run the command in (no interpreter start); `python` must be its interpreter. */
  session?: AlembicSession;
}

export type AlembicCommand =
  | { command: 'upgrade'; target: string }
  | { command: 'downgrade'; target: string }
  | { command: 'stamp'; target: string }
  /** `alembic stamp --purge`: for a row the history no longer has (a squash replaced it). */
  | { command: 'stamp-purge'; target: string }
  | { command: 'current' }
  | { command: 'heads' }
  | { command: 'compare-models' }
  /** The revisions in the order `alembic upgrade heads` runs them on an empty database. */
  | { command: 'upgrade-order' }
  | { command: 'render-template'; template?: string; variables: Record<string, unknown> };

export interface AlembicResults {
  upgrade: Record<string, never>;
  downgrade: Record<string, never>;
  stamp: Record<string, never>;
  'stamp-purge': Record<string, never>;
  current: { current: string[] };
  heads: { heads: string[] };
  /** `available`: env.py sets target_metadata; each difference in words. */
  'compare-models': { available: boolean; differences: string[] };
  'render-template': { text: string; template: string };
  'upgrade-order': { order: string[] };
}

/**
 * Runs one Alembic command with the project's own interpreter, env.py and configuration, pointed at
 * `databaseUrl`. Throws MigrationFailedError, AlembicCommandError, AlembicUnavailableError, or
 * AlembicAbortedError on cancel.
 */
export async function runAlembic<C extends AlembicCommand>(
  options: RunAlembicOptions,
  cmd: C,
): Promise<AlembicResults[C['command']]> {
  const configPath = path.resolve(options.project.configPath);
  const args = ['-c', configPath, '-n', options.project.section ?? 'alembic'];
  for (const location of options.versionLocations ?? []) args.push('--version-location', path.resolve(location));
  for (const x of options.xArgs ?? []) args.push('-x', x);
  args.push(cmd.command);
  if ('target' in cmd) args.push(cmd.target);

  const secrets = secretsOf(options.databaseUrl);
  const mask = (text: string): string => maskSecrets(text, secrets);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Our runs must not leave __pycache__ folders in the user's versions folders.
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
  if (options.databaseUrl) env.ALEMBIC_SQUASH_DATABASE_URL = options.databaseUrl;
  else delete env.ALEMBIC_SQUASH_DATABASE_URL;
  if (options.envVarNames?.length) env.ALEMBIC_SQUASH_URL_ENV_NAMES = options.envVarNames.join(',');
  if (options.urlDriver) env.ALEMBIC_SQUASH_URL_DRIVER = options.urlDriver;

  const stdin =
    cmd.command === 'render-template' ? JSON.stringify({ template: cmd.template, variables: cmd.variables }) : '';
  const onStderrLine = options.log ? (line: string) => options.log!(mask(line)) : undefined;
  const outcome =
    options.session
      ? await options.session.request({ argv: args, env: sessionEnv(env), cwd: path.dirname(configPath), input: stdin, onStderrLine })
      : await spawnDriver({ python: options.python, args, cwd: path.dirname(configPath), env, stdin, signal: options.signal, onStderrLine });
  const doc = outcome.document;
  if (doc?.ok === true) {
    const { ok: _ok, ...result } = doc;
    return result as AlembicResults[C['command']];
  }
  throw toError(options.python, outcome, mask);
}

/** The variables this module sets or clears, for a session request (its process has the rest). */
function sessionEnv(env: NodeJS.ProcessEnv): Record<string, string | null> {
  const names = ['ALEMBIC_SQUASH_DATABASE_URL', 'ALEMBIC_SQUASH_URL_ENV_NAMES', 'ALEMBIC_SQUASH_URL_DRIVER'];
  return Object.fromEntries(names.map((n) => [n, env[n] ?? null]));
}

function secretsOf(url: string | undefined): string[] {
  const password = url ? passwordOf(url) : undefined;
  return password ? [password] : [];
}

interface DriverError {
  kind?: string;
  type?: string;
  message?: string;
  traceback?: string;
  file?: string;
  line?: number;
  revision?: string | null;
  missing_module?: string;
  import_file?: string;
  import_line?: number;
}

function toError(python: string, outcome: DriverOutcome, mask: (s: string) => string): Error {
  if (outcome.spawnError) return new AlembicUnavailableError(python, outcome.spawnError.message);
  const error = outcome.document?.error as DriverError | undefined;
  if (!error) {
    const tail = mask(outcome.stderr.trim().split('\n').slice(-20).join('\n'));
    if (/No module named ['"]?(alembic|json|argparse)/.test(tail)) {
      return new AlembicUnavailableError(python, unavailableReason({ ...outcome, stderr: mask(outcome.stderr) }));
    }
    return new AlembicCommandError('protocol', `Alembic driver gave no answer (exit ${outcome.exitCode})`, tail);
  }
  if (error.kind === 'import') return new AlembicUnavailableError(python, mask(error.message ?? 'import failed'));
  const message = mask(error.message ?? 'unknown error');
  const traceback = error.traceback !== undefined ? mask(error.traceback) : undefined;
  if (error.kind === 'migration' && error.file && typeof error.line === 'number') {
    return new MigrationFailedError(
      error.revision ?? undefined,
      error.file,
      error.line,
      traceback ?? '',
      error.type ?? 'Error',
      message,
      error.missing_module,
      python,
    );
  }
  const failed = new AlembicCommandError(error.kind ?? 'alembic', message, traceback, error.type);
  if (error.missing_module) {
    return Object.assign(failed, { missingModule: error.missing_module, python, file: error.import_file, line: error.import_line });
  }
  return failed;
}
