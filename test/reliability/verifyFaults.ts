import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { ownerFromComment } from '../../src/core/postgres/names';
import type { Cluster } from '../support/pg-cluster';
import { census, describeLeaks, leakCount } from './census';
import { copyProject } from './squashFaults';

/**
 * Verify under faults. Each run copies a fixture, starts `alembic-squash verify` on the local back
 * end, injects one fault, and records the exit, whether the message was clear (an "error:" or
 * "cancelled" line, no JavaScript stack), whether it hung, and what it left once the NEXT run of the
 * tool (`alembic-squash cleanup`, the same sweep every run does on start) has passed.
 */
const repoRoot = path.resolve(__dirname, '../..');
// ALEMBIC_SQUASH_CLI: measure a frozen build (e.g. a copy of dist/) while dist/ is being rebuilt.
const cli = process.env.ALEMBIC_SQUASH_CLI ?? path.join(repoRoot, 'dist/cli.js');
const PYTHON = process.env.ALEMBIC_SQUASH_PYTHON ?? '/usr/bin/python3';

export type VerifyFaultKind = 'sigint' | 'sigkill-cli' | 'sigkill-server' | 'port-taken' | 'broken-candidate' | 'python-missing' | 'url-restart';
export const VERIFY_FAULTS: VerifyFaultKind[] = ['sigint', 'sigkill-cli', 'sigkill-server', 'port-taken', 'broken-candidate', 'python-missing', 'url-restart'];

export interface VerifyFault {
  kind: VerifyFaultKind;
  /** For timed faults: ms after start. */
  delayMs: number;
  fixture: string;
}

export interface VerifyFaultResult {
  fault: VerifyFault;
  /** The fault hit a running verify (false: it had finished before). */
  hit: boolean;
  exit: number | string;
  expected: string;
  exitAsExpected: boolean;
  clear: boolean;
  hung: boolean;
  crashed: boolean;
  leaksAfterFault: number;
  /** Shared-memory segments nobody maps that appeared during the run (not ours: see census.ts). */
  unattributedShm: number;
  leaks: string[];
  stderrTail: string;
  /** All the CLI wrote to stderr (with ALEMBIC_SQUASH_VERBOSE set: the back end's log lines too). */
  stderr: string;
}

function childPids(pid: number): number[] {
  const out = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const pairs = out.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter((p) => p.length === 2);
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of pairs) if (pp === p) {
      found.push(c!);
      walk(c!);
    }
  };
  walk(pid);
  return found;
}

/**
 * The postmaster started by `pid`: a postgres process whose parent is the CLI, running a data folder
 * (`-D`), not a `postgres --version` probe.
 */
function postmasterOf(pid: number): number | undefined {
  const out = spawnSync('ps', ['-eo', 'pid=,ppid=,comm=,args='], { encoding: 'utf8' }).stdout;
  for (const line of out.split('\n')) {
    const [p, pp, comm, ...args] = line.trim().split(/\s+/);
    if (Number(pp) === pid && comm === 'postgres' && args.includes('-D')) return Number(p);
  }
  return undefined;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The throwaway databases on a user's server (our name prefix), only those of `pid` when given. */
async function ourDatabases(users: Cluster, pid?: number): Promise<string[]> {
  const c = new Client({ connectionString: users.url('postgres'), connectionTimeoutMillis: 5_000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    const rows = await c.query<{ datname: string; comment: string | null }>(
      "SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE 'alembic\\_squash\\_%'",
    );
    return rows.rows.filter((r) => pid === undefined || ownerFromComment(r.comment)?.pid === pid).map((r) => r.datname);
  } catch {
    return [];
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * `users`: the "user's server" of the url-restart fault, a cluster the campaign started; the fault
 * restarts it (fast shutdown, as `pg_ctl restart -m fast`) while the verify has databases on it.
 */
export async function runVerifyFault(fault: VerifyFault, tmp: string, timeoutMs = 180_000, users?: Cluster): Promise<VerifyFaultResult> {
  const since = Date.now();
  const dir = copyProject(fault.fixture);
  const args = ['verify', dir, '--from', 'base', '--to', 'head', '--provider', 'local'];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ALEMBIC_SQUASH_PYTHON: PYTHON, ALEMBIC_SQUASH_NO_CACHE: '1', TMPDIR: tmp };
  let expected = '';
  let dummy: net.Server | undefined;
  if (fault.kind === 'python-missing') {
    args.push('--python', '/nonexistent/bin/python3');
    expected = '3';
  } else if (fault.kind === 'broken-candidate') {
    const candidate = path.join(dir, 'candidate');
    fs.cpSync(path.join(dir, 'migrations/versions'), candidate, { recursive: true });
    const victim = fs.readdirSync(candidate).filter((f) => f.endsWith('.py')).sort()[1]!;
    const text = fs.readFileSync(path.join(candidate, victim), 'utf8');
    fs.writeFileSync(path.join(candidate, victim), text.slice(0, Math.floor(text.length * 0.6)));
    args.splice(2, 4, '--candidate', candidate);
    expected = '1|2';
  } else if (fault.kind === 'port-taken') {
    // Something that is not PostgreSQL holds the port the user named.
    dummy = net.createServer((s) => s.end('HTTP/1.0 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => dummy!.listen(0, '127.0.0.1', r));
    const port = (dummy.address() as net.AddressInfo).port;
    args.splice(args.indexOf('--provider'), 2, '--provider', 'url', '--database-url', `postgresql://app:SECRET-pw@127.0.0.1:${port}/app`);
    expected = '3';
  } else if (fault.kind === 'url-restart') {
    if (!users) throw new Error('url-restart needs a user\'s server');
    args.splice(args.indexOf('--provider'), 2, '--provider', 'url', '--database-url', users.url('postgres'));
    expected = '3';
  } else if (fault.kind === 'sigint') expected = '130'; // a death by SIGINT is silent: not the contract
  else if (fault.kind === 'sigkill-cli') expected = 'SIGKILL';
  else expected = '3';

  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let finished = false;
  void done.then(() => (finished = true));
  let hit = true;
  if (fault.kind === 'url-restart') {
    // The drawn delay counts from the run's first database on the server (before it, a restart is
    // one the run never saw). No database of ours left there: the run is past its last use of it.
    while (!finished && !(await ourDatabases(users!, child.pid)).length) await delay(50);
    await Promise.race([delay(fault.delayMs - 300), done]);
    if (finished || !(await ourDatabases(users!, child.pid)).length) hit = false;
    else await users!.restart();
  } else if (fault.kind === 'sigint' || fault.kind === 'sigkill-cli' || fault.kind === 'sigkill-server') {
    await Promise.race([delay(fault.delayMs), done]);
    if (finished) hit = false;
    else if (fault.kind === 'sigint') child.kill('SIGINT');
    else if (fault.kind === 'sigkill-cli') child.kill('SIGKILL');
    else {
      // Wait for the server to exist (up to the run's end), then kill it.
      let pm: number | undefined;
      while (!finished && (pm = postmasterOf(child.pid!)) === undefined) await delay(50);
      try {
        if (pm !== undefined && !finished) process.kill(pm, 'SIGKILL');
        else hit = false;
      } catch {
        hit = false;
      }
    }
  }
  // Cleared once the run ends: a pending timer would hold the campaign's process open for its length.
  let hangTimer: NodeJS.Timeout | undefined;
  const timer = new Promise<'timeout'>((r) => (hangTimer = setTimeout(() => r('timeout'), timeoutMs)));
  const outcome = await Promise.race([done, timer]);
  clearTimeout(hangTimer);
  const hung = outcome === 'timeout';
  if (hung) {
    for (const p of childPids(child.pid!)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    child.kill('SIGKILL');
    await done;
  }
  dummy?.close();
  const { code, signal } = await done;
  const exit = signal ?? code ?? -1;
  const pids = new Set([child.pid!]);
  const first = census(since, tmp, pids);
  const leaksAfterFault = leakCount(first);
  const unattributedShm = first.shm.length;
  // The next run of the tool sweeps what a killed run left.
  spawnSync(process.execPath, [cli, 'cleanup'], { env, encoding: 'utf8', timeout: 120_000 });
  const after = census(since, tmp, pids);
  // On a user's server: the next url run (its sweep by comment) must have dropped what this one left.
  const leftOnServer: string[] = [];
  if (users) {
    spawnSync(process.execPath, [cli, 'cleanup', '--database-url', users.url('postgres')], { env, encoding: 'utf8', timeout: 120_000 });
    for (const name of await ourDatabases(users)) leftOnServer.push(`database ${name} on the user's server`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const crashed = /\n\s+at .+\(.+:\d+:\d+\)/.test(stderr) || /TypeError|ReferenceError|Unhandled/.test(stderr);
  const clear = !crashed && (exit === 'SIGKILL' || /error:|cancelled/i.test(stderr)) && !/SECRET-pw/.test(stdout + stderr);
  const finishedOk = !hit && exit === 0;
  // The contract's words, not only its code: "cancelled" for Ctrl-C, the server named for its death.
  const said =
    fault.kind === 'sigint'
      ? /cancelled/.test(stderr)
      : fault.kind === 'sigkill-server'
        ? /the throwaway PostgreSQL server stopped while/.test(stderr)
        : fault.kind === 'url-restart'
          ? /the PostgreSQL server at \S+ (restarted|stopped) while/.test(stderr)
          : true;
  const exitAsExpected = finishedOk || (expected.split('|').includes(String(exit)) && said);
  return {
    fault,
    hit,
    exit,
    expected,
    exitAsExpected,
    clear: finishedOk || clear,
    hung,
    crashed,
    leaksAfterFault,
    unattributedShm,
    leaks: [...describeLeaks(after), ...leftOnServer],
    stderrTail: stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300),
    stderr,
  };
}
