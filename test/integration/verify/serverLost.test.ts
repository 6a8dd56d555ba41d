import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { BackendLostError, verifySquash, type VerifyPhase } from '../../../src/core/verify';
import { Client } from 'pg';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { census, isAlive, leftSince, squashFixture, verifyOptions, type Squashed } from './support';

/**
 * The throwaway server killed (SIGKILL of the postmaster, as the OOM killer does) at the start of each
 * phase: the verify must say the server stopped and while doing what (exit 3 in the CLI), never blame
 * the migrations or report a result, and leave nothing behind.
 */
/**
 * SIGKILL, then wait (synchronously: the phase has begun) until the postmaster is dead. A phase whose
 * work was done ahead of it may end within microseconds, before a signal in flight has taken effect.
 */
function killAndWait(pid: number): void {
  process.kill(pid, 'SIGKILL');
  const end = Date.now() + 5000;
  while (Date.now() < end) {
    let state = '';
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
      return;
    }
    if (state === 'Z') return;
  }
}

describe('verify when the throwaway server dies', function () {
  this.timeout(180_000);
  let linear: Squashed;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    linear = await squashFixture('linear', 'base', 'head');
  });

  const cases: { phase: VerifyPhase; during: RegExp }[] = [
    { phase: 'migrate-chain', during: /while upgrading the (original chain|squashed history)/ },
    { phase: 'capture', during: /while capturing both schemas/ },
    { phase: 'downgrade', during: /while downgrading both to base/ },
    { phase: 'cleanup', during: /while removing the throwaway databases and server/ },
  ];
  for (const { phase, during } of cases) {
    it(`at the start of ${phase}: "the throwaway PostgreSQL server stopped while …", nothing left`, async () => {
      const before = census();
      const log: string[] = [];
      const pid = () => Number(log.flatMap((l) => /postgres pid (\d+)/.exec(l)?.[1] ?? [])[0]);
      const ends: { phase: string; failed?: boolean; message?: string }[] = [];
      const options = verifyOptions(linear, {
        provider: { provider: 'local' },
        log: (l) => log.push(l),
        onEvent: (e) => {
          if (e.phase === phase && e.status === 'begin') killAndWait(pid());
          if (e.status === 'end') ends.push({ phase: e.phase, failed: e.failed, message: e.message });
        },
      });
      await assert.rejects(verifySquash(options), (e: Error) => {
        assert.ok(e instanceof BackendLostError, `${e.name}: ${e.message}`);
        assert.match(e.message, /^the throwaway PostgreSQL server stopped while /);
        assert.match(e.message, during);
        return true;
      });
      // The dead server's databases went with its folder: cleanup has nothing to report as left.
      const cleanup = ends.find((e) => e.phase === 'cleanup');
      assert.equal(cleanup?.failed, undefined, cleanup?.message);
      assert.equal(isAlive(pid()), false);
      assert.deepEqual(leftSince(before), { processes: [], folders: [] });
    });
  }
});

/**
 * A user's server (`--provider url`) restarted by its administrator during a run (fast shutdown:
 * connections end, databases stay). The verify must say that server restarted or stopped and while
 * doing what, never blame the migrations or give a result, and drop its databases once the server
 * answers again.
 */
describe('verify on a user\'s server (url) that restarts mid-run', function () {
  this.timeout(180_000);
  let linear: Squashed;
  let users: Cluster;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    linear = await squashFixture('linear', 'base', 'head');
    users = await startCluster();
  });
  after(async () => {
    await users?.stop();
  });

  const ours = async () => {
    const c = new Client({ connectionString: users.url('postgres') });
    await c.connect();
    try {
      return (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'alembic_squash_%'")).rows.map((r) => r.datname);
    } finally {
      await c.end();
    }
  };

  const cases: { phase: VerifyPhase; during: RegExp }[] = [
    { phase: 'migrate-chain', during: /while upgrading the (original chain|squashed history)/ },
    { phase: 'capture', during: /while capturing both schemas/ },
    { phase: 'downgrade', during: /while downgrading both to base/ },
    // Comparing touches no database: only the check after the phase (or the next one) sees the restart.
    { phase: 'compare', during: /while (comparing schemas|downgrading both to base)/ },
    { phase: 'cleanup', during: /while removing the throwaway databases and server/ },
  ];
  for (const { phase, during } of cases) {
    it(`restarted at the start of ${phase}: "the PostgreSQL server at … restarted while …", exit 3 words, nothing left`, async () => {
      let restart: Promise<void> | undefined;
      const ends: { phase: string; failed?: boolean; message?: string }[] = [];
      const options = verifyOptions(linear, {
        provider: { provider: 'url', databaseUrl: users.url('postgres') },
        onEvent: (e) => {
          if (e.phase === phase && e.status === 'begin' && !restart) restart = users.restart();
          if (e.status === 'end') ends.push({ phase: e.phase, failed: e.failed, message: e.message });
        },
      });
      await assert.rejects(verifySquash(options), (e: Error) => {
        assert.ok(e instanceof BackendLostError, `${e.name}: ${e.message}`);
        assert.match(e.message, new RegExp(`^the PostgreSQL server at 127\\.0\\.0\\.1:${users.port} (restarted|stopped) while `));
        assert.match(e.message, during);
        assert.match(e.message, /not caused by your migrations/);
        return true;
      });
      await restart;
      // Databases survive a restart: cleanup waited for the server to answer again and dropped them.
      const cleanup = ends.find((e) => e.phase === 'cleanup');
      assert.equal(cleanup?.failed, undefined, cleanup?.message);
      assert.deepEqual(await ours(), []);
    });
  }

  it('no restart: the same run is equal (the check after each phase does not cry wolf)', async () => {
    const r = await verifySquash(verifyOptions(linear, { provider: { provider: 'url', databaseUrl: users.url('postgres') } }));
    assert.equal(r.equal, true);
    assert.deepEqual(await ours(), []);
  });
});
