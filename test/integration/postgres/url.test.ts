import { strict as assert } from 'node:assert';
import { appendFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { maskUrl, ProviderUnavailableError, startServer } from '../../../src/core/postgres';
import { LocalServer } from '../../../src/core/postgres/local';
import { assertNothingLeft } from './leftovers';
import { skipWithoutPostgres } from '../../support/pg-cluster';

const OWNER_PASSWORD = 'S3cret-Owner-pa55';
const READER_PASSWORD = 'R3ader-only-pa55';
const ADMIN_PASSWORD = 'Adm1n-pa55';

describe('url back end (temporary databases on a server the user names)', function () {
  this.timeout(120_000);
  let users: LocalServer;
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  let base: string;

  async function admin<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ host: '127.0.0.1', port: users.port, user: 'postgres', password: ADMIN_PASSWORD, database });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
  const databases = () =>
    admin('postgres', async (c) => (await c.query('SELECT datname FROM pg_database ORDER BY 1')).rows.map((r) => r.datname as string));

  before(async function () {
    skipWithoutPostgres(this);
    // The "user's server": a cluster with password authentication, two roles and a production-like database.
    users = await LocalServer.start({ provider: 'local' });
    base = `postgresql://%s@127.0.0.1:${users.port}`;
    const setup = new Client({ host: '127.0.0.1', port: users.port, user: 'postgres', database: 'postgres' });
    await setup.connect();
    await setup.query(`CREATE ROLE app_owner LOGIN CREATEDB PASSWORD '${OWNER_PASSWORD}'`);
    await setup.query(`CREATE ROLE app_reader LOGIN PASSWORD '${READER_PASSWORD}'`);
    await setup.query('CREATE DATABASE app_prod OWNER app_owner');
    await setup.query(`ALTER ROLE postgres PASSWORD '${ADMIN_PASSWORD}'`);
    const hba = path.join(users.folder, 'data', 'pg_hba.conf');
    writeFileSync(hba, 'local all all trust\n');
    appendFileSync(hba, 'host all all 127.0.0.1/32 scram-sha-256\n');
    await setup.query('SELECT pg_reload_conf()');
    await setup.end();
    await admin('app_prod', async (c) => {
      await c.query('CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL)');
      await c.query("INSERT INTO customers VALUES (1, 'ada@example.com'), (2, 'grace@example.com')");
      await c.query('ALTER TABLE customers OWNER TO app_owner');
    });
  });

  after(async () => {
    await users?.dispose();
    assertNothingLeft();
  });

  function assertNoPassword(texts: string[]) {
    for (const text of texts) {
      for (const secret of [OWNER_PASSWORD, READER_PASSWORD, encodeURIComponent(OWNER_PASSWORD)]) {
        assert.ok(!text.includes(secret), `password visible in: ${text}`);
      }
    }
  }

  it('refuses a role without CREATEDB, saying what to do, without showing the password', async () => {
    const url = base.replace('%s', `app_reader:${READER_PASSWORD}`) + '/app_prod';
    const before = await databases();
    const error = await startServer({ provider: 'url', databaseUrl: url, log }).then(
      () => assert.fail('started with a role that cannot create databases'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProviderUnavailableError);
    assert.equal(error.code, 'url-no-createdb');
    assert.match(error.message, /app_reader/);
    assert.match(error.message, /CREATEDB/);
    assertNoPassword([error.message, ...logs]);
    assert.deepEqual(await databases(), before);
  });

  it('reports a wrong password without echoing it', async () => {
    const url = base.replace('%s', 'app_owner:not-the-password') + '/app_prod';
    const error = await startServer({ provider: 'url', databaseUrl: url, log }).then(
      () => assert.fail('connected with a wrong password'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProviderUnavailableError);
    assert.equal(error.code, 'url-unreachable');
    assert.match(error.message, /password authentication failed/);
    assert.ok(!error.message.includes('not-the-password'), error.message);
  });

  it('creates, dumps and drops only its own databases; the existing database is untouched', async () => {
    const before = await databases();
    const url = base.replace('%s', `app_owner:${OWNER_PASSWORD}`).replace('postgresql://', 'postgresql+psycopg2://') + '/app_prod';
    const { server, choice } = await startServer({ provider: 'url', databaseUrl: url, log });
    assert.equal(choice.kind, 'url');
    assert.equal(server.majorVersion, users.majorVersion);
    try {
      const a = await server.createDatabase();
      const b = await server.createDatabase();
      assert.match(a.url, /^postgresql:\/\/app_owner:/, 'driver part stripped, credentials kept for Alembic');
      assert.equal(a.password, OWNER_PASSWORD);
      assert.deepEqual((await databases()).sort(), [...before, a.name, b.name].sort());

      const client = new Client({ connectionString: a.url });
      await client.connect();
      await client.query('CREATE TABLE ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric(12,2))');
      await client.query('CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)');
      await client.end();
      const dump = await server.dumpSchema(a);
      assert.match(dump, /CREATE TABLE public\.ledger/);
      assert.doesNotMatch(dump, /alembic_version|customers/);

      await assert.rejects(
        server.dropDatabase({ name: 'app_prod', host: '127.0.0.1', port: users.port, user: 'app_owner', url: '' }),
        (e: Error & { code?: string }) => e.code === 'not-ours',
      );
      await server.dropDatabase(b);
      assert.deepEqual((await databases()).sort(), [...before, a.name].sort());
    } finally {
      await server.dispose();
    }
    assert.deepEqual(await databases(), before);
    const customers = await admin('app_prod', async (c) => (await c.query('SELECT id, email FROM customers ORDER BY id')).rows);
    assert.deepEqual(customers, [
      { id: 1, email: 'ada@example.com' },
      { id: 2, email: 'grace@example.com' },
    ]);
    assert.ok(logs.length > 0);
    assertNoPassword(logs);
    assertNoPassword([server.description]);
  });

  it('masks passwords in connection URLs', () => {
    assert.equal(maskUrl('postgresql://app:s3cret@db.internal:5432/prod'), 'postgresql://app:***@db.internal:5432/prod');
    assert.equal(maskUrl('using postgresql+psycopg2://app:p@ss@db/prod now'), 'using postgresql+psycopg2://app:***@db/prod now');
    assert.equal(maskUrl('postgresql://app@db:5432/prod'), 'postgresql://app@db:5432/prod');
    assert.equal(maskUrl('host=db password=s3cret user=app'), 'host=db password=*** user=app');
  });
});
