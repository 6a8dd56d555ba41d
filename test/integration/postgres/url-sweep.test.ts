import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { startServer } from '../../../src/core/postgres';
import { LocalServer } from '../../../src/core/postgres/local';
import { databaseComment, quoteLiteral } from '../../../src/core/postgres/names';
import { runCli } from '../../support/cli';
import { skipWithoutPostgres } from '../../support/pg-cluster';

/**
 * Leftover throwaway databases on a user's server: each carries its creator in a COMMENT; the next
 * url run and `alembic-squash cleanup --database-url` drop those whose process is gone, and say so.
 */
describe('url back end: no database left on the user\'s server', function () {
  this.timeout(120_000);
  let users: LocalServer;
  let url: string;

  async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ host: '127.0.0.1', port: users.port, user: 'postgres', database: 'postgres' });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  }
  const ours = async () => (await sql<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'alembic_squash_%' ORDER BY 1")).map((r) => r.datname);
  /** A database as a killed run leaves it: our name, our comment, with the given owner. */
  async function leftover(name: string, owner: { pid: number; host: string; created: string }) {
    await sql(`CREATE DATABASE ${name}`);
    await sql(`COMMENT ON DATABASE ${name} IS ${quoteLiteral(databaseComment(owner))}`);
  }
  /** The pid of a process that has finished: gone for sure. */
  const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const host = require('node:os').hostname() as string;

  before(async function () {
    skipWithoutPostgres(this);
    users = await LocalServer.start({ provider: 'local' });
    url = `postgresql://postgres@127.0.0.1:${users.port}/postgres`;
  });
  afterEach(async () => {
    for (const name of await ours()) await sql(`DROP DATABASE ${name}`);
  });
  after(async () => {
    await users?.dispose();
  });

  it('every database it creates carries its creator (pid, host, time) in a COMMENT', async () => {
    const { server } = await startServer({ provider: 'url', databaseUrl: url });
    try {
      const db = await server.createDatabase();
      const [row] = await sql<{ comment: string }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [db.name]);
      assert.match(db.name, /^alembic_squash_[0-9a-f]{12}$/);
      assert.match(row!.comment, new RegExp(`"pid":${process.pid},"host":"${host}","created":"\\d{4}-`));
    } finally {
      await server.dispose();
    }
    assert.deepEqual(await ours(), []);
  });

  it('cleanup drops the databases of dead processes, keeps live and foreign ones, and names what is left', async () => {
    const now = new Date().toISOString();
    await leftover('alembic_squash_dead00000001', { pid: Number(deadPid()), host, created: now });
    // This test process is alive and started before the database was made: its database stays.
    await leftover('alembic_squash_live00000001', { pid: process.pid, host, created: now });
    await leftover('alembic_squash_else00000001', { pid: 4242, host: 'another-machine', created: now });
    await sql('CREATE DATABASE app_prod');

    const r = runCli(['cleanup', '--database-url', url]);
    assert.match(r.stdout, /removed database alembic_squash_dead00000001 on 127\.0\.0\.1:\d+/);
    assert.match(r.stderr, /left database alembic_squash_else00000001 .* created on another-machine .* To remove it: DROP DATABASE "alembic_squash_else00000001";/);
    assert.doesNotMatch(r.stdout, /✓ cleanup/);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.deepEqual(await ours(), ['alembic_squash_else00000001', 'alembic_squash_live00000001']);
    assert.equal((await sql("SELECT 1 FROM pg_database WHERE datname = 'app_prod'")).length, 1, 'never touches anything else');
    await sql('DROP DATABASE alembic_squash_else00000001');
    await sql('DROP DATABASE alembic_squash_live00000001');
    const clean = runCli(['cleanup', '--database-url', url]);
    assert.equal(clean.status, 0);
    assert.match(clean.stdout, /✓ cleanup/);
  });

  it('the next url run drops what a killed run left, and says so', async () => {
    await leftover('alembic_squash_dead00000002', { pid: Number(deadPid()), host, created: new Date().toISOString() });
    const logs: string[] = [];
    const { server } = await startServer({ provider: 'url', databaseUrl: url, log: (l) => logs.push(l) });
    await server.dispose();
    assert.ok(logs.some((l) => /dropped leftover database alembic_squash_dead00000002 .*its process is gone/.test(l)), logs.join('\n'));
    assert.deepEqual(await ours(), []);
  });
});
