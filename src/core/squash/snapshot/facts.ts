import * as path from 'node:path';
import { driverPath } from '../../alembic/driverPath';
import { spawnDriver } from '../../alembic/spawn';
import { AlembicAbortedError, AlembicCommandError, AlembicUnavailableError, type AlembicSession } from '../../alembic';
import type { DriverOutcome } from '../../alembic/spawn';
import { maskSecrets, passwordOf } from '../../common/mask';

/** A table rendered by Alembic's autogenerate renderer, and what of pg_dump's output it covers. */
export interface RenderedTable {
  schema: string;
  table: string;
  /** `op.create_table(...)` as Alembic renders it. */
  create: string;
  drop: string;
  /** Constraint names kept inside create_table (primary key, unique, check). */
  constraints: string[];
  identityColumns: string[];
  /** SERIAL columns create_table reproduces (their sequence is created with the table). */
  serialColumns: { column: string; sequence: string }[];
  commentedColumns: string[];
  comment: boolean;
}

export interface RenderedIndex {
  schema: string;
  table: string;
  name: string;
  code: string;
}

export interface RenderedForeignKey {
  schema: string;
  table: string;
  name: string;
  code: string;
  drop: string;
}

export interface SeedTable {
  schema: string;
  table: string;
  rows: number;
  /** Columns whose volatile default fills them again (not inserted). */
  leftToDefault: string[];
  /** `op.bulk_insert(...)` code, or a plain INSERT statement when bulk_insert cannot carry the rows. */
  bulkInsert?: string;
  insert?: string;
}

/** What python/snapshot.py read from the database the chain built. */
export interface SnapshotFacts {
  tables: RenderedTable[];
  indexes: RenderedIndex[];
  foreignKeys: RenderedForeignKey[];
  /** Tables left to pg_dump's statements, and why. */
  dumpTables: { schema: string; table: string; reason: string }[];
  seeds: SeedTable[];
  sequences: { schema: string; name: string; statement: string }[];
  populatedMatviews: { schema: string; name: string }[];
  /** Import lines the rendered code needs (`from sqlalchemy.dialects import postgresql`). */
  imports: string[];
}

export interface ReadFactsOptions {
  python: string;
  /** `postgresql://…` of the throwaway database the chain was upgraded in. */
  databaseUrl: string;
  /** `schema.table` names whose Alembic rendering is replaced by pg_dump's statements. */
  dumpTables?: string[];
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** A long-lived driver of `python` to read in (SQLAlchemy already imported); else a new interpreter. */
  session?: AlembicSession;
}

/** Runs python/snapshot.py with the project's interpreter against the database (URL in the environment, never argv). */
export async function readSnapshotFacts(options: ReadFactsOptions): Promise<SnapshotFacts> {
  const password = passwordOf(options.databaseUrl);
  const mask = (text: string) => maskSecrets(text, password ? [password] : []);
  const input = JSON.stringify({ dumpTables: options.dumpTables ?? [] });
  const onStderrLine = options.log ? (line: string) => options.log!(mask(line)) : undefined;
  const outcome: DriverOutcome = await (options.session
    ? options.session.request({ argv: ['snapshot'], env: { ALEMBIC_SQUASH_DATABASE_URL: options.databaseUrl }, input, onStderrLine })
    : spawnDriver({
        python: options.python,
        script: path.join(path.dirname(driverPath()), 'snapshot.py'),
        args: [],
        env: { ...process.env, ALEMBIC_SQUASH_DATABASE_URL: options.databaseUrl, PYTHONDONTWRITEBYTECODE: '1' },
        stdin: input,
        signal: options.signal,
        onStderrLine,
      })
  ).catch((e: Error) => {
    throw e instanceof AlembicAbortedError ? e : new AlembicCommandError('snapshot', mask(e.message));
  });
  if (outcome.spawnError) throw new AlembicUnavailableError(options.python, outcome.spawnError.message);
  const doc = outcome.document as ({ ok: true } & SnapshotFacts) | { ok: false; error: { kind: string; type?: string; message: string; traceback?: string } } | undefined;
  if (!doc) throw new AlembicCommandError('protocol', `snapshot.py gave no answer (exit ${outcome.exitCode})`, mask(outcome.stderr.split('\n').slice(-20).join('\n')));
  if (doc.ok === false) {
    if (doc.error.kind === 'import') throw new AlembicUnavailableError(options.python, mask(doc.error.message));
    throw new AlembicCommandError('snapshot', `reading the database for the snapshot failed: ${mask(doc.error.message)}`, doc.error.traceback && mask(doc.error.traceback), doc.error.type);
  }
  const { ok: _ok, ...facts } = doc;
  return facts;
}
