import { AlembicAbortedError, AlembicSession, AlembicUnavailableError, checkAlembic, copyVersionLocations, findPython, MigrationFailedError, runAlembic, type VersionLocationsCopy } from '../alembic';
import { OperationAbortedError, ServerLostError, startServer, type ThrowawayDatabase, type ThrowawayServer } from '../postgres';
import { compareData, compareSchemas, renderSchemaText, unifiedDiff } from '../schema';
import { applyChanges, type FileEdit } from '../squash';
import { BackendLostError, VerifyCancelledError, VerifyMigrationError } from './errors';
import { downgradeRaisedNote, judgeDowngrade } from './downgrade';
import { answers, settled } from './settle';
import { lostWhile, serverLost } from './liveness';
import { captureDatabase, fingerprintDatabase, historyExtensions, type CapturedDatabase } from './capture';
import type { HistoryNote, VerifyEvent, VerifyOptions, VerifyPhase, VerifyResult } from './types';

/** Back ends whose databases downgraded to base are compared with a fresh one by their catalogs first. */
const FINGERPRINTED = new Set<ThrowawayServer['kind']>(['local', 'docker']);

/** One side after its downgrade: captured, or the migration error its downgrade raised. */
type DowngradedSide = { captured: CapturedDatabase; raised?: undefined } | { captured?: undefined; raised: MigrationFailedError };

/**
 * Chain vs squash on one throwaway server (DESIGN.md "Verify semantics"): database A gets the
 * original chain up to the tip, B the squashed history; their normalized schemas and seed data must
 * match; then both are downgraded to the range's parent, and each object of B's downgrade must match
 * A's downgrade or a fresh upgrade to the parent (see downgrade.ts). Only databases created here are
 * written, and everything started is removed, also on cancel and failure.
 */
export async function verifySquash(options: VerifyOptions): Promise<VerifyResult> {
  const started = Date.now();
  const result = await verifyOnce(options);
  // A Ctrl-C during the cleanup (after the last phase's check) still ends as a cancel, never as "equal".
  if (options.signal?.aborted) throw new VerifyCancelledError();
  return { ...result, totalMs: Date.now() - started };
}

async function verifyOnce(options: VerifyOptions): Promise<VerifyResult> {
  const timings: VerifyResult['timings'] = {};
  const emit = (e: VerifyEvent) => options.onEvent?.(e);
  const signal = options.signal;
  const cleanups: (() => Promise<unknown>)[] = [];
  /** Captures started ahead of their phase: settled before anything is cleaned up. */
  const early: Promise<unknown>[] = [];
  /** A database of ours, asked after a failure whether the server still answers. */
  let probe: ThrowawayDatabase | undefined;
  /** Ends both Alembic drivers: first in cleanup, before their databases are dropped. */
  let endSessions: (() => Promise<unknown>) | undefined;
  /** What the first phase that failed was doing, in words. */
  let failedPhase: string | undefined;
  /** The server, asked after a failure whether its back end went away (a Docker daemon that stopped). */
  let running: ThrowawayServer | undefined;
  /** What verify was doing last, for a server that dies between phases (creating databases, comparing). */
  let doing = 'starting a throwaway PostgreSQL';
  /** The run already failed: cleanup does not replace that error with its own. */
  let failed = false;

  const phase = async <T>(name: VerifyPhase, message: string, fn: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new VerifyCancelledError();
    emit({ phase: name, status: 'begin', message });
    doing = message;
    const t = Date.now();
    let failed = true;
    try {
      const value = await fn();
      // Every phase ends by asking whether the server is still there: a death no query noticed.
      const lost = await serverLost(running);
      if (lost) throw lostWhile(message, lost);
      failed = false;
      return value;
    } catch (error) {
      failedPhase ??= message;
      throw error;
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
    // One long-lived driver per side: the interpreter starts and imports Alembic once, not per step.
    // The second is forked from the first once it imported Alembic: one import instead of two.
    const sessions = options.sessions ?? forkedPair(python, signal);
    endSessions = () => Promise.all([sessions.chain.dispose(), sessions.squash.dispose()]);

    const { server, choice, copy, extensions } = await phase('start', 'starting a throwaway PostgreSQL', async () => {
      const copy = await candidateLocations(options, chainLocations);
      cleanups.push(() => copy.dispose());
      // The extensions only matter to a server being started (PGlite loads them when asked).
      const extensions = options.server ? [] : await historyExtensions(project, chainLocations);
      // Both drivers start (and import Alembic) while the server starts.
      // On the squash's driver: a caller may have given the chain's one work to do first (an early downgrade).
      const checked = checkAlembic(python, signal, sessions.squash);
      if (options.server) {
        await checked;
        return { ...options.server, copy, extensions };
      }
      const started = startServer({ ...options.provider, extensions, signal, log: options.log }).then((s) => {
        cleanups.push(() => s.server.dispose());
        running = s.server;
        return s;
      });
      // Both settle before anything is thrown, so a server that starts after a failed check is still removed.
      const [check, start] = await Promise.allSettled([checked, started]);
      if (check.status === 'rejected') throw check.reason;
      if (start.status === 'rejected') throw start.reason;
      const { server, choice } = start.value;
      options.log?.(`Alembic ${check.value.alembic} (Python ${check.value.python}) with ${python}`);
      return { server, choice, copy, extensions };
    });
    running = server;
    if (extensions.length) options.log?.(`extensions used by the migrations: ${extensions.join(', ')}`);

    // A server verify started, or one its caller disposes right after, takes its databases along
    // (a cluster's folder, a container); a user's server (url) keeps what is not dropped.
    const dropsDatabases = server.kind === 'url' || (options.server !== undefined && !options.server.disposedAfter);
    const dropLater = (db: ThrowawayDatabase) => {
      if (!dropsDatabases) return;
      // A server that died takes its databases with it when its folder is removed: nothing to drop.
      // A lost local server or container takes its databases with it; a user's server (url) keeps them.
      cleanups.push(() => server.dropDatabase(db).catch(async (error: Error) => {
        if (server.kind === 'url' || !(await serverLost(server))) throw error;
      }));
    };
    const spares = options.server ? [...(options.spareDatabases ?? [])] : [];
    const newDatabase = async () => {
      const db = await (spares.shift() ?? server.createDatabase());
      dropLater(db);
      return db;
    };
    const run = (side: 'chain' | 'squash', db: ThrowawayDatabase, command: 'upgrade' | 'downgrade', target: string, session = sessions[side]) =>
      runAlembic(
        {
          python,
          session,
          project: { configPath: project.configPath!, section: project.section || undefined },
          databaseUrl: db.url,
          versionLocations: side === 'chain' ? options.chainVersionLocations : copy.versionLocations,
          envVarNames: options.urlEnvVars,
          signal,
          log: options.log,
        },
        { command, target },
      ).catch((error: Error) => {
        throw migrationError(side, `${command} ${target}`, error);
      });
    const migrationError = (side: 'chain' | 'squash', what: string, error: Error): Error => {
      if (error instanceof AlembicAbortedError || signal?.aborted) return new VerifyCancelledError();
      if (error instanceof AlembicUnavailableError) return error;
      // The squash ran from a temporary copy that is gone once we return: name the user's path.
      if (side === 'squash' && error instanceof MigrationFailedError) {
        const e = error;
        error = new MigrationFailedError(e.revision, copy.toOriginal(e.file), e.line, e.traceback, e.errorType, e.errorMessage, e.missingModule, e.python);
      }
      return new VerifyMigrationError(side, what, error);
    };

    const to = options.to ?? 'heads';
    doing = 'creating the throwaway databases';
    const [chainDb, squashDb] = await Promise.all([chainSide(options, newDatabase), newDatabase()]);
    probe = chainDb;
    const capture = (db: ThrowawayDatabase) => captureDatabase(server, db, { data: true, seedTables: options.seedTables });
    const ahead = <T>(work: Promise<T>): Promise<T> => {
      early.push(work);
      work.catch(() => undefined); // awaited in its phase
      return work;
    };
    // What does not wait for the squashed history is captured while it upgrades: the caller's chain
    // database (at `to` already), its early downgrade, and the empty database a downgrade to base must give.
    const chainAtTip = options.chainDatabase ? ahead(capture(chainDb)) : undefined;
    const downgradeTarget = options.downgradeTo;
    // A downgrade that raises (a history declared irreversible, a broken downgrade) is a fact about
    // that history when the server is still there, not a failure of the verify.
    const raisedBy = async (error: Error): Promise<MigrationFailedError> =>
      error instanceof VerifyMigrationError && error.cause instanceof MigrationFailedError && !error.cause.missingModule && !(await serverLost(server)) ? error.cause : Promise.reject(error);
    const downgradeAndCapture = async (side: 'chain' | 'squash', db: ThrowawayDatabase): Promise<DowngradedSide> => {
      try {
        await run(side, db, 'downgrade', downgradeTarget!);
      } catch (error) {
        return { raised: await raisedBy(error as Error) };
      }
      return { captured: await captureDowngraded(db) };
    };
    // Each side's downgrade runs on a copy of it made as soon as its upgrade ended, while the side
    // itself is captured at the tip. Where no copy can be made (PGlite; a driver that keeps a
    // connection open), the side is downgraded after its capture.
    // (Its promise is wrapped: an awaited promise of a promise would wait for the downgrade itself.)
    const downgradedEarly = async (side: 'chain' | 'squash', db: ThrowawayDatabase): Promise<{ done: Promise<DowngradedSide> } | undefined> => {
      if (downgradeTarget === undefined || !server.cloneDatabase) return undefined;
      const copy = await server.cloneDatabase(db).catch((e: Error) => void options.log?.(`no copy of the ${side} database for an early downgrade: ${e.message}`));
      if (!copy) return undefined;
      dropLater(copy);
      return { done: ahead(downgradeAndCapture(side, copy)) };
    };
    let chainDown: Promise<DowngradedSide> | undefined;
    let squashDown: Promise<DowngradedSide> | undefined;
    const emptyDb = options.downgradeTo === 'base' ? ahead(newDatabase()) : undefined;
    const emptyAtBase = emptyDb && ahead(emptyDb.then(capture));
    // A side downgraded to base usually holds exactly what the empty database holds: when their
    // catalogs say so, it is not dumped again (a dump costs a process and a hundred catalog queries).
    // Only on servers of our own: an embedded server takes one connection at a time.
    const emptyFingerprint = emptyDb && FINGERPRINTED.has(server.kind) ? ahead(emptyDb.then((db) => fingerprintDatabase(db)).catch(() => undefined)) : undefined;
    const captureDowngraded = async (db: ThrowawayDatabase): Promise<CapturedDatabase> => {
      const empty = await emptyFingerprint;
      if (empty !== undefined && emptyAtBase) {
        const mine = await fingerprintDatabase(db, { dropVersionTables: true }).catch(() => undefined);
        if (mine === empty) {
          options.log?.(`${db.name} holds what a fresh database holds: its capture is the empty database's`);
          return emptyAtBase;
        }
      }
      return capture(db);
    };
    const chainDowngraded = options.downgradeTo !== undefined && options.chainDowngraded ? ahead(options.chainDowngraded.then(async (db) => db && { db, captured: await captureDowngraded(db) })) : undefined;
    // Both sides run at once: they are independent databases, and the machine has more than one core.
    // A chain database given by the caller is at `to` already.
    await settled([
      options.chainDatabase
        ? Promise.resolve()
        : phase('migrate-chain', `upgrading the original chain to ${to}`, async () => {
            await run('chain', chainDb, 'upgrade', to);
            chainDown = (await downgradedEarly('chain', chainDb))?.done;
          }),
      phase('migrate-squash', `upgrading the squashed history to ${to}`, async () => {
        await run('squash', squashDb, 'upgrade', to);
        squashDown = (await downgradedEarly('squash', squashDb))?.done;
      }),
    ]);

    const [chain, squash] = await phase('capture', 'capturing both schemas and seed data', () => settled([chainAtTip ?? capture(chainDb), capture(squashDb)]));

    const compared = await phase('compare', 'comparing schemas and seed data', async () => {
      const schema = compareSchemas(chain.schema, squash.schema);
      const data = compareData(chain.data!, squash.data!);
      return { schema, data };
    });
    const information: HistoryNote[] = compared.data.leftOut.map((c) => ({
      where: 'tip' as const,
      kind: 'seed data' as const,
      name: `${c.table}.${c.column}`,
      message: 'not compared: its default gives another value on every run',
      detail: `shown as ‹default ${c.default}› on both sides`,
    }));

    let models: VerifyResult['models'];
    if (options.models) {
      // Against the squashed database at the tip, before it is downgraded; never fails the verify by itself.
      const strict = options.models === 'strict';
      models = await phase('compare', "comparing the project's models with the squashed database", async () => {
        try {
          const r = await runAlembic(
            { python, session: sessions.squash, project: { configPath: project.configPath!, section: project.section || undefined }, databaseUrl: squashDb.url, versionLocations: copy.versionLocations, envVarNames: options.urlEnvVars, signal, log: options.log },
            { command: 'compare-models' },
          );
          return { ...r, strict };
        } catch (error) {
          if (error instanceof AlembicAbortedError || signal?.aborted) throw new VerifyCancelledError();
          return { available: false, differences: [], error: (error as Error).message, strict };
        }
      });
    }

    let downgrade: VerifyResult['downgrade'];
    if (options.downgradeTo !== undefined) {
      const target = options.downgradeTo;
      downgrade = await phase('downgrade', `downgrading both to ${target} and comparing (with a fresh upgrade to ${target})`, async () => {
        // The chain's side: the caller's early downgrade of a copy of it, ours, or downgraded here.
        const chainSide = async (): Promise<DowngradedSide> => {
          if (chainDown) return chainDown;
          try {
            const done = await chainDowngraded?.catch((error: Error) => {
              throw migrationError('chain', `downgrade ${target}`, error);
            });
            if (done) return { captured: done.captured };
          } catch (error) {
            return { raised: await raisedBy(error as Error) };
          }
          return downgradeAndCapture('chain', chainDb);
        };
        // The chain's history at the target, in the squash's driver (its downgrade is the shorter one).
        const ideal = async (): Promise<CapturedDatabase> => {
          if (emptyAtBase) return emptyAtBase;
          const idealDb = await newDatabase();
          await run('chain', idealDb, 'upgrade', target, sessions.squash);
          return capture(idealDb);
        };
        const squashSide = (): Promise<DowngradedSide> => squashDown ?? downgradeAndCapture('squash', squashDb);
        // The chain's own downgrade only when the squash's misses a fresh upgrade to the target.
        const squashFirst = async (): Promise<readonly [DowngradedSide, DowngradedSide, CapturedDatabase]> => {
          const [squash, c] = await settled([squashSide(), ideal()] as const);
          const judged = squash.captured && judgeDowngrade(c, squash.captured, c, target);
          if (judged && judged.schema.equal && judged.data.equal) {
            options.log?.(`the squash's downgrade to ${target} gives what a fresh upgrade to ${target} gives: the chain's own downgrade is not run`);
            return [{ captured: c }, squash, c];
          }
          return [await chainSide(), squash, c];
        };
        const [chain, squash, c] = options.chainDowngradeWhenNeeded ? await squashFirst() : await settled([chainSide(), squashSide(), ideal()] as const);
        // The squash's downgrade fails where the chain's works: the squash is wrong.
        if (squash.raised && !chain.raised) throw new VerifyMigrationError('squash', `downgrade ${target}`, squash.raised);
        if (chain.raised) information.push(downgradeRaisedNote(chain.raised, target, squash.raised));
        if (chain.raised && squash.raised) return undefined;
        const b = squash.captured!;
        // Without the chain's own downgrade, the squash's must give what a fresh upgrade to the target gives.
        const a = chain.captured ?? c;
        const judged = judgeDowngrade(a, b, c, target);
        information.push(...judged.information);
        return {
          target,
          schema: judged.schema,
          data: judged.data,
          texts: { chain: renderSchemaText(a.schema), squash: renderSchemaText(b.schema), ideal: renderSchemaText(c.schema) },
        };
      });
    }

    // A Ctrl-C that came after the last phase still wins: a cancelled verify never says "equal".
    if (signal?.aborted) throw new VerifyCancelledError();
    // So does a server that died after its last use: the answer came from a server that is gone.
    const lostLate = await serverLost(server);
    if (lostLate) throw lostWhile(doing, lostLate);
    const modelsAgree = !models?.strict || (models.available && !models.error && models.differences.length === 0);
    const equal = compared.schema.equal && compared.data.equal && (downgrade ? downgrade.schema.equal && downgrade.data.equal : true) && modelsAgree;
    return {
      equal,
      schema: compared.schema,
      data: compared.data,
      downgrade,
      models,
      information,
      texts: { chain: renderSchemaText(chain.schema), squash: renderSchemaText(squash.schema) },
      unifiedDiff: compared.schema.equal ? '' : unifiedDiff(chain.schema, squash.schema, { left: 'chain', right: 'squash' }),
      timings,
      totalMs: 0,
      provider: { ...choice, description: server.description },
    };
  } catch (error) {
    failed = true;
    if (error instanceof OperationAbortedError || signal?.aborted) throw new VerifyCancelledError();
    if (error instanceof BackendLostError) throw error;
    // A server killed while it started: the same words as a server lost later.
    if (error instanceof ServerLostError) throw lostWhile(failedPhase ?? doing, error);
    // A server that went away (killed, restarted, the Docker daemon stopped) is the reason, not the migration it broke.
    const lost = await serverLost(running);
    if (lost) throw lostWhile(failedPhase ?? doing, lost);
    // A back end that died mid-run makes migrations and captures fail: that is not the history's fault.
    if (probe && !(await answers(probe))) throw new BackendLostError(failedPhase ?? doing, error as Error);
    throw error;
  } finally {
    // Newest first: databases, then the server, then the copied history.
    emit({ phase: 'cleanup', status: 'begin', message: 'removing throwaway databases and server' });
    const t = Date.now();
    await endSessions?.().catch((e: Error) => options.log?.(`cleanup: ${e.message}`));
    await Promise.allSettled(early);
    // A cleanup step that fails leaves something behind: say so instead of a plain ✓.
    const left: string[] = [];
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((e: Error) => {
        left.push(e.message);
        options.log?.(`cleanup: ${e.message}`);
      });
    }
    timings.cleanup = Date.now() - t;
    // A server that died during cleanup: the run ends as lost (exit 3), not with its result.
    const lostInCleanup = failed || signal?.aborted ? undefined : await serverLost(running);
    emit({
      phase: 'cleanup',
      status: 'end',
      ms: timings.cleanup,
      ...(left.length ? { failed: true, message: `cleanup left something behind (${left.join('; ')}); \`alembic-squash cleanup\` removes what a dead run left` } : {}),
    });
    if (lostInCleanup) throw lostWhile('removing the throwaway databases and server', lostInCleanup);
  }
}

/** Side A's database: the caller's, already upgraded by the chain (see VerifyOptions.chainDatabase), or a new one. */
async function chainSide(options: VerifyOptions, newDatabase: () => Promise<ThrowawayDatabase>): Promise<ThrowawayDatabase> {
  if (!options.chainDatabase) return newDatabase();
  // Another server or another history would make side A something other than the chain it claims to be.
  if (!options.server || options.chainVersionLocations) throw new Error('verify: chainDatabase needs the server it lives on and the project\'s own history as the chain.');
  return options.chainDatabase;
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

function forkedPair(python: string, signal: AbortSignal | undefined): { chain: AlembicSession; squash: AlembicSession } {
  const chain = new AlembicSession(python, signal);
  return { chain, squash: chain.fork() };
}
