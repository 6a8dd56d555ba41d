import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { VerifyCancelledError, VerifyMigrationError, verifySquash, type VerifyOptions } from '../../../src/core/verify';
import type { ProviderOptions } from '../../../src/core/postgres';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { census, isAlive, leftSince, replaceOnce, squashFixture, verifyOptions, withCreatedText, type Squashed } from './support';

type Outcome = 'equal' | 'different' | 'failed' | 'cancelled';

/** Appends a statement to the end of the squash's upgrade(). */
const plantInUpgrade = (statement: string) => (t: string) => replaceOnce(t, '\n\ndef downgrade()', `\n    ${statement}\n\n\ndef downgrade()`);

async function runScenario(s: Squashed, outcome: Outcome, provider: ProviderOptions, log: string[]): Promise<void> {
  const controller = new AbortController();
  const options: VerifyOptions = verifyOptions(s, { provider, signal: controller.signal, log: (l) => log.push(l) });
  if (outcome === 'different') {
    options.candidate = { kind: 'edits', edits: withCreatedText(s.prepared.edits, plantInUpgrade("op.execute('CREATE TABLE stray_table (id integer)')")) };
  } else if (outcome === 'failed') {
    options.candidate = { kind: 'edits', edits: withCreatedText(s.prepared.edits, plantInUpgrade("raise RuntimeError('planted failure')")) };
  } else if (outcome === 'cancelled') {
    options.onEvent = (e) => {
      if (e.phase === 'migrate-chain' && e.status === 'begin') controller.abort();
    };
  }
  const settled = await verifySquash(options).then(
    (r) => ({ r }),
    (e: unknown) => ({ e }),
  );
  if (outcome === 'equal') assert.equal('r' in settled && settled.r.equal, true, JSON.stringify(settled));
  if (outcome === 'different') {
    assert.ok('r' in settled, String((settled as { e: unknown }).e));
    assert.equal(settled.r.equal, false);
    assert.ok(settled.r.schema.differences.some((d) => d.kind === 'table' && d.name === 'public.stray_table' && d.change === 'added'));
  }
  if (outcome === 'failed') assert.ok('e' in settled && settled.e instanceof VerifyMigrationError && settled.e.side === 'squash', JSON.stringify(settled));
  if (outcome === 'cancelled') assert.ok('e' in settled && settled.e instanceof VerifyCancelledError, String((settled as { e?: unknown }).e));
}

describe('verify removes everything it started', function () {
  this.timeout(180_000);
  let linear: Squashed;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    linear = await squashFixture('linear', 'base', 'head');
  });

  describe('local back end: no process, no temp folder left', () => {
    for (const outcome of ['equal', 'different', 'failed', 'cancelled'] as const) {
      it(`after ${outcome === 'equal' ? 'success' : outcome === 'different' ? 'a difference' : outcome === 'failed' ? 'a failing migration' : 'cancel during the chain upgrade'}`, async () => {
        const before = census();
        const log: string[] = [];
        await runScenario(linear, outcome, { provider: 'local' }, log);
        const pids = log.flatMap((l) => /postgres pid (\d+)/.exec(l)?.[1] ?? []).map(Number);
        assert.equal(pids.length, 1, `the server's pid was logged: ${log.join('\n')}`);
        assert.equal(isAlive(pids[0]!), false, `postgres ${pids[0]} stopped`);
        assert.deepEqual(leftSince(before), { processes: [], folders: [] });
      });
    }
  });

  it('when the interpreter lacks Alembic: a clear error, and the server started meanwhile is removed', async () => {
    const before = census();
    const log: string[] = [];
    const options = verifyOptions(linear, { provider: { provider: 'local' }, log: (l) => log.push(l) });
    options.python = '/nonexistent/bin/python3';
    await assert.rejects(verifySquash(options), (e: Error) => e.name === 'AlembicUnavailableError' && /--python/.test(e.message));
    for (const pid of log.flatMap((l) => /postgres pid (\d+)/.exec(l)?.[1] ?? []).map(Number)) assert.equal(isAlive(pid), false);
    assert.deepEqual(leftSince(before), { processes: [], folders: [] });
  });

  describe('url back end: only its own databases, all dropped', () => {
    let cluster: Cluster;
    let census0: ReturnType<typeof census>;
    const query = async (db: string, sql: string) => {
      const c = new Client({ connectionString: cluster.url(db) });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    };
    before(async () => {
      cluster = await startCluster();
      census0 = census();
      // A database the user cares about on the same server.
      await cluster.createDatabase('shop_prod');
      await query('shop_prod', "CREATE TABLE orders (id int PRIMARY KEY, note text); INSERT INTO orders VALUES (1, 'keep me')");
    });
    after(async () => cluster?.stop());

    for (const outcome of ['equal', 'different', 'failed', 'cancelled'] as const) {
      it(`after ${outcome}`, async () => {
        const log: string[] = [];
        await runScenario(linear, outcome, { provider: 'url', databaseUrl: cluster.url('postgres') }, log);
        const ours = await query('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'alembic\\_squash\\_%'");
        assert.deepEqual(ours, []);
        const dbs = (await query('postgres', 'SELECT datname FROM pg_database ORDER BY datname')).map((r) => r.datname);
        assert.deepEqual(dbs, ['postgres', 'shop_prod', 'template0', 'template1']);
        assert.deepEqual(await query('shop_prod', 'SELECT id, note FROM orders'), [{ id: 1, note: 'keep me' }]);
        assert.deepEqual(await query('shop_prod', "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"), [{ tablename: 'orders' }]);
        assert.deepEqual(leftSince(census0), { processes: [], folders: [] });
      });
    }
  });
});
