import type { Client, ClientConfig } from 'pg';
import { findPgDumps, type PgDumpProgram } from './binaries';
import * as sql from './client';
import { ProviderUnavailableError, ServerLostError, ThrowawayServerError, throwIfAborted } from './errors';
import { maskSecrets, maskUrl } from '../common/mask';
import { databaseComment, ownerFromComment, quoteIdent, quoteLiteral, randomDatabaseName } from './names';
import { currentOwner, ownerState, type OwnerState } from './owner';
import { delay, run, tail } from './process';
import type { ProviderOptions, SchemaDumpOptions, ThrowawayDatabase, ThrowawayServer } from './types';

export interface ParsedUrl {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** Query part kept as given (`?sslmode=require`, ...). */
  search: string;
  sslmode?: string;
}

/** Reads `postgresql[+driver]://user:pw@host:port/db?…`; the driver part (`+psycopg2`) is dropped. */
export function parseDatabaseUrl(text: string): ParsedUrl {
  const match = /^([a-z][a-z0-9.-]*)(\+[a-z0-9_.-]+)?:\/\//i.exec(text.trim());
  const scheme = match?.[1].toLowerCase();
  if (!match || (scheme !== 'postgresql' && scheme !== 'postgres')) {
    throw new ProviderUnavailableError(
      'url',
      'url-invalid',
      `Not a PostgreSQL URL: ${maskUrl(text)}. Expected postgresql://user:password@host:port/database.`,
    );
  }
  let url: URL;
  try {
    url = new URL('postgresql://' + text.trim().slice(match[0].length));
  } catch {
    throw new ProviderUnavailableError('url', 'url-invalid', `Cannot read the database URL ${maskUrl(text)}.`);
  }
  const decode = (s: string) => decodeURIComponent(s);
  return {
    host: decode(url.hostname) || 'localhost',
    port: url.port ? Number(url.port) : 5432,
    user: url.username ? decode(url.username) : process.env.PGUSER ?? 'postgres',
    password: url.password ? decode(url.password) : undefined,
    database: decode(url.pathname.replace(/^\//, '')) || 'postgres',
    search: url.search,
    sslmode: url.searchParams.get('sslmode') ?? undefined,
  };
}

function formatUrl(p: ParsedUrl, database: string): string {
  const auth = encodeURIComponent(p.user) + (p.password !== undefined ? ':' + encodeURIComponent(p.password) : '');
  const host = p.host.includes(':') ? `[${p.host}]` : p.host;
  return `postgresql://${auth}@${host}:${p.port}/${encodeURIComponent(database)}${p.search}`;
}

function clientConfig(p: ParsedUrl, database: string): ClientConfig {
  const ssl = p.sslmode && p.sslmode !== 'disable' && p.sslmode !== 'allow' && p.sslmode !== 'prefer'
    ? { rejectUnauthorized: p.sslmode === 'verify-full' || p.sslmode === 'verify-ca' }
    : undefined;
  return { host: p.host, port: p.port, user: p.user, password: p.password, database, ssl };
}

/**
 * Throwaway databases on a server the user names. Creates uniquely named databases with the URL's
 * role, drops exactly those, and never writes to anything else on that server.
 */
export class UrlServer implements ThrowawayServer {
  readonly kind = 'url' as const;
  readonly description: string;
  private readonly databases = new Set<string>();
  private disposing: Promise<void> | undefined;

  private constructor(
    private readonly target: ParsedUrl,
    readonly majorVersion: number,
    version: string,
    /** pg_postmaster_start_time() when this run connected: a restart changes it. */
    private readonly upSince: string,
    private readonly pgDump: PgDumpProgram,
    private readonly log: (line: string) => void,
  ) {
    this.description = `PostgreSQL ${version} at ${target.host}:${target.port} (temporary databases as ${target.user})`;
  }

  static async start(options: ProviderOptions): Promise<UrlServer> {
    const log = options.log ?? (() => undefined);
    if (!options.databaseUrl) {
      throw new ProviderUnavailableError('url', 'url-missing', 'The url provider needs a database URL (--database-url postgresql://user:password@host:port/database).');
    }
    const target = parseDatabaseUrl(options.databaseUrl);
    const shown = maskUrl(formatUrl(target, target.database));
    throwIfAborted(options.signal);
    log(`connecting to ${shown}`);
    let info: { major: number; version: string; canCreate: boolean; upSince: string };
    try {
      info = await sql.withClient(clientConfig(target, target.database), async (c) => {
        const version = await sql.serverVersion(c);
        const role = await c.query<{ can: boolean }>(
          'SELECT (rolcreatedb OR rolsuper) AS can FROM pg_roles WHERE rolname = current_user',
        );
        return { ...version, canCreate: role.rows[0]?.can === true, upSince: await postmasterStart(c) };
      });
    } catch (error) {
      throw new ProviderUnavailableError(
        'url',
        'url-unreachable',
        `Cannot connect to ${shown}: ${maskSecrets((error as Error).message, [target.password])}. Check host, port, user and password.`,
      );
    }
    throwIfAborted(options.signal);
    if (!info.canCreate) {
      throw new ProviderUnavailableError(
        'url',
        'url-no-createdb',
        `The role "${target.user}" on ${shown} may not create databases (it has neither CREATEDB nor SUPERUSER). ` +
          `Verification needs two temporary databases: grant it (ALTER ROLE "${target.user}" CREATEDB), use another role, or choose --provider local, docker or pglite.`,
      );
    }
    const dumps = await findPgDumps(options.binDir);
    const pgDump = dumps.find((d) => d.major >= info.major);
    if (!pgDump) {
      const seen = dumps.length ? dumps.map((d) => `${d.version} (${d.path})`).join(', ') : 'none';
      throw new ProviderUnavailableError(
        'url',
        'pg-dump-missing',
        `The server at ${target.host}:${target.port} runs PostgreSQL ${info.version}; dumping its schema needs pg_dump ${info.major} or newer, found: ${seen}. ` +
          `Install the PostgreSQL ${info.major} client programs (e.g. apt-get install postgresql-client-${info.major}) or give their bin folder.`,
      );
    }
    log(`PostgreSQL ${info.version} at ${target.host}:${target.port}; pg_dump ${pgDump.version}`);
    // Databases that killed runs left on this server go first (best effort: never blocks the run).
    const swept = await sweepUrlDatabases(options.databaseUrl).catch(() => undefined);
    for (const name of swept?.dropped ?? []) log(`dropped leftover database ${name} on ${target.host}:${target.port} (its process is gone)`);
    return new UrlServer(target, info.major, info.version, info.upSince, pgDump, log);
  }

  /**
   * Whether the user's server restarted (its postmaster start time changed) or stopped answering since
   * this run connected: the connections and work of the run are gone then, whatever the errors say.
   */
  async lost(): Promise<ServerLostError | undefined> {
    const where = `${this.target.host}:${this.target.port}`;
    let now: string;
    try {
      now = await sql.withClient({ ...this.maintenance(), connectionTimeoutMillis: 5_000 }, postmasterStart);
    } catch (error) {
      return new ServerLostError('url', 'server-stopped', `the PostgreSQL server at ${where} stopped answering (${maskSecrets((error as Error).message, [this.target.password])})`, where);
    }
    if (now === this.upSince) return undefined;
    return new ServerLostError('url', 'server-restarted', `the PostgreSQL server at ${where} restarted (up since ${now}; it was up since ${this.upSince} when this run connected)`, where);
  }

  private maintenance(): ClientConfig {
    return clientConfig(this.target, this.target.database);
  }

  async createDatabase(): Promise<ThrowawayDatabase> {
    const name = randomDatabaseName();
    await this.guard('create-failed', `create database ${name}`, () =>
      sql.withClient(this.maintenance(), async (c) => {
        await sql.createDatabase(c, name);
        this.databases.add(name);
        // Who made it and when: a later run (or `alembic-squash cleanup`) drops it once this process is gone.
        await c.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(databaseComment(currentOwner()))}`);
      }).catch(async (error: Error) => {
        // Without its comment no sweep may touch it (it could be anyone's): drop it now, or in dispose.
        if (this.databases.has(name)) await this.dropWhenBack(name).then(() => this.databases.delete(name), () => undefined);
        throw error;
      }),
    );
    this.log(`created database ${name} on ${this.target.host}:${this.target.port}`);
    const { host, port, user, password } = this.target;
    return { name, host, port, user, password, url: formatUrl(this.target, name) };
  }

  async dropDatabase(db: ThrowawayDatabase): Promise<void> {
    if (!this.databases.has(db.name)) {
      throw new ThrowawayServerError('url', 'not-ours', `Database ${db.name} was not created by this run; it is left alone.`);
    }
    await this.guard('drop-failed', `drop database ${db.name}`, () => this.dropWhenBack(db.name));
    this.databases.delete(db.name);
    this.log(`dropped database ${db.name}`);
  }

  async dumpSchema(db: ThrowawayDatabase, options?: SchemaDumpOptions): Promise<string> {
    if (!this.databases.has(db.name)) {
      throw new ThrowawayServerError('url', 'not-ours', `Database ${db.name} was not created by this run.`);
    }
    const { host, port, user, password, sslmode } = this.target;
    // Connection details travel in the environment: a password on a command line is visible to `ps`.
    const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: host, PGPORT: String(port), PGUSER: user, PGDATABASE: db.name, PGCONNECT_TIMEOUT: '10' };
    delete env.PGPASSWORD;
    if (password !== undefined) env.PGPASSWORD = password;
    if (sslmode) env.PGSSLMODE = sslmode;
    const result = await run(this.pgDump.path, sql.schemaDumpArgs(options?.excludeTables), { env, timeoutMs: 300_000 });
    if (result.code !== 0) {
      throw new ThrowawayServerError('url', 'dump-failed', `pg_dump of ${db.name} failed: ${maskSecrets(tail(result.stderr), [password])}`);
    }
    return result.stdout;
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      const failures: string[] = [];
      for (const name of [...this.databases]) {
        try {
          await this.dropWhenBack(name);
          this.databases.delete(name);
          this.log(`dropped database ${name}`);
        } catch (error) {
          failures.push(`${name}: ${maskSecrets((error as Error).message, [this.target.password])}`);
        }
      }
      if (failures.length) {
        throw new ThrowawayServerError('url', 'drop-failed', `Could not drop temporary databases on ${this.target.host}:${this.target.port}: ${failures.join('; ')}`);
      }
    })();
    return this.disposing;
  }

  /**
   * Drops one database; while the server is shutting down or starting up (a restart under this run),
   * tries again until it answers, for a while: a database left there is the user's to clean.
   */
  private async dropWhenBack(name: string): Promise<void> {
    const deadline = Date.now() + RESTART_GRACE_MS;
    for (;;) {
      try {
        return await sql.withClient({ ...this.maintenance(), connectionTimeoutMillis: 5_000 }, (c) => sql.dropDatabase(c, name, this.majorVersion));
      } catch (error) {
        if (!isRestarting(error) || Date.now() > deadline) throw error;
        await delay(250);
      }
    }
  }

  private async guard<T>(code: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new ThrowawayServerError('url', code, `Could not ${what} on ${this.target.host}:${this.target.port}: ${maskSecrets((error as Error).message, [this.target.password])}`);
    }
  }
}

/** How long a drop waits for a restarting server to answer again. */
const RESTART_GRACE_MS = 15_000;

/**
 * Errors of a server that is going down or coming up: refused or reset connections, "the database
 * system is shutting down / starting up" (57P03), connections ended by a shutdown (57P01–57P02).
 */
function isRestarting(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03'].includes(code)) return true;
  return /Connection terminated/i.test((error as Error).message ?? '');
}

/** When the postmaster started, as the server prints it (compared as text: exact to the microsecond). */
async function postmasterStart(c: Client): Promise<string> {
  const rows = await c.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t');
  return rows.rows[0]!.t;
}

export interface UrlSweep {
  server: string;
  dropped: string[];
  /** Ours but not dropped: still in use, created on another machine, or the drop failed (with why). */
  left: { name: string; why: string }[];
}

/**
 * Drops the throwaway databases (our name prefix and our COMMENT) on the server of `url` whose creating
 * process is gone. Databases of live runs, of other machines, or without our comment are left, and
 * listed with the reason.
 */
export async function sweepUrlDatabases(url: string): Promise<UrlSweep> {
  const target = parseDatabaseUrl(url);
  const server = `${target.host}:${target.port}`;
  const out: UrlSweep = { server, dropped: [], left: [] };
  await sql.withClient(clientConfig(target, target.database), async (c) => {
    const major = (await sql.serverVersion(c)).major;
    const rows = await c.query<{ datname: string; comment: string | null }>(
      "SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE 'alembic\\_squash\\_%' ORDER BY datname",
    );
    for (const { datname, comment } of rows.rows) {
      const owner = ownerFromComment(comment);
      if (!owner) {
        out.left.push({ name: datname, why: 'it has no alembic-squash owner comment (made by an older version or by hand)' });
        continue;
      }
      const state: OwnerState = ownerState(owner);
      if (state === 'alive') continue;
      if (state === 'other-host') {
        out.left.push({ name: datname, why: `it was created on ${owner.host} (pid ${owner.pid}, ${owner.created}); run the cleanup there` });
        continue;
      }
      try {
        await sql.dropDatabase(c, datname, major);
        out.dropped.push(datname);
      } catch (error) {
        out.left.push({ name: datname, why: `the drop failed: ${maskSecrets((error as Error).message, [target.password])}` });
      }
    }
  });
  return out;
}
