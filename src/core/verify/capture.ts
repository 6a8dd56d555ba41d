import * as fs from 'node:fs/promises';
import type { Client } from 'pg';
import type { ThrowawayDatabase, ThrowawayServer } from '../postgres';
import { withClient } from '../postgres/client';
import { listMigrationFiles, type ProjectConfig } from '../project';
import { captureData, captureSchema, catalogFingerprint, dropVersionTables, type DataSnapshot, type SchemaSnapshot } from '../schema';
import { extensionsCreatedBy } from './extensions';

export interface CapturedDatabase {
  schema: SchemaSnapshot;
  /** Rows of seed tables; absent when not asked for. */
  data?: DataSnapshot;
}

/** A connection to one throwaway database, closed after `fn` (whatever it does). */
function onDatabase<T>(db: ThrowawayDatabase, fn: (client: Client) => Promise<T>): Promise<T> {
  return withClient({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.name }, fn);
}

/** One throwaway database's normalized schema (dump + catalog) and, when asked, its seed data. */
export function captureDatabase(
  server: ThrowawayServer,
  db: ThrowawayDatabase,
  options: { data?: boolean; seedTables?: string[] } = {},
): Promise<CapturedDatabase> {
  return onDatabase(db, async (client) => {
    // pg_dump runs in a process of its own while the rows and the catalog are read; the embedded
    // back end dumps a copy of its data dir, so there it comes after the rows.
    const early = server.kind === 'pglite' ? undefined : server.dumpSchema(db);
    early?.catch(() => undefined); // awaited below
    const data = options.data ? await captureData(client, { tables: options.seedTables }) : undefined;
    const dumpText = early ?? (await server.dumpSchema(db));
    return { schema: await captureSchema({ dumpText, client }), data };
  });
}

/**
 * A throwaway database's catalog fingerprint (schema/pristine.ts); with `dropVersionTables`, after
 * its Alembic version tables are dropped (every capture leaves them out anyway).
 */
export function fingerprintDatabase(db: ThrowawayDatabase, options: { dropVersionTables?: boolean } = {}): Promise<string> {
  return onDatabase(db, async (client) => {
    if (options.dropVersionTables) await dropVersionTables(client);
    return catalogFingerprint(client);
  });
}

/** The extensions a project's history creates (the embedded back end must load them up front). */
export async function historyExtensions(project: ProjectConfig, versionLocations = project.versionLocations): Promise<string[]> {
  const files = await listMigrationFiles({ ...project, versionLocations });
  const texts = await Promise.all(files.map((f) => fs.readFile(f, 'utf8').catch(() => '')));
  return extensionsCreatedBy(texts);
}
