// A session forked from another (AlembicSession.fork): the second driver of a verify or a snapshot is
// forked from the first once it imported Alembic, instead of an interpreter importing it again. It must
// behave as a driver of its own: its commands, its stderr, its end on dispose and on cancel.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AlembicAbortedError, AlembicSession, checkAlembic, runAlembic } from '../../../src/core/alembic';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { copyFixture, PYTHON } from '../../unit/squash/support';

/** The parent process of a live process (Linux /proc); undefined once it is gone. */
function parentOf(pid: number): number | undefined {
  const stat = readStat(pid);
  return stat ? Number(stat[1]) : undefined;
}

/** Gone, or a zombie waiting for its parent to reap it: either way no longer running. */
function ended(pid: number): boolean {
  const stat = readStat(pid);
  return !stat || stat[0] === 'Z';
}

function readStat(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

async function until(what: string, test: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const forkFolders = () => new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('alembic-squash-fork-')));

describe('a forked Alembic session', function () {
  this.timeout(60_000);
  let cluster: Cluster | undefined;
  let copy: { dir: string; cleanup: () => void };
  before(async function () {
    if (process.platform !== 'linux') this.skip();
    if (clusterUnavailableReason()) this.skip();
    cluster = await startCluster();
    copy = copyFixture('linear');
  });
  after(async () => {
    await cluster?.stop();
    copy?.cleanup();
  });

  const upgrade = (session: AlembicSession, url: string, log?: (line: string) => void) =>
    runAlembic({ python: PYTHON, session, project: { configPath: path.join(copy.dir, 'alembic.ini') }, databaseUrl: url, log }, { command: 'upgrade', target: 'heads' });

  async function tables(url: string): Promise<string[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      return r.rows.map((x) => x.t);
    } finally {
      await client.end();
    }
  }

  it('is a child of the first driver, runs its own migrations and reports their output to its own requests', async () => {
    const before = forkFolders();
    const first = new AlembicSession(PYTHON);
    const second = first.fork();
    try {
      await second.connected();
      assert.ok(first.pid && second.pid && first.pid !== second.pid);
      assert.equal(parentOf(second.pid), first.pid, 'forked from the first driver, not a new interpreter');
      const [a, b] = [await cluster!.createDatabase('fork_a'), await cluster!.createDatabase('fork_b')];
      const logA: string[] = [];
      const logB: string[] = [];
      // Both at once: two drivers, two databases.
      await Promise.all([upgrade(first, a, (l) => logA.push(l)), upgrade(second, b, (l) => logB.push(l))]);
      const expected = await tables(a);
      assert.ok(expected.length > 1, 'the fixture creates tables');
      assert.deepEqual(await tables(b), expected);
      assert.ok(logB.some((l) => /Running upgrade/.test(l)), `the forked driver's log reaches its request: ${logB.join('\n')}`);
      assert.equal(logA.filter((l) => /Running upgrade/.test(l)).length, logB.filter((l) => /Running upgrade/.test(l)).length);
      assert.match((await checkAlembic(PYTHON, undefined, second)).alembic, /^\d+\.\d+/);
      // The sockets' folder is gone once they are connected.
      assert.deepEqual([...forkFolders()].filter((n) => !before.has(n)), []);
    } finally {
      await Promise.all([first.dispose(), second.dispose()]);
    }
    await until('both drivers ended', () => ended(first.pid!) && ended(second.pid!));
  });

  it('outlives the driver it was forked from', async () => {
    const first = new AlembicSession(PYTHON);
    const second = first.fork();
    try {
      await second.connected();
      await first.dispose();
      await until('the first driver ended', () => ended(first.pid!));
      assert.equal(ended(second.pid!), false);
      assert.deepEqual(await tables(await upgradeNew(second)), await tables(await upgradeNew(new AlembicSession(PYTHON), true)));
    } finally {
      await second.dispose();
    }
    await until('the second driver ended', () => ended(second.pid!));
  });

  let n = 0;
  async function upgradeNew(session: AlembicSession, dispose = false): Promise<string> {
    const url = await cluster!.createDatabase(`fork_n${n++}`);
    try {
      await upgrade(session, url);
    } finally {
      if (dispose) await session.dispose();
    }
    return url;
  }

  it('after the first driver ran a command, starts an interpreter of its own (a fork would carry that command\'s state)', async () => {
    const first = new AlembicSession(PYTHON);
    await checkAlembic(PYTHON, undefined, first);
    const second = first.fork();
    try {
      await second.connected();
      assert.equal(parentOf(second.pid!), process.pid, 'a new interpreter, started by us');
      await upgradeNew(second);
    } finally {
      await Promise.all([first.dispose(), second.dispose()]);
    }
  });

  it('cancelled, or disposed, before the fork answered: no interpreter is started in its place', async () => {
    const abort = new AbortController();
    const first = new AlembicSession(PYTHON, abort.signal);
    const second = first.fork();
    abort.abort();
    await second.connected();
    assert.equal(second.pid, undefined, 'nothing was started for the cancelled fork');
    await until('the first driver ended', () => ended(first.pid!));
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('a cancel ends both drivers, and their requests end as cancelled', async () => {
    const abort = new AbortController();
    const first = new AlembicSession(PYTHON, abort.signal);
    const second = first.fork();
    await second.connected();
    const url = await cluster!.createDatabase('fork_cancel');
    // A request in flight on the forked driver when the cancel comes.
    const running = upgrade(second, url);
    abort.abort();
    await assert.rejects(running, (e: Error) => e instanceof AlembicAbortedError || /cancel/i.test(e.message));
    await until('both drivers ended', () => ended(first.pid!) && ended(second.pid!));
    await Promise.all([first.dispose(), second.dispose()]);
  });
});
