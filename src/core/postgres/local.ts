import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chown, mkdtemp, open, readFile, rm, stat, statfs, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { findServerBinaries, ProbeKilledError, type PgBinDir } from './binaries';
import * as sql from './client';
import { OwnedDatabases } from './owned';
import { ProviderUnavailableError, ServerLostError, ThrowawayServerError, throwIfAborted } from './errors';
import { OWNER_FILE, TEMP_PREFIX } from './names';
import { freePort, isListening } from './ports';
import { isAlive, run, stopChild, tail } from './process';
import { isRoot, lookupAccount, type Account } from './osuser';
import { copyTemplate, initdbFlags, saveTemplate, templateDir } from './template';
import type { ProviderOptions, SchemaDumpOptions, ThrowawayDatabase, ThrowawayServer } from './types';

const USER = 'postgres';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 30_000;

/** True when every folder from / to `dir` lets others pass (the postgres user must reach the data dir). */
async function traversableByOthers(dir: string): Promise<boolean> {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    try {
      if (((await stat(folder)).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function tempBase(runAs: Account | undefined): Promise<string> {
  for (const base of clusterTempBases()) {
    if (base === SHARED_MEMORY && !(await roomy(base))) continue;
    if (!runAs || (await traversableByOthers(base))) return base;
  }
  return '/tmp';
}

/**
 * Where throwaway clusters go, in order of preference: the memory-backed /dev/shm when there is one
 * (a cluster writes ~40 MB at start and ~8 MB per CREATE DATABASE; on a slow disk that is most of a
 * verify's start-up), else the temp folder. The sweep looks in all of them.
 */
export function clusterTempBases(): string[] {
  return [...new Set([SHARED_MEMORY, os.tmpdir(), '/tmp'])];
}

const SHARED_MEMORY = '/dev/shm';

/** A writable folder with at least 1 GiB free. */
async function roomy(dir: string): Promise<boolean> {
  try {
    const fsStat = await statfs(dir);
    return (await stat(dir)).isDirectory() && fsStat.bavail * fsStat.bsize >= 1 << 30 && (await access(dir, constants.W_OK).then(() => true, () => false));
  } catch {
    return false;
  }
}

/**
 * A throwaway cluster in a temp folder: initdb + postgres on 127.0.0.1 and a free port, durability off.
 * When running as root, every server program runs as the `postgres` user (PostgreSQL refuses root).
 */
export class LocalServer implements ThrowawayServer {
  readonly kind = 'local' as const;
  readonly description: string;
  readonly majorVersion: number;
  private readonly databases = new OwnedDatabases('local', () => this.admin(), () => this.majorVersion, (line) => this.log(line));
  private disposing: Promise<void> | undefined;
  /** How the postmaster ended before anyone asked it to (killed, crashed): the server was lost. */
  private diedUnasked: string | undefined;
  private disposeStarted: number | undefined;

  private constructor(
    readonly bin: PgBinDir,
    /** The temp folder (data dir, socket, log, owner.json); removed on dispose. */
    readonly folder: string,
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly log: (line: string) => void,
  ) {
    this.majorVersion = bin.major;
    this.description = `local PostgreSQL ${bin.version} in ${folder} (port ${port})`;
    const record = (code: number | null, signal: NodeJS.Signals | null) => {
      // Asked to stop, it exits 0 on SIGINT; a SIGKILL soon after that came from someone else.
      const killedWhileStopping = signal === 'SIGKILL' && this.disposeStarted !== undefined && Date.now() - this.disposeStarted < 9_000;
      if (!this.disposing || killedWhileStopping) this.diedUnasked = signal ? `killed by ${signal}` : `exit ${code}`;
    };
    if (child.exitCode !== null || child.signalCode !== null) record(child.exitCode, child.signalCode);
    else child.once('exit', record);
  }

  /** The postmaster ended on its own (also after dispose, which then found it gone). */
  async lost(): Promise<ServerLostError | undefined> {
    // Dead but not yet reaped (its exit event still on its way), or dying (a SIGKILLed postmaster
    // closes its port before it turns zombie; under load that takes a while): wait for it, briefly.
    const running = () => this.child.exitCode === null && this.child.signalCode === null;
    // (While being stopped its port closes anyway: then only a zombie counts.)
    if (running() && this.child.pid && ((await isZombie(this.child.pid)) || (!this.disposing && !(await isListening(this.port))))) {
      await new Promise((resolve) => {
        if (!running()) return resolve(undefined);
        const timer = setTimeout(resolve, 2_000);
        this.child.once('exit', () => resolve(clearTimeout(timer)));
      });
    }
    if (!this.diedUnasked && !this.disposing && (this.child.exitCode !== null || this.child.signalCode !== null)) {
      this.diedUnasked = this.child.signalCode ? `killed by ${this.child.signalCode}` : `exit ${this.child.exitCode}`;
    }
    if (!this.diedUnasked) return undefined;
    return new ServerLostError('local', 'server-lost', `the local PostgreSQL server (pid ${this.child.pid}) ended on its own (${this.diedUnasked})`);
  }

  /** pid of the postmaster we spawned. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(options: ProviderOptions): Promise<LocalServer> {
    const log = options.log ?? (() => undefined);
    const signal = options.signal;
    throwIfAborted(signal);
    const found = await findServerBinaries(options.binDir).catch((error: unknown) => {
      if (!(error instanceof ProbeKilledError)) throw error;
      throw new ProviderUnavailableError('local', 'local-probe-killed', `The local PostgreSQL programs could not be checked: ${error.message} (something outside this tool ended it). Run it again.`);
    });
    if (found.length === 0) {
      throw new ProviderUnavailableError(
        'local',
        'local-not-found',
        options.binDir
          ? `No PostgreSQL server programs (initdb, postgres, pg_dump) in ${options.binDir}. Point the bin folder at a PostgreSQL installation (e.g. /usr/lib/postgresql/15/bin).`
          : 'No PostgreSQL server programs (initdb, postgres, pg_dump) found on PATH, in /usr/lib/postgresql/*/bin, Homebrew or Postgres.app. Install PostgreSQL (e.g. apt-get install postgresql), give its bin folder, or use --provider pglite.',
      );
    }
    const bin = found[0];
    let runAs: Account | undefined;
    if (isRoot()) {
      runAs = await lookupAccount(USER);
      if (!runAs) {
        throw new ProviderUnavailableError(
          'local',
          'local-no-postgres-user',
          'Running as root, but PostgreSQL refuses to run as root and there is no "postgres" user to run it as. Create one (useradd --system postgres), run as a normal user, or use --provider pglite.',
        );
      }
    }
    throwIfAborted(signal);
    const folder = await mkdtemp(path.join(await tempBase(runAs), TEMP_PREFIX));
    let child: ChildProcess | undefined;
    try {
      await writeFile(path.join(folder, OWNER_FILE), JSON.stringify({ pid: process.pid, kind: 'local' }) + '\n');
      if (runAs) await chown(folder, runAs.uid, runAs.gid);
      const dataDir = path.join(folder, 'data');
      const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
      if (await copyTemplate(bin, dataDir, runAs)) {
        log(`data dir copied from the cached template ${templateDir(bin)}`);
      } else {
        log(`initdb (${bin.dir}) in ${dataDir}`);
        const init = await run(
          path.join(bin.dir, 'initdb'),
          ['-D', dataDir, '-U', USER, ...initdbFlags(bin)],
          // A cancel lets initdb's postgres remove its shared memory segments (SIGKILL leaves two in /dev/shm).
          { uid: runAs?.uid, gid: runAs?.gid, env, signal, timeoutMs: 120_000, cwd: folder, termGraceMs: 2_000 },
        );
        if (init.code !== 0) {
          throw new ProviderUnavailableError(
            'local',
            'local-start-failed',
            `initdb failed (exit ${init.code ?? init.signal}) in ${dataDir}:\n${tail(init.stderr || init.stdout)}`,
          );
        }
        await saveTemplate(bin, dataDir);
      }
      // The OS may hand the port to someone else between our probe and the bind: retry with a new one.
      for (let attempt = 1; ; attempt++) {
        throwIfAborted(signal);
        const port = await freePort();
        child = await spawnPostgres(bin, folder, dataDir, port, runAs, env);
        log(`postgres pid ${child.pid} on ${HOST}:${port}`);
        const exited = () => child!.exitCode !== null || child!.signalCode !== null;
        const problem = await sql.waitUntilReady(
          { host: HOST, port, user: USER, database: 'postgres' },
          { timeoutMs: READY_TIMEOUT_MS, signal, failed: () => (exited() ? 'the server exited' : undefined) },
        ).catch(async (error) => {
          await stopChild(child!);
          throw error;
        });
        if (!problem) return new LocalServer(bin, folder, port, child, log);
        // Killed from outside while starting: the server was lost, not unable to start.
        if (child.signalCode) {
          await stopChild(child);
          throw new ServerLostError('local', 'server-lost', `the local PostgreSQL server (pid ${child.pid}) was killed by ${child.signalCode} while starting`);
        }
        await stopChild(child);
        const serverLog = await readFile(path.join(folder, 'postgres.log'), 'utf8').catch(() => '');
        if (attempt < 3 && /could not bind|address already in use/i.test(serverLog)) continue;
        throw new ProviderUnavailableError(
          'local',
          'local-start-failed',
          `PostgreSQL ${bin.version} (${bin.dir}) did not start: ${problem}. Server log:\n${tail(serverLog)}`,
        );
      }
    } catch (error) {
      if (child) await stopChild(child);
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  private admin() {
    return { host: HOST, port: this.port, user: USER, database: 'postgres' };
  }

  createDatabase(): Promise<ThrowawayDatabase> {
    return this.databases.create();
  }

  cloneDatabase(db: ThrowawayDatabase): Promise<ThrowawayDatabase> {
    return this.databases.create(db);
  }

  dropDatabase(db: ThrowawayDatabase): Promise<void> {
    return this.databases.drop(db);
  }

  async dumpSchema(db: ThrowawayDatabase, options?: SchemaDumpOptions): Promise<string> {
    const args = ['--host', HOST, '--port', String(this.port), '--username', USER, '--dbname', db.name, ...sql.schemaDumpArgs(options?.excludeTables)];
    const result = await run(path.join(this.bin.dir, 'pg_dump'), args, { timeoutMs: 300_000 });
    if (result.code !== 0) {
      throw new ThrowawayServerError('local', 'dump-failed', `pg_dump of ${db.name} failed (exit ${result.code ?? result.signal}):\n${tail(result.stderr)}`);
    }
    return result.stdout;
  }

  dispose(): Promise<void> {
    this.disposeStarted ??= Date.now();
    this.disposing ??= (async () => {
      // SIGQUIT, PostgreSQL's immediate shutdown: no shutdown checkpoint for data removed right after.
      await stopChild(this.child, undefined, 'SIGQUIT');
      this.databases.forget();
      await rm(this.folder, { recursive: true, force: true });
      this.log(`stopped local PostgreSQL and removed ${this.folder}`);
    })();
    return this.disposing;
  }
}

async function spawnPostgres(
  bin: PgBinDir,
  folder: string,
  dataDir: string,
  port: number,
  runAs: Account | undefined,
  env: NodeJS.ProcessEnv,
): Promise<ChildProcess> {
  const logFile = await open(path.join(folder, 'postgres.log'), 'a');
  try {
    if (runAs) await logFile.chown(runAs.uid, runAs.gid);
    const child = spawn(
      path.join(bin.dir, 'postgres'),
      [
        '-D', dataDir, '-p', String(port), '-k', folder,
        '-c', `listen_addresses=${HOST}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
        // Shared memory in the data folder, not /dev/shm/PostgreSQL.*: a killed server leaves nothing outside it.
        '-c', 'dynamic_shared_memory_type=mmap',
      ],
      { uid: runAs?.uid, gid: runAs?.gid, env, cwd: folder, stdio: ['ignore', logFile.fd, logFile.fd] },
    );
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return child;
  } finally {
    await logFile.close();
  }
}

/** A process that has ended but was not reaped yet (Linux; elsewhere: not known, false). */
async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}

/** Exposed for the sweep: whether the folder's postmaster.pid names a live server. */
export async function postmasterPid(folder: string): Promise<number | undefined> {
  try {
    const text = await readFile(path.join(folder, 'data', 'postmaster.pid'), 'utf8');
    const pid = Number(text.split('\n')[0]);
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
