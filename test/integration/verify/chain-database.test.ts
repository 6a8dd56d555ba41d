import { strict as assert } from 'node:assert';
import { runAlembic } from '../../../src/core/alembic';
import { startServer, type ProviderChoice, type ThrowawayDatabase, type ThrowawayServer } from '../../../src/core/postgres';
import { withClient } from '../../../src/core/postgres/client';
import { verifySquash } from '../../../src/core/verify';
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

  it('is refused without the server it lives on', async () => {
    const db = await chainRun();
    try {
      await assert.rejects(verifySquash(verifyOptions(s, { chainDatabase: db })), /chainDatabase needs the server it lives on/);
    } finally {
      await shared!.server.dropDatabase(db);
    }
  });
});
