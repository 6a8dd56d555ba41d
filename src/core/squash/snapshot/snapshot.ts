import { AlembicAbortedError, AlembicSession, checkAlembic, runAlembic } from '../../alembic';
import { OperationAbortedError, startServer, type ProviderChoice, type ProviderOptions, type ThrowawayDatabase, type ThrowawayServer } from '../../postgres';
import type { ProjectConfig } from '../../project';
import { qualify } from '../../schema/names';
import { splitDump, type DumpStatement } from '../../schema';
import { historyExtensions } from '../../verify/capture';
import { verifySquash } from '../../verify/verify';
import { VerifyCancelledError } from '../../verify/errors';
import type { VerifyResult } from '../../verify/types';
import { declaresNoWayBack } from '../body';
import { buildEdits } from '../edits';
import { planRange, renderPlanned, type PlannedSquash, type PreparedSquash } from '../prepare';
import type { SquashOptions } from '../types';
import { rewriteInLists } from './checks';
import { withSidecars } from './sidecars';
import { assembleBodies, type SnapshotBodies, type SnapshotFormat } from './assemble';
import { SnapshotNotProvenError, SnapshotRangeError } from './errors';
import { readSnapshotFacts, type SnapshotFacts } from './facts';
import { renderSnapshotFile } from './file';

export interface SnapshotSquashInput {
  project: ProjectConfig;
  python: string;
  from: string;
  to: string;
  options?: SquashOptions;
  provider: ProviderOptions;
  urlEnvVars?: string[];
  /** `sql`: pg_dump's statements (and the tables) in a .sql file next to the revision. Default `python`. */
  format?: SnapshotFormat;
  /**
   * The range, when the caller plans it (planRange): planned already, or being planned while the
   * server and the interpreters start. Its op-merge render runs alongside the chain.
   */
  planned?: PlannedSquash | Promise<PlannedSquash>;
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (message: string) => void;
  /** false: do not run the project's post_write_hooks (a dry run, `--no-hooks`); the reason goes with it. */
  hooks?: boolean;
  hooksSkippedBecause?: string;
}

/**
 * The op-merge squash rendered alongside a snapshot is counted and read for what the chain did, never
 * written: the project's post_write_hooks (a formatter on a long file) and the parse and compile checks
 * would be work for nothing. A fallback to it (`auto`) renders it again, whole.
 */
const UNWRITTEN = { check: false, hooks: false, hooksSkippedBecause: 'the op-merge squash is only compared with the snapshot here, not written' } as const;

export type SnapshotPhase = 'plan' | 'chain' | 'read' | 'render' | 'proof';

export interface SnapshotSquash extends PreparedSquash {
  bodies: SnapshotBodies;
  facts: SnapshotFacts;
  /** The verify that proved the written file equal to the chain. */
  proof: VerifyResult;
  /** Tables whose Alembic rendering differed and that were re-emitted from pg_dump's statements. */
  reEmitted: string[];
  /** The op-merge squash of the same range (its classification lists what the snapshot drops). */
  ops: PreparedSquash;
  provider: ProviderChoice & { description: string };
  timings: Partial<Record<SnapshotPhase, number>>;
}

/**
 * The snapshot strategy: run the chain to the tip on a throwaway PostgreSQL, render the database it
 * built (tables by Alembic's renderer, the rest as pg_dump's statements, the rows it left), and
 * prove the file equal to the chain before returning it. A table whose rendering differs is
 * re-emitted from pg_dump once; a file that still differs is refused (SnapshotNotProvenError).
 */
export async function snapshotSquash(input: SnapshotSquashInput): Promise<SnapshotSquash> {
  const timings: SnapshotSquash['timings'] = {};
  const timed = async <T>(phase: SnapshotPhase, message: string, fn: () => Promise<T>): Promise<T> => {
    input.onProgress?.(message);
    const t = Date.now();
    try {
      return await fn();
    } finally {
      timings[phase] = (timings[phase] ?? 0) + Date.now() - t;
    }
  };
  const { project, python, signal } = input;

  let server: ThrowawayServer | undefined;
  const databases: ThrowawayDatabase[] = [];
  /** Work still running on those databases when something failed: settled before they are dropped. */
  const pending: Promise<unknown>[] = [];
  // The server starts (and Python imports Alembic) while the squash is planned: neither needs the other.
  // The proof's two Alembic drivers start now too, and one of them answers the check.
  // The second is forked from the first once it imported Alembic: one import instead of two.
  const first = new AlembicSession(python, signal);
  const sessions = { chain: first, squash: first.fork() };
  const starting = (async () => {
    // Only PGlite needs to know them (it loads contrib extensions when asked): no reading of every file otherwise.
    const extensions = ['pglite', 'auto'].includes(input.provider.provider) ? await historyExtensions(project) : [];
    const [checked, start] = await Promise.allSettled([checkAlembic(python, signal, sessions.chain), startServer({ ...input.provider, extensions, signal, log: input.log })]);
    if (start.status === 'fulfilled') server = start.value.server;
    if (checked.status === 'rejected') throw checked.reason;
    if (start.status === 'rejected') throw start.reason;
    return start.value;
  })();
  // Awaited in the finally even when planning failed first, so a server that started is still removed.
  starting.catch(() => undefined);
  try {
    // Planning is quick; the op-merge render then runs alongside the chain, which needs only the plan.
    // A caller that plans has said so already (the CLI: "planning the squash of …").
    const planned = input.planned ? await input.planned : await timed('plan', 'planning the squash', () => planRange(input));
    const { plan, files } = planned;
    const noWayBack = plan.members.some((m) => declaresNoWayBack(files.get(m.path)?.file.downgrade));
    if (!plan.fromBase) throw new SnapshotRangeError(plan.from, plan.roots, plan.downRevisions);
    if (!project.configPath) throw new Error('The snapshot strategy runs the chain and needs an Alembic configuration (alembic.ini or pyproject.toml); a bare versions folder cannot be run.');

    const alembic = (db: ThrowawayDatabase, session: AlembicSession | undefined, command: 'upgrade' | 'downgrade', target: string) =>
      runAlembic(
        { python, session, project: { configPath: project.configPath!, section: project.section || undefined }, databaseUrl: db.url, envVarNames: input.urlEnvVars, signal, log: input.log },
        { command, target },
      );
    const newDatabase = async () => {
      const db = await server!.createDatabase();
      databases.push(db);
      return db;
    };
    /** A database (new unless given) with the chain run up to `target`, in a driver already started when given. */
    const chainDatabase = async (session?: AlembicSession, target = plan.tip, database?: Promise<ThrowawayDatabase>) => {
      const db = await (database ?? newDatabase());
      await alembic(db, session, 'upgrade', target);
      return db;
    };
    // Both runs of the chain below get their databases as soon as the server is up.
    const firstDatabases = starting.then(() => Promise.all([newDatabase(), newDatabase()]));
    pending.push(firstDatabases);
    firstDatabases.catch(() => undefined);
    // The proof's own two (the squashed history's, the empty one a downgrade to base must give), made
    // now rather than on its critical path.
    const spareDatabases = [0, 1].map(() => firstDatabases.then(() => newDatabase()));
    for (const spare of spareDatabases) {
      pending.push(spare);
      spare.catch(() => undefined); // taken by the proof, or settled in the finally
    }
    // The proof's side A is a run of the chain of its own, never the database the file was read from:
    // two independent runs also catch a chain whose rows differ from run to run. It runs (to the heads
    // the proof compares at) alongside the first run, in the other driver, instead of inside the proof.
    // Its downgrade is the proof's, and only when the snapshot's downgrade misses an empty database:
    // otherwise it could only tell about the downgrade of a history the snapshot replaces.
    const sideAReady = chainDatabase(sessions.chain, 'heads', firstDatabases.then(([a]) => a));
    pending.push(sideAReady);
    sideAReady.catch(() => undefined); // awaited by the proof, or settled in the finally
    // The op-merge squash (what the chain did that a snapshot drops) is needed by the render only; its
    // template goes through the chain's driver between side A's commands. Node's event loop is also the
    // server start's and the chain's: the render, which holds it for a while, starts once both runs of
    // the chain are under way (they take longer than it does).
    const rendering = Promise.all([firstDatabases, sessions.squash.connected()])
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => timed('plan', 'rendering the op-merge squash (what the chain did that a snapshot drops)', () => renderPlanned({ ...input, session: sessions.chain, ...UNWRITTEN }, planned)));
    pending.push(rendering);
    rendering.catch(() => undefined); // awaited before the render, or settled in the finally
    const { started, db } = await timed('chain', `running the chain to ${plan.tip} on a throwaway PostgreSQL`, async () => {
      const started = await starting;
      return { started, db: await chainDatabase(sessions.squash, plan.tip, firstDatabases.then(([, b]) => b)) };
    });
    const { facts, statements } = await timed('read', 'reading the schema and rows the chain left', async () => {
      // In the driver that ran the chain: SQLAlchemy is imported already, and it is idle until the proof.
      const read = () => readSnapshotFacts({ python, databaseUrl: db.url, signal, log: input.log, session: sessions.squash });
      const dump = async () => splitDump(await server!.dumpSchema(db));
      // The embedded back end dumps a copy of its data dir: nothing may write or connect meanwhile.
      if (server!.kind === 'pglite') {
        const facts = await read();
        return { facts, statements: await dump() };
      }
      const [facts, statements] = await Promise.all([read(), dump()]);
      return { facts, statements };
    });
    const ops = await rendering;
    const reEmitted: string[] = [];
    let statementsUsed = statements;
    for (let attempt = 1; ; attempt++) {
      // The .sql layout keeps the whole schema in pg_dump's words: tables included.
      const used =
        input.format === 'sql'
          ? withoutTables(facts, facts.tables.map((t) => qualify(t.schema, t.table)), "the .sql file keeps every table in pg_dump's words")
          : withoutTables(facts, reEmitted);
      const { bodies, render, edits } = await timed('render', 'rendering the snapshot revision', async () => {
        const bodies = await assembleBodies(statementsUsed, used, input.format);
        // The first proof's verify ends the drivers: a second render starts an interpreter of its own.
        const session = attempt === 1 ? sessions.squash : undefined;
        const render = await renderSnapshotFile({ plan, bodies, imports: input.format === 'sql' ? [] : used.imports, classification: ops.render.classification, projectImports: ops.render.projectImports, project, python, session, hooks: input.hooks, hooksSkippedBecause: input.hooksSkippedBecause });
        const archiveDir = input.options?.archiveDir;
        const edits = withSidecars(buildEdits(plan, render, files, { archiveDir }), plan, render.fileName, bodies.sidecar, archiveDir);
        return { bodies, render, edits };
      });
      const sideA = attempt === 1 ? await timed('proof', 'waiting for the run of the chain the proof compares with', () => sideAReady) : await timed('chain', 'running the chain again for the second proof', () => chainDatabase(undefined, 'heads'));
      const proof = await timed('proof', 'proving the snapshot equal to the chain (schema, seed data, downgrade)', () =>
        verifySquash({
          project,
          python,
          provider: input.provider,
          server: { server: server!, choice: started.choice, disposedAfter: true },
          // Side A: the chain's own run above; a second proof runs the chain again.
          chainDatabase: sideA,
          // The chain's own downgrade could not change the verdict on a snapshot (its downgrade drops
          // everything), only tell about the history it replaces: run when a revision declares there is
          // no way back (so the review says so), else only if the snapshot's downgrade misses an empty database.
          chainDowngradeWhenNeeded: !noWayBack,
          spareDatabases: attempt === 1 ? spareDatabases : undefined,
          // Verify ends the drivers it was given: a second proof starts its own.
          sessions: attempt === 1 ? sessions : undefined,
          candidate: { kind: 'edits', edits },
          to: 'heads',
          downgradeTo: 'base',
          urlEnvVars: input.urlEnvVars,
          signal,
          log: input.log,
        }),
      );
      if (proof.equal) {
        return { plan, render, edits, scripts: ops.scripts, bodies, facts: used, proof, reEmitted, ops, provider: { ...started.choice, description: server!.description }, timings };
      }
      const touched = differingTables(proof, facts);
      const culprits = touched.filter((t) => used.tables.some((r) => qualify(r.schema, r.table) === t));
      if (attempt > 1 || !touched.length) throw new SnapshotNotProvenError(proof, reEmitted);
      input.log?.(`re-emitting from pg_dump (their rendering differed): ${touched.join(', ')}`);
      reEmitted.push(...culprits);
      statementsUsed = await withInListChecks(statements, touched);
    }
  } catch (error) {
    // Ctrl-C or a cancelled editor task: one error for every phase, as verify reports it.
    if (signal?.aborted || error instanceof AlembicAbortedError || error instanceof OperationAbortedError) throw new VerifyCancelledError();
    throw error;
  } finally {
    await Promise.all([sessions.chain.dispose(), sessions.squash.dispose()]).catch(() => undefined);
    await Promise.allSettled([starting, ...pending]);
    // A server of our own takes its databases with it; on a user's server (`url`) each is dropped.
    if (server?.kind === 'url') for (const db of databases) await server.dropDatabase(db).catch(() => undefined);
    await server?.dispose().catch(() => undefined);
  }
}

/** The facts with some tables handed back to pg_dump: their create, keys and indexes come from its statements. */
export function withoutTables(facts: SnapshotFacts, tables: string[], reason = 'its Alembic rendering differed from the chain'): SnapshotFacts {
  if (!tables.length) return facts;
  const out = (t: { schema: string; table: string }) => !tables.includes(qualify(t.schema, t.table));
  return {
    ...facts,
    tables: facts.tables.filter(out),
    indexes: facts.indexes.filter(out),
    foreignKeys: facts.foreignKeys.filter(out),
    dumpTables: [...facts.dumpTables, ...facts.tables.filter((t) => !out(t)).map((t) => ({ schema: t.schema, table: t.table, reason }))],
  };
}

/** Check constraints of these tables written back as the IN lists PostgreSQL stored them from (see checks.ts). */
async function withInListChecks(statements: DumpStatement[], tables: string[]): Promise<DumpStatement[]> {
  const mine = (s: DumpStatement) => (s.kind === 'table' && tables.includes(s.name)) || (s.kind === 'constraint' && tables.some((t) => s.name.startsWith(`${t}.`)));
  return Promise.all(statements.map(async (s) => (mine(s) ? { ...s, text: (await rewriteInLists(s.text)) ?? s.text } : s)));
}

/** The tables a difference touches (the table, its columns, keys, indexes, comments). */
export function differingTables(proof: VerifyResult, facts: SnapshotFacts): string[] {
  const rendered = new Set([...facts.tables, ...facts.dumpTables].map((t) => qualify(t.schema, t.table)));
  const indexTable = new Map(facts.indexes.map((i) => [qualify(i.schema, i.name), qualify(i.schema, i.table)]));
  const found = new Set<string>();
  const differences = [...proof.schema.differences, ...(proof.downgrade?.schema.differences ?? [])];
  for (const d of differences) {
    const name = d.name.replace(/^(table|column|constraint|index) /, '');
    const candidates = [name, name.split('.').slice(0, -1).join('.'), indexTable.get(name) ?? ''];
    for (const c of candidates) if (rendered.has(c)) found.add(c);
  }
  return [...found].sort();
}
