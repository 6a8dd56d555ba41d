import { strict as assert } from 'node:assert';
import { runAlembic } from '../../../src/core/alembic';
import { startServer, type ProviderChoice, type ThrowawayDatabase, type ThrowawayServer } from '../../../src/core/postgres';
import { withClient } from '../../../src/core/postgres/client';
import { verifySquash, VerifyMigrationError } from '../../../src/core/verify';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { PYTHON, squashFixture, verifyOptions, type Squashed } from './support';

/** VerifyOptions.chainDatabase: side A is a database the caller already ran the chain into (the snapshot strategy does). */
describe('verifySquash with a chain database the caller ran', function () {
  this.timeout(180_000);
  let shared: { server: ThrowawayServer; choice: ProviderChoice } | undefined;
  let s: Squashed;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    s = await squashFixture('linear', 'base', 'head');
    shared = await startServer({ provider: 'local' });
  });
  after(async () => shared?.server.dispose());

  const chainRun = async (): Promise<ThrowawayDatabase> => {
    const db = await shared!.server.createDatabase();
    await runAlembic({ python: PYTHON, project: { configPath: s.project.configPath! }, databaseUrl: db.url }, { command: 'upgrade', target: 'heads' });
    return db;
  };

  it('proves the squash equal against it, and leaves the database to the caller', async () => {
    const db = await chainRun();
    const r = await verifySquash(verifyOptions(s, { server: shared, chainDatabase: db }));
    assert.equal(r.equal, true, r.unifiedDiff);
    assert.ok(r.texts.chain.includes('-- table public.users'), 'side A held the chain');
    // Still there (verify drops only what it created): the caller drops it.
    await shared!.server.dropDatabase(db);
  });

  it('compares that very database: a table planted in it is a difference', async () => {
    const db = await chainRun();
    try {
      await withClient({ connectionString: db.url }, (c) => c.query('CREATE TABLE planted (id int PRIMARY KEY)'));
      const r = await verifySquash(verifyOptions(s, { server: shared, chainDatabase: db }));
      assert.equal(r.equal, false);
      assert.ok(r.schema.differences.some((d) => d.name === 'public.planted'), JSON.stringify(r.schema.differences.map((d) => d.name)));
    } finally {
      await shared!.server.dropDatabase(db);
    }
  });

  it("judges the caller's early downgrade of a copy of it: a table planted in that copy is the chain's lossy downgrade", async () => {
    const db = await chainRun();
    const copy = await shared!.server.cloneDatabase!(db);
    try {
      await runAlembic({ python: PYTHON, project: { configPath: s.project.configPath! }, databaseUrl: copy.url }, { command: 'downgrade', target: 'base' });
      await withClient({ connectionString: copy.url }, (c) => c.query('CREATE TABLE planted (id int PRIMARY KEY)'));
      const r = await verifySquash(verifyOptions(s, { server: shared, chainDatabase: db, chainDowngraded: Promise.resolve(copy) }));
      // The squash's downgrade gives the empty database a fresh upgrade to base gives: still equal, and
      // what the chain's (copied) downgrade left is told as the history's own.
      assert.equal(r.equal, true, r.unifiedDiff);
      const lossy = r.information.filter((i) => i.where === 'downgrade').map((i) => i.name);
      assert.ok(lossy.includes('public.planted'), JSON.stringify(lossy));
      // Side A itself was not downgraded by verify: it is still at the tip.
      const tables = await withClient({ connectionString: db.url }, (c) => c.query("SELECT 1 FROM pg_tables WHERE tablename = 'users'"));
      assert.equal(tables.rowCount, 1);
    } finally {
      await shared!.server.dropDatabase(copy);
      await shared!.server.dropDatabase(db);
    }
  });

  it("an early downgrade that failed is the chain's downgrade failing", async () => {
    const db = await chainRun();
    try {
      const failed = Promise.reject(new Error('downgrade() raised NotImplementedError'));
      failed.catch(() => undefined); // as a caller does: verify reads it only in its downgrade phase
      await assert.rejects(
        verifySquash(verifyOptions(s, { server: shared, chainDatabase: db, chainDowngraded: failed })),
        (e: Error) => e instanceof VerifyMigrationError && e.side === 'chain' && e.step === 'downgrade base' && /NotImplementedError/.test(e.message),
      );
    } finally {
      await shared!.server.dropDatabase(db);
    }
  });

  it('is refused without the server it lives on', async () => {
    const db = await chainRun();
    try {
      await assert.rejects(verifySquash(verifyOptions(s, { chainDatabase: db })), /chainDatabase needs the server it lives on/);
    } finally {
      await shared!.server.dropDatabase(db);
    }
  });
});
