/**
 * Reads a deployed database's alembic_version rows and nothing else, inside a transaction set
 * READ ONLY before the first query: the server itself refuses any write. The connection ends
 * with ROLLBACK. An unreachable database becomes a reason (password masked), never a crash.
 */
import { Client } from 'pg';
import { maskSecrets } from '../common/mask';
import { parseDatabaseUrl } from '../postgres/url';

export interface VersionRows {
  /** alembic_version rows, sorted; empty when the table is missing or empty. */
  versions: string[];
  tableExists: boolean;
}

export interface ReadVersionsOptions {
  /** Alembic's `version_table` (default alembic_version) and `version_table_schema`. */
  versionTable?: string;
  versionTableSchema?: string;
  connectTimeoutMs?: number;
}

/** The database could not be read: `reason` says why, with no password in it. */
export class DatabaseUnreachableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DatabaseUnreachableError';
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function readVersionRows(url: string, options: ReadVersionsOptions = {}): Promise<VersionRows> {
  let parsed;
  try {
    parsed = parseDatabaseUrl(url);
  } catch (e) {
    throw new DatabaseUnreachableError((e as Error).message);
  }
  const secrets = [parsed.password];
  const ssl = parsed.sslmode && !['disable', 'allow', 'prefer'].includes(parsed.sslmode)
    ? { rejectUnauthorized: parsed.sslmode === 'verify-full' || parsed.sslmode === 'verify-ca' }
    : undefined;
  const client = new Client({
    host: parsed.host,
    port: parsed.port,
    user: parsed.user,
    password: parsed.password,
    database: parsed.database,
    ssl,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'alembic-squash (read-only)',
  });
  // A server that drops the connection mid-way emits 'error' on the client: turn it into the reason.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new DatabaseUnreachableError(`cannot connect to ${parsed.host}:${parsed.port}/${parsed.database} as ${parsed.user}: ${maskSecrets((e as Error).message, secrets)}`);
  }
  try {
    await client.query('BEGIN');
    await client.query('SET TRANSACTION READ ONLY');
    const table = options.versionTable ?? 'alembic_version';
    const qualified = options.versionTableSchema ? `${quote(options.versionTableSchema)}.${quote(table)}` : quote(table);
    const found = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [qualified]);
    if (!found.rows[0]?.exists) return { versions: [], tableExists: false };
    const rows = await client.query<{ version_num: string }>(`SELECT version_num FROM ${qualified} ORDER BY version_num`);
    return { versions: rows.rows.map((r) => r.version_num), tableExists: true };
  } catch (e) {
    throw new DatabaseUnreachableError(`cannot read ${options.versionTable ?? 'alembic_version'} on ${parsed.host}:${parsed.port}/${parsed.database}: ${maskSecrets((e as Error).message, secrets)}`);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
