import { AlembicAbortedError, checkAlembic, findPython, runAlembic } from '../alembic';
import { startServer, type ProviderOptions, type ThrowawayDatabase } from '../postgres';
import type { ProjectConfig } from '../project';
import { renderSchemaText, type SchemaSnapshot } from '../schema';
import { captureDatabase, historyExtensions } from './capture';
import { VerifyCancelledError, VerifyMigrationError } from './errors';

export interface SchemaAtOptions {
  project: ProjectConfig;
  python?: string;
  provider: ProviderOptions;
  /** One schema per REV (`base`, ids, `heads`, `label@head`, …), each in its own throwaway database. */
  revisions: string[];
  urlEnvVars?: string[];
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (message: string) => void;
}

export interface SchemaAt {
  revision: string;
  snapshot: SchemaSnapshot;
  text: string;
}

/** The normalized schema the project's history gives at each REV, on a throwaway server (Show Schema, Compare). */
export async function schemasAt(options: SchemaAtOptions): Promise<{ schemas: SchemaAt[]; provider: string }> {
  const { project, signal } = options;
  if (!project.configPath) throw new Error('Reading a schema needs an Alembic configuration (alembic.ini or pyproject.toml).');
  const python = options.python ?? findPython({ projectDir: project.here });
  await checkAlembic(python, signal);
  const extensions = await historyExtensions(project);
  options.onProgress?.('starting a throwaway PostgreSQL');
  const { server } = await startServer({ ...options.provider, extensions, signal, log: options.log });
  const created: ThrowawayDatabase[] = [];
  try {
    const schemas: SchemaAt[] = [];
    for (const revision of options.revisions) {
      if (signal?.aborted) throw new VerifyCancelledError();
      const db = await server.createDatabase();
      created.push(db);
      options.onProgress?.(`upgrading to ${revision}`);
      if (revision !== 'base') {
        await runAlembic(
          { python, project: { configPath: project.configPath, section: project.section || undefined }, databaseUrl: db.url, envVarNames: options.urlEnvVars, signal, log: options.log },
          { command: 'upgrade', target: revision },
        ).catch((e: Error) => {
          if (e instanceof AlembicAbortedError || signal?.aborted) throw new VerifyCancelledError();
          throw new VerifyMigrationError('chain', `upgrade ${revision}`, e);
        });
      }
      options.onProgress?.(`capturing the schema at ${revision}`);
      const { schema: snapshot } = await captureDatabase(server, db);
      schemas.push({ revision, snapshot, text: renderSchemaText(snapshot) });
    }
    return { schemas, provider: server.description };
  } catch (error) {
    const lost = error instanceof VerifyCancelledError ? undefined : await server.lost?.().catch(() => undefined);
    throw lost ?? error;
  } finally {
    for (const db of created.reverse()) await server.dropDatabase(db).catch(() => undefined);
    await server.dispose();
  }
}
