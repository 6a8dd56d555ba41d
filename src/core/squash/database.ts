import { Client } from 'pg';

export interface DatabaseState {
  /** The rows of the version table; empty when the table is missing or empty. */
  versions: string[];
  tableExists: boolean;
}

export interface ReadDatabaseStateOptions {
  /** Alembic's `version_table` (default `alembic_version`). */
  versionTable?: string;
  versionTableSchema?: string;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Reads alembic_version in a read-only transaction; never writes. */
export async function readDatabaseState(databaseUrl: string, options: ReadDatabaseStateOptions = {}): Promise<DatabaseState> {
  const table = options.versionTable ?? 'alembic_version';
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    const found = await client.query<{ exists: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS exists`,
      [options.versionTableSchema ? `${quoteIdent(options.versionTableSchema)}.${quoteIdent(table)}` : quoteIdent(table)],
    );
    if (!found.rows[0]?.exists) return { versions: [], tableExists: false };
    const qualified = options.versionTableSchema ? `${quoteIdent(options.versionTableSchema)}.${quoteIdent(table)}` : quoteIdent(table);
    const rows = await client.query<{ version_num: string }>(`SELECT version_num FROM ${qualified} ORDER BY version_num`);
    return { versions: rows.rows.map((r) => r.version_num), tableExists: true };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}
