import { IGNORED_TABLES } from './names';
import type { Queryable } from './types';

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Object ids below this are the system's own (initdb); every object a user creates gets one above. */
const FIRST_NORMAL_OBJECT_ID = 16384;

/**
 * Catalogs compared row by row: the pre-existing objects a user can still change (rename or comment
 * on schema public, drop plpgsql, a security label) without creating anything.
 */
const COMPARED_WHOLE = ['pg_namespace', 'pg_extension', 'pg_language', 'pg_description', 'pg_seclabel'];

/**
 * What a database's own catalogs hold, in one line per catalog: its row count, how many of its rows
 * are objects a user created, and for the catalogs above a hash of every row. Two databases of one
 * server with the same fingerprint hold the same objects, so a schema capture of one is a capture of
 * the other: a database downgraded to base compared with a fresh one needs no dump of its own.
 * Statistics (pg_statistic) are left out: autovacuum writes them whenever it likes.
 */
export async function catalogFingerprint(client: Queryable): Promise<string> {
  const catalogs = await client.query<{ name: string; has_oid: boolean }>(
    `SELECT c.relname AS name,
            EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'oid') AS has_oid
       FROM pg_catalog.pg_class c
      WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' AND NOT c.relisshared AND c.relname <> 'pg_statistic'
      ORDER BY 1`,
  );
  const parts = catalogs.rows.map(
    (c) =>
      `SELECT '${c.name}' AS catalog, count(*)::text AS n, ${c.has_oid ? `count(*) FILTER (WHERE oid >= ${FIRST_NORMAL_OBJECT_ID})` : '0'}::text AS created FROM pg_catalog.${quoted(c.name)}`,
  );
  for (const name of COMPARED_WHOLE.filter((n) => catalogs.rows.some((c) => c.name === n))) {
    parts.push(`SELECT '${name} rows', md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')), '' FROM pg_catalog.${quoted(name)} x`);
  }
  const rows = await client.query<{ catalog: string; n: string; created: string }>(parts.join('\nUNION ALL\n'));
  return rows.rows.map((r) => `${r.catalog} ${r.n} ${r.created}`).sort().join('\n');
}

/**
 * Drops the Alembic version tables of a throwaway database (they are left out of every capture, and
 * a downgrade to base leaves one behind), so that its fingerprint can match a fresh database's.
 */
export async function dropVersionTables(client: Queryable): Promise<void> {
  const tables = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND c.relname = ANY($1)`,
    [[...IGNORED_TABLES]],
  );
  for (const t of tables.rows) await client.query(`DROP TABLE ${quoted(t.schema)}.${quoted(t.name)}`);
}
