import type { ServerLostError } from './errors';

/** Which kind of throwaway PostgreSQL a verify runs on. `url` = temp databases on a server the user names. */
export type ProviderKind = 'docker' | 'local' | 'pglite' | 'url';

/** A database the tool created and owns; the only kind of database it ever writes to. */
export interface ThrowawayDatabase {
  /** Unique, random, recognizably ours (e.g. `alembic_squash_3f9c1a2b`). */
  name: string;
  host: string;
  port: number;
  user: string;
  /** Never printed or logged; see `maskUrl`. */
  password?: string;
  /** `postgresql://user[:password]@host:port/name` (no driver part; the Alembic runner adds the project's). */
  url: string;
}

export interface SchemaDumpOptions {
  /** Tables left out of the dump (always includes `alembic_version`). */
  excludeTables?: string[];
}

/** A running throwaway server (or a connection to a user's server for `url`). Dispose always. */
export interface ThrowawayServer {
  readonly kind: ProviderKind;
  /** Human text: server version and where it runs (`local PostgreSQL 15.18 in /tmp/…`). */
  readonly description: string;
  /** Server major version, e.g. 15. */
  readonly majorVersion: number;
  createDatabase(): Promise<ThrowawayDatabase>;
  /**
   * A new database that is a copy of `db` (`CREATE DATABASE … TEMPLATE`), for back ends that can make
   * one; it fails while anything is connected to `db`.
   */
  cloneDatabase?(db: ThrowawayDatabase): Promise<ThrowawayDatabase>;
  dropDatabase(db: ThrowawayDatabase): Promise<void>;
  /** `pg_dump -s -O -x` of one database, with a pg_dump whose major matches (or exceeds) the server. */
  dumpSchema(db: ThrowawayDatabase, options?: SchemaDumpOptions): Promise<string>;
  /**
   * Whether the server went away under the caller (daemon stopped, container gone), checked after
   * something failed: the error to report instead, or undefined while it still runs.
   */
  lost?(): Promise<ServerLostError | undefined>;
  /** Stops and removes everything it started (processes, containers, folders, databases). Idempotent. */
  dispose(): Promise<void>;
}

export interface ProviderOptions {
  /** `auto` tries docker, then local, then pglite. */
  provider: ProviderKind | 'auto';
  /** For `url`. */
  databaseUrl?: string;
  /** For `docker`: image, default `postgres:16` (see core/compose chooseDockerImage). */
  dockerImage?: string;
  /** Where `dockerImage` came from, for people: `docker-compose.yml, service db`, `--docker-image`. */
  dockerImageOrigin?: string;
  /** The PostgreSQL the project itself runs (its compose file): other back ends say how their version compares. */
  projectPostgres?: { image: string; major?: number; origin: string };
  /** For `local`: a folder holding initdb/pg_ctl/postgres/pg_dump. */
  binDir?: string;
  /** Extensions the migrations create (for pglite, which loads contrib extensions only when asked). */
  extensions?: string[];
  /** Aborts start-up; dispose still runs. */
  signal?: AbortSignal;
  /** Progress lines for logs (never containing passwords). */
  log?: (line: string) => void;
}

/** Why `auto` picked a back end, or why one was unusable (shown in --json and in logs). */
export interface ProviderChoice {
  kind: ProviderKind;
  reason: string;
  skipped: { kind: ProviderKind; reason: string }[];
  /** How the server's major version compares with the project's own (`verified on PostgreSQL 15; your compose file runs 17`). */
  versionNote?: string;
}
