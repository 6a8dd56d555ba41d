// A throwaway PostgreSQL cluster for tests: initdb into a temp folder, one postmaster on a free
// 127.0.0.1 port with its socket in that folder, trust auth, durability off. Everything it makes
// (the process, the folder) goes away in stop(), and also when the test process exits abruptly.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface Cluster {
  readonly host: string;
  readonly port: number;
  /** Superuser created by initdb; trust auth, so no password. */
  readonly user: string;
  /** Folder holding initdb/postgres/pg_dump/psql of the running server. */
  readonly binDir: string;
  readonly dataDir: string;
  /** `postgresql://postgres@127.0.0.1:PORT/db`: what SQLAlchemy/psycopg2 and `pg` accept. */
  url(db: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /**
   * Restarts the server as an administrator does (`pg_ctl restart -m fast`): connections are ended,
   * databases stay, the same port answers again with a new pg_postmaster_start_time().
   */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /** Defaults to $PG_BIN_DIR, else the newest /usr/lib/postgresql/N/bin. */
  binDir?: string;
  /** The next object id (pg_resetwal -o): a long-lived server's ids pass 2^31. */
  nextOid?: number;
}

const HOST = '127.0.0.1';
const USER = 'postgres';
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/** The folder with PostgreSQL's server binaries, or undefined when none is installed. */
export function findPostgresBinDir(): string | undefined {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0], 'bin') : undefined;
}

/** Why a cluster cannot be started here (for `this.skip()` messages), or undefined when it can. */
export function clusterUnavailableReason(binDir = findPostgresBinDir()): string | undefined {
  if (!binDir) return 'no PostgreSQL server binaries (set PG_BIN_DIR or apt-get install postgresql-15)';
  if (isRoot() && !lookupUser(USER)) return `running as root but there is no "${USER}" user to run PostgreSQL as`;
  return undefined;
}

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const binDir = options.binDir ?? findPostgresBinDir();
  const unavailable = clusterUnavailableReason(binDir);
  if (unavailable || !binDir) throw new Error(`cannot start PostgreSQL: ${unavailable}`);

  // initdb and postgres refuse to run as root: drop to the postgres user, who must be able to
  // traverse every parent of the data folder.
  const runAs = isRoot() ? lookupUser(USER) : undefined;
  const root = mkdtempSync(join(traversableTmp(), 'alembic-squash-pg-'));
  const dataDir = join(root, 'data');
  if (runAs) chownSync(root, runAs.uid, runAs.gid);
  const spawnAs: SpawnOptions = runAs ? { uid: runAs.uid, gid: runAs.gid, env: { ...process.env, HOME: root } } : {};

  let server: ChildProcess | undefined;
  const removeFolder = (): void => rmSync(root, { recursive: true, force: true });
  const emergencyStop = (): void => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) server.kill('SIGQUIT');
    removeFolder();
  };
  process.once('exit', emergencyStop);

  try {
    const init = spawnSync(
      join(binDir, 'initdb'),
      ['-D', dataDir, '-U', USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...spawnAs, encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.signal}): ${init.stderr || init.error?.message}`);
    if (options.nextOid !== undefined) {
      const reset = spawnSync(join(binDir, 'pg_resetwal'), ['-o', String(options.nextOid), '-D', dataDir], { ...spawnAs, encoding: 'utf8' });
      if (reset.status !== 0) throw new Error(`pg_resetwal failed (${reset.status ?? reset.signal}): ${reset.stderr || reset.error?.message}`);
    }

    let port = 0;
    // The free port can be taken between probing and binding; a second try covers that race.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const started = spawnPostgres(binDir, dataDir, root, port, spawnAs);
      server = started.child;
      try {
        await waitUntilReady(port, started);
        break;
      } catch (err) {
        await stopProcess(server);
        if (attempt >= 3 || !/could not bind|address already in use/i.test(started.log())) throw err;
      }
    }

    const url = (db: string): string => `postgresql://${USER}@${HOST}:${port}/${encodeURIComponent(db)}`;
    const admin = async (sql: string): Promise<void> => {
      const client = new Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    let stopped: Promise<void> | undefined;
    let child = server;
    return {
      host: HOST,
      port,
      user: USER,
      binDir,
      dataDir,
      url,
      async createDatabase(name) {
        await admin(`CREATE DATABASE ${quoteIdent(name)}`);
        return url(name);
      },
      async dropDatabase(name) {
        await admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      },
      async restart() {
        await stopProcess(child);
        const started = spawnPostgres(binDir, dataDir, root, port, spawnAs);
        child = server = started.child;
        await waitUntilReady(port, started);
      },
      stop() {
        stopped ??= (async () => {
          try {
            await stopProcess(child);
          } finally {
            removeFolder();
            process.removeListener('exit', emergencyStop);
          }
        })();
        return stopped;
      },
    };
  } catch (err) {
    if (server) await stopProcess(server);
    removeFolder();
    process.removeListener('exit', emergencyStop);
    throw err;
  }
}

interface Started {
  child: ChildProcess;
  exited: Promise<void>;
  log(): string;
}

function spawnPostgres(binDir: string, dataDir: string, socketDir: string, port: number, spawnAs: SpawnOptions): Started {
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-k', socketDir,
    '-c', `listen_addresses=${HOST}`,
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
    // Shared memory in the data folder, not /dev/shm: a server a test kills leaves nothing outside it.
    '-c', 'dynamic_shared_memory_type=mmap',
  ];
  const child = spawn(join(binDir, 'postgres'), args, { ...spawnAs, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    log = (log + chunk).slice(-8_000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', (err) => {
    log += `\n${err.message}`;
  });
  return { child, exited, log: () => log };
}

async function waitUntilReady(port: number, started: Started): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  void started.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`postgres exited during start-up:\n${started.log()}`);
    const client = new Client({ host: HOST, port, user: USER, database: 'postgres', connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms:\n${started.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fast shutdown (SIGINT), escalating to immediate (SIGQUIT) then SIGKILL if it lingers. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const signal of ['SIGINT', 'SIGQUIT', 'SIGKILL'] as const) {
    child.kill(signal);
    const done = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS / 2).then(() => false)]);
    if (done) return;
  }
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // No /etc/passwd: not a system where we need to switch users.
  }
  return undefined;
}

/** os.tmpdir() unless one of its parents is closed to other users (e.g. TMPDIR under /root). */
function traversableTmp(): string {
  const candidate = tmpdir();
  if (!isRoot()) return candidate;
  for (let dir = candidate; ; dir = dirname(dir)) {
    try {
      accessSync(dir, constants.F_OK);
      if ((statSync(dir).mode & 0o001) === 0) return '/tmp';
    } catch {
      return '/tmp';
    }
    if (dirname(dir) === dir) return candidate;
  }
}

/** Skips the test or suite (saying why) on a machine without PostgreSQL server binaries. */
export function skipWithoutPostgres(ctx: Mocha.Context): void {
  const reason = clusterUnavailableReason();
  if (!reason) return;
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}
