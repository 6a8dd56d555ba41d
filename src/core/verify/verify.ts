import { AlembicAbortedError, AlembicUnavailableError, checkAlembic, copyVersionLocations, findPython, MigrationFailedError, runAlembic, type VersionLocationsCopy } from '../alembic';
import { OperationAbortedError, startServer, type ThrowawayDatabase, type ThrowawayServer } from '../postgres';
import { compareData, compareSchemas, renderSchemaText, unifiedDiff } from '../schema';
import { applyChanges, type FileEdit } from '../squash';
import { VerifyCancelledError, VerifyMigrationError } from './errors';
import { captureDatabase, historyExtensions } from './capture';
import type { VerifyEvent, VerifyOptions, VerifyPhase, VerifyResult } from './types';

/**
 * Chain vs squash on one throwaway server (DESIGN.md "Verify semantics"): database A gets the
 * original chain up to the tip, B the squashed history; their normalized schemas and seed data must
 * match; then B downgraded to the range's parent must match a fresh chain at the parent. Only
 * databases created here are written, and everything started is removed, also on cancel and failure.
 */
export async function verifySquash(options: VerifyOptions): Promise<VerifyResult> {
  const started = Date.now();
  const result = await verifyOnce(options);
  return { ...result, totalMs: Date.now() - started };
}

async function verifyOnce(options: VerifyOptions): Promise<VerifyResult> {
  const timings: VerifyResult['timings'] = {};
  const emit = (e: VerifyEvent) => options.onEvent?.(e);
  const signal = options.signal;
  const cleanups: (() => Promise<unknown>)[] = [];
  let running: ThrowawayServer | undefined;

  const phase = async <T>(name: VerifyPhase, message: string, fn: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new VerifyCancelledError();
    emit({ phase: name, status: 'begin', message });
    const t = Date.now();
    let failed = true;
    try {
      const value = await fn();
      failed = false;
      return value;
    } finally {
      timings[name] = (timings[name] ?? 0) + (Date.now() - t);
      emit({ phase: name, status: 'end', ms: Date.now() - t, message, ...(failed ? { failed } : {}) });
    }
  };

  try {
    const project = options.project;
    if (!project.configPath) throw new Error('Verify needs an Alembic configuration (alembic.ini or pyproject.toml); a bare versions folder cannot be run.');
    const python = options.python ?? findPython({ projectDir: project.here });
    const chainLocations = options.chainVersionLocations ?? project.versionLocations;

    const { server, choice, copy, extensions } = await phase('start', 'starting a throwaway PostgreSQL', async () => {
      const extensions = await historyExtensions(project, chainLocations);
      const copy = await candidateLocations(options, chainLocations);
      cleanups.push(() => copy.dispose());
      // With a running server, a missing Alembic surfaces from the first migration just as clearly.
      if (options.server) return { ...options.server, copy, extensions };
      // Checking the interpreter and starting the server overlap (each takes a few hundred ms).
      const started = startServer({ ...options.provider, extensions, signal, log: options.log }).then((s) => {
        cleanups.push(() => s.server.dispose());
        return s;
      });
      // Both settle before anything is thrown, so a server that starts after a failed check is still removed.
      const [checked, start] = await Promise.allSettled([checkAlembic(python, signal), started]);
      if (checked.status === 'rejected') throw checked.reason;
      if (start.status === 'rejected') throw start.reason;
      const { server, choice } = start.value;
      options.log?.(`Alembic ${checked.value.alembic} (Python ${checked.value.python}) with ${python}`);
      return { server, choice, copy, extensions };
    });
    running = server;
    if (extensions.length) options.log?.(`extensions used by the migrations: ${extensions.join(', ')}`);

    const newDatabase = async () => {
      const db = await server.createDatabase();
      cleanups.push(() => server.dropDatabase(db));
      return db;
    };
    const run = (side: 'chain' | 'squash', db: ThrowawayDatabase, command: 'upgrade' | 'downgrade', target: string) =>
      runAlembic(
        {
          python,
          project: { configPath: project.configPath!, section: project.section || undefined },
          databaseUrl: db.url,
          versionLocations: side === 'chain' ? options.chainVersionLocations : copy.versionLocations,
          envVarNames: options.urlEnvVars,
          signal,
          log: options.log,
        },
        { command, target },
      ).catch((error: Error) => {
        if (error instanceof AlembicAbortedError || signal?.aborted) throw new VerifyCancelledError();
        if (error instanceof AlembicUnavailableError) throw error;
        // The squash ran from a temporary copy that is gone once we return: name the user's path.
        if (side === 'squash' && error instanceof MigrationFailedError) {
          const e = error;
          error = new MigrationFailedError(e.revision, copy.toOriginal(e.file), e.line, e.traceback, e.errorType, e.errorMessage);
        }
        throw new VerifyMigrationError(side, `${command} ${target}`, error);
      });

    const to = options.to ?? 'heads';
    const [chainDb, squashDb] = await Promise.all([newDatabase(), newDatabase()]);
    // Both sides run at once: they are independent databases, and the machine has more than one core.
    await Promise.all([
      phase('migrate-chain', `upgrading the original chain to ${to}`, () => run('chain', chainDb, 'upgrade', to)),
      phase('migrate-squash', `upgrading the squashed history to ${to}`, () => run('squash', squashDb, 'upgrade', to)),
    ]);

    const [chain, squash] = await phase('capture', 'capturing both schemas and seed data', () =>
      Promise.all([chainDb, squashDb].map((db) => captureDatabase(server, db, { data: true, seedTables: options.seedTables }))),
    );

    const compared = await phase('compare', 'comparing schemas and seed data', async () => {
      const schema = compareSchemas(chain.schema, squash.schema);
      const data = compareData(chain.data!, squash.data!);
      return { schema, data };
    });

    let downgrade: VerifyResult['downgrade'];
    if (options.downgradeTo !== undefined) {
      const target = options.downgradeTo;
      downgrade = await phase('downgrade', `downgrading the squash to ${target} and comparing with the chain there`, async () => {
        const parentDb = await newDatabase();
        await Promise.all([run('squash', squashDb, 'downgrade', target), target === 'base' ? undefined : run('chain', parentDb, 'upgrade', target)]);
        const [atParent, squashed] = await Promise.all([captureDatabase(server, parentDb), captureDatabase(server, squashDb)]);
        return {
          target,
          schema: compareSchemas(atParent.schema, squashed.schema),
          texts: { chain: renderSchemaText(atParent.schema), squash: renderSchemaText(squashed.schema) },
        };
      });
    }

    const equal = compared.schema.equal && compared.data.equal && (downgrade?.schema.equal ?? true);
    return {
      equal,
      schema: compared.schema,
      data: compared.data,
      downgrade,
      texts: { chain: renderSchemaText(chain.schema), squash: renderSchemaText(squash.schema) },
      unifiedDiff: compared.schema.equal ? '' : unifiedDiff(chain.schema, squash.schema, { left: 'chain', right: 'squash' }),
      timings,
      totalMs: 0,
      provider: { ...choice, description: server.description },
    };
  } catch (error) {
    if (error instanceof OperationAbortedError || signal?.aborted) throw new VerifyCancelledError();
    // A server that went away (e.g. the Docker daemon stopped) is the reason, not the migration it broke.
    const lost = await running?.lost?.().catch(() => undefined);
    if (lost) throw lost;
    throw error;
  } finally {
    // Newest first: databases, then the server, then the copied history.
    emit({ phase: 'cleanup', status: 'begin', message: 'removing throwaway databases and server' });
    const t = Date.now();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: Error) => options.log?.(`cleanup: ${e.message}`));
    timings.cleanup = Date.now() - t;
    emit({ phase: 'cleanup', status: 'end', ms: timings.cleanup });
  }
}

/** The candidate history in a temporary folder: the squash's edits applied to a copy, or given folders. */
async function candidateLocations(options: VerifyOptions, chainLocations: string[]): Promise<VersionLocationsCopy> {
  const candidate = options.candidate;
  if (candidate.kind === 'versionLocations') {
    return { versionLocations: candidate.versionLocations, root: '', toOriginal: (p) => p, toCopy: (p) => p, dispose: async () => undefined };
  }
  return copyVersionLocations({ versionLocations: chainLocations }, filesOf(candidate.edits));
}

/** FileEdit[] → the file contents of the candidate history (archived originals leave the history). */
export function filesOf(edits: FileEdit[]): Map<string, string | null> {
  const files = new Map<string, string | null>();
  for (const e of edits) {
    if (e.kind === 'create') files.set(e.path, e.text);
    else if (e.kind === 'delete') files.set(e.path, null);
    else if (e.kind === 'move') files.set(e.from, null);
    else files.set(e.path, applyChanges(e.expectedText, e.changes));
  }
  return files;
}
