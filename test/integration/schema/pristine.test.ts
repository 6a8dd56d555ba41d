// A database downgraded to base is compared with a fresh one by its catalogs (catalogFingerprint)
// before it is dumped: a match must mean its capture is the fresh database's, and anything a
// downgrade can leave behind, or change without creating an object, must not match.
import { strict as assert } from 'node:assert';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { captureSchema, catalogFingerprint, compareSchemas, dropVersionTables, type SchemaSnapshot } from '../../../src/core/schema';
import { dump, execute, withClient } from './sample';

/** What a history's upgrade and downgrade to base may create and then drop again. */
const ROUND_TRIP = [
  'CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)',
  "CREATE TYPE mood AS ENUM ('ok', 'sad')",
  'CREATE SCHEMA app',
  'CREATE TABLE app.things (id serial PRIMARY KEY, mood mood, name text UNIQUE)',
  'CREATE INDEX things_lower ON app.things (lower(name))',
  'CREATE VIEW app.names AS SELECT name FROM app.things',
  "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
  'CREATE TRIGGER t BEFORE INSERT ON app.things FOR EACH ROW EXECUTE FUNCTION app.touch()',
  "COMMENT ON TABLE app.things IS 'things'",
  "INSERT INTO app.things (mood, name) VALUES ('ok', 'a')",
  'DROP VIEW app.names',
  'DROP TABLE app.things',
  'DROP FUNCTION app.touch()',
  'DROP SCHEMA app',
  'DROP TYPE mood',
];

describe('catalog fingerprint: a database that holds what a fresh one holds', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let counter = 0;
  let fresh: { fingerprint: string; capture: SchemaSnapshot };

  async function database(statements: string[]): Promise<string> {
    const name = `pristine_${process.pid}_${++counter}`;
    const url = await cluster.createDatabase(name);
    if (statements.length) await execute(url, statements);
    return name;
  }
  const fingerprint = (db: string) =>
    withClient(cluster.url(db), async (client) => {
      await dropVersionTables(client);
      return catalogFingerprint(client);
    });
  const capture = (db: string) => withClient(cluster.url(db), (client) => captureSchema({ dumpText: dump(cluster, db), client }));

  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    cluster = await startCluster();
    const db = await database([]);
    fresh = { fingerprint: await fingerprint(db), capture: await capture(db) };
  });
  after(async () => {
    await cluster?.stop();
  });

  it('another fresh database, and one where objects were created and all dropped again (its version table too), match', async () => {
    assert.equal(await fingerprint(await database([])), fresh.fingerprint);
    const roundTrip = await database(ROUND_TRIP);
    assert.equal(await fingerprint(roundTrip), fresh.fingerprint);
    // And so their captures are the same: what the match stands for.
    assert.equal(compareSchemas(fresh.capture, await capture(roundTrip)).equal, true);
  });

  const leftBehind: [string, string[]][] = [
    ['a table', ['CREATE TABLE t (id int)']],
    ['an enum type', ["CREATE TYPE mood AS ENUM ('ok')"]],
    ['a schema', ['CREATE SCHEMA app']],
    ['a function', ['CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$']],
    ['a sequence', ['CREATE SEQUENCE s']],
    ['a domain', ['CREATE DOMAIN positive AS int CHECK (VALUE > 0)']],
    ['a comment on schema public', ["COMMENT ON SCHEMA public IS 'ours'"]],
    ['schema public renamed', ['ALTER SCHEMA public RENAME TO app']],
    ['plpgsql dropped', ['DROP EXTENSION plpgsql']],
    ['a text search configuration', ['CREATE TEXT SEARCH CONFIGURATION mine (COPY = simple)']],
    ['an event trigger', ["CREATE FUNCTION et() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$", 'CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION et()']],
    ['a publication', ['CREATE PUBLICATION p']],
    ['a version table kept by another name', ['CREATE TABLE my_versions (version_num varchar(32) PRIMARY KEY)']],
  ];
  for (const [what, statements] of leftBehind) {
    it(`${what} left behind: no match`, async () => {
      const db = await database(statements);
      assert.notEqual(await fingerprint(db), fresh.fingerprint);
    });
  }
});
