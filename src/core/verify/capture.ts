import * as fs from 'node:fs/promises';
import { Client } from 'pg';
import type { ThrowawayDatabase, ThrowawayServer } from '../postgres';
import { listMigrationFiles, type ProjectConfig } from '../project';
import { captureData, captureSchema, catalogFingerprint, dropVersionTables, type DataSnapshot, type SchemaSnapshot } from '../schema';
import { extensionsCreatedBy } from './extensions';

export interface CapturedDatabase {
  schema: SchemaSnapshot;
  /** Rows of seed tables; absent when not asked for. */
  data?: DataSnapshot;
}

/** One throwaway database's normalized schema (dump + catalog) and, when asked, its seed data. */
export async function captureDatabase(
  server: ThrowawayServer,
  db: ThrowawayDatabase,
  options: { data?: boolean; seedTables?: string[] } = {},
): Promise<CapturedDatabase> {
  const client = new Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.name });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // The embedded back end dumps a copy of its data dir: catalog and data first, the dump last.
    // Elsewhere pg_dump runs in a process of its own while the catalog and the rows are read.
    if (server.kind === 'pglite') {
      const data = options.data ? await captureData(client, { tables: options.seedTables }) : undefined;
      const dumpText = await server.dumpSchema(db);
      return { schema: await captureSchema({ dumpText, client }), data };
    }
    const dumpText = server.dumpSchema(db);
    dumpText.catch(() => undefined); // awaited by captureSchema
    const data = options.data ? await captureData(client, { tables: options.seedTables }) : undefined;
    return { schema: await captureSchema({ dumpText, client }), data };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A throwaway database's catalog fingerprint (schema/pristine.ts); with `dropVersionTables`, after
 * its Alembic version tables are dropped (every capture leaves them out anyway).
 */
export async function fingerprintDatabase(db: ThrowawayDatabase, options: { dropVersionTables?: boolean } = {}): Promise<string> {
  const client = new Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.name });
  client.on('error', () => undefined);
  await client.connect();
  try {
    if (options.dropVersionTables) await dropVersionTables(client);
    return await catalogFingerprint(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The extensions a project's history creates (the embedded back end must load them up front). */
export async function historyExtensions(project: ProjectConfig, versionLocations = project.versionLocations): Promise<string[]> {
  const files = await listMigrationFiles({ ...project, versionLocations });
  const texts = await Promise.all(files.map((f) => fs.readFile(f, 'utf8').catch(() => '')));
  return extensionsCreatedBy(texts);
}
