import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { repoRoot, runCli, runCliJson } from '../../support/cli';

const env = { ALEMBIC_SQUASH_PYTHON: '/usr/bin/python3', PYTHONDONTWRITEBYTECODE: '1' };
const HEAD = 'c41d7e2a9b06';

/** `alembic-squash databases` on real PostgreSQL databases this test creates, holding alembic_version rows. */
describe('databases: where a deployed database stands (read-only)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let project: string;
  let n = 0;

  before(async function () {
    const why = clusterUnavailableReason();
    if (why) this.skip();
    cluster = await startCluster();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-databases-'));
    fs.cpSync(path.join(repoRoot, 'examples/bookshop'), project, { recursive: true });
  });
  after(async () => {
    await cluster?.stop();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  /** A database whose alembic_version holds `rows` (as `alembic upgrade` or `stamp` leaves it). */
  async function databaseAt(rows: string[] | null): Promise<string> {
    const url = await cluster.createDatabase(`deployed_${++n}`);
    const c = new Client({ connectionString: url });
    await c.connect();
    if (rows) {
      // No autovacuum on it: its transactions would count in pg_stat_database while we watch.
      await c.query('CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY) WITH (autovacuum_enabled = false)');
      for (const r of rows) await c.query('INSERT INTO alembic_version VALUES ($1)', [r]);
    }
    await c.end();
    return url;
  }

  it('says a database at the head needs nothing (exit 0)', async () => {
    const r = runCliJson(['databases', project, '--database-url', await databaseAt([HEAD])], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.rows, [{ version: HEAD, at: 'head' }]);
    assert.deepEqual(r.json.need, { kind: 'nothing' });
  });

  it('places a database behind the head and tells the upgrade (exit 1)', async () => {
    const url = await databaseAt(['71e5a9c3b2d4']);
    const r = runCliJson(['databases', project, '--database-url', url], { env });
    assert.equal(r.status, 1);
    // 14 revisions, 6 applied up to the branch point: 8 to go.
    assert.deepEqual(r.json.rows, [{ version: '71e5a9c3b2d4', at: 'behind', behind: 8 }]);
    assert.equal(r.json.need.command, `alembic upgrade ${HEAD}`);
    const text = runCli(['databases', project, '--database-url', url], { env });
    assert.match(text.stdout, /71e5a9c3b2d4 {2}behind by 8/);
    assert.match(text.stdout, /needs: alembic upgrade c41d7e2a9b06 before deploying/);
  });

  it('reports an empty database and an unknown revision', async () => {
    const empty = runCliJson(['databases', project, '--database-url', await databaseAt(null)], { env });
    assert.equal(empty.json.tableExists, false);
    assert.equal(empty.json.need.kind, 'upgrade');
    const unknown = runCliJson(['databases', project, '--database-url', await databaseAt(['feedfacecafe'])], { env });
    assert.equal(unknown.status, 1);
    assert.equal(unknown.json.rows[0].at, 'unknown');
    assert.match(unknown.json.need.reason, /feedfacecafe is not in this project's history/);
  });

  it('after a squash under a new id: the old tip needs a stamp, a replaced revision an upgrade first', async function () {
    const squashed = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-databases-sq-'));
    try {
      fs.cpSync(project, squashed, { recursive: true });
      const sq = runCliJson(['squash', squashed, '--from', '8a1f4c7e2d95', '--to', HEAD, '--revision-id', 'new', '-m', 'late catalog work'], { env });
      assert.equal(sq.status, 0, sq.stderr);
      const newId: string = sq.json.plan.newRevision;

      const atTip = runCliJson(['databases', squashed, '--database-url', await databaseAt([HEAD])], { env });
      assert.deepEqual(atTip.json.rows, [{ version: HEAD, at: 'replaced', by: newId, tip: HEAD, pending: false }]);
      assert.deepEqual(atTip.json.need, { kind: 'stamp', from: [HEAD], to: newId, command: `alembic stamp --purge ${newId}`, afterDeploy: false });

      const inside = runCliJson(['databases', squashed, '--database-url', await databaseAt(['2d9c5f8b1e63'])], { env });
      assert.equal(inside.json.rows[0].at, 'replaced', JSON.stringify(inside.json));
      assert.deepEqual(inside.json.need, { kind: 'upgrade', target: HEAD, command: `alembic upgrade ${HEAD}`, beforeSquash: true });
    } finally {
      fs.rmSync(squashed, { recursive: true, force: true });
    }
  });

  it('never writes: a read-only role can run it, commits and rows stay the same, the password is never shown', async () => {
    const url = await databaseAt(['71e5a9c3b2d4']);
    const db = new URL(url).pathname.slice(1);
    const admin = new Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE squash_reader LOGIN PASSWORD 'Sekr3t-pw'`);
      const owner = new Client({ connectionString: url });
      await owner.connect();
      await owner.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
      await owner.query('GRANT USAGE ON SCHEMA public TO squash_reader');
      await owner.query('GRANT SELECT ON alembic_version TO squash_reader');
      const before = (await owner.query('SELECT version_num FROM alembic_version ORDER BY 1')).rows;
      await owner.end();

      const stats = async () => {
        await admin.query('SELECT pg_stat_clear_snapshot()');
        const r = await admin.query<{ c: string; r: string }>('SELECT xact_commit AS c, xact_rollback AS r FROM pg_stat_database WHERE datname = $1', [db]);
        return { commits: Number(r.rows[0]!.c), rollbacks: Number(r.rows[0]!.r) };
      };
      // Statistics arrive when a backend ends: wait until the figures have settled.
      const settled = async (from: { commits: number; rollbacks: number }) => {
        let last = from;
        for (let i = 0, same = 0; i < 200 && same < 5; i++) {
          const next = await new Promise((res) => setTimeout(res, 50)).then(stats);
          same = next.commits === last.commits && next.rollbacks === last.rollbacks ? same + 1 : 0;
          last = next;
        }
        return last;
      };
      const start = await settled(await stats());
      const readerUrl = url.replace('postgresql://postgres@', 'postgresql://squash_reader:Sekr3t-pw@');
      const r = runCli(['databases', project, '--database-url', readerUrl], { env });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /behind by 8/);
      assert.ok(!`${r.stdout}${r.stderr}`.includes('Sekr3t-pw'), 'the password is masked');
      assert.match(r.stdout, /squash_reader:\*\*\*@/);

      const end = await settled(start);
      assert.equal(end.rollbacks, start.rollbacks + 1, 'its one transaction ended with ROLLBACK');
      // PostgreSQL counts one commit for any session's start-up (a bare connect, measured here, does the same).
      const bare = new Client({ connectionString: readerUrl });
      await bare.connect();
      await bare.end();
      const afterBare = await settled(end);
      assert.equal(end.commits - start.commits, afterBare.commits - end.commits, 'no commit beyond what connecting itself counts');

      const check = new Client({ connectionString: url });
      await check.connect();
      assert.deepEqual((await check.query('SELECT version_num FROM alembic_version ORDER BY 1')).rows, before);
      await check.end();
    } finally {
      await admin.query('DROP OWNED BY squash_reader CASCADE').catch(() => undefined);
      await admin.end();
    }
  });

  it('an unreachable database gives the reason, exit 3, no password', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = runCliJson(['databases', project, '--database-url', `postgresql://app:Hidden-pw@127.0.0.1:${port}/prod`], { env });
    assert.equal(r.status, 3);
    assert.equal(r.json.reachable, false);
    assert.match(r.json.reason, new RegExp(`cannot connect to 127.0.0.1:${port}/prod as app: .*ECONNREFUSED`));
    assert.match(r.json.database, /app:\*\*\*@/);
    assert.ok(!JSON.stringify(r.json).includes('Hidden-pw'));
  });
});
