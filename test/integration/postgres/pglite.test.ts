import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { ProviderUnavailableError, startServer, type ThrowawayServer } from '../../../src/core/postgres';
import { dataDirCacheFile } from '../../../src/core/postgres/pglite';
import { isPortFree } from '../../../src/core/postgres/ports';
import { assertNothingLeft } from './leftovers';

async function query(url: string, sql: string) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('pglite back end (embedded PostgreSQL 18)', function () {
  this.timeout(180_000);
  let cache: string;
  const savedXdg = process.env.XDG_CACHE_HOME;
  let server: ThrowawayServer;

  before(async () => {
    // A private cache folder: the first start initializes a data dir and caches it there.
    cache = mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-test-cache-'));
    process.env.XDG_CACHE_HOME = cache;
    ({ server } = await startServer({ provider: 'pglite', extensions: ['pg_trgm', 'uuid-ossp'] }));
  });

  after(async () => {
    await server?.dispose();
    if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = savedXdg;
    rmSync(cache, { recursive: true, force: true });
    assertNothingLeft();
  });

  it('caches a fresh data dir for the PGlite version and extension set', () => {
    assert.equal(server.kind, 'pglite');
    assert.equal(server.majorVersion, 18);
    const files = [dataDirCacheFile('0.5.8', ['pg_trgm', 'uuid_ossp'])];
    assert.ok(files[0].startsWith(path.join(cache, 'alembic-squash')));
    assert.ok(existsSync(files[0]), `no cache file ${files[0]}`);
  });

  it('serves each database as a separate instance with the requested extensions, dumps it, and frees ports', async () => {
    const a = await server.createDatabase();
    const b = await server.createDatabase();
    assert.notEqual(a.port, b.port);
    const version = await query(a.url, "SELECT current_setting('server_version_num')::int AS num");
    assert.equal(Math.floor(version.rows[0].num / 10000), 18);
    // Each instance holds its shared buffers in its own memory: capped, not PostgreSQL's 128 MB.
    assert.equal((await query(b.url, "SELECT current_setting('shared_buffers') AS v")).rows[0].v, '16MB');

    await query(a.url, 'CREATE EXTENSION pg_trgm');
    await query(a.url, 'CREATE EXTENSION "uuid-ossp"');
    await query(a.url, 'CREATE TABLE users (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), name text NOT NULL)');
    await query(a.url, 'CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops)');
    await query(a.url, 'CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)');
    await query(a.url, "INSERT INTO users (name) VALUES ('Ada Lovelace')");
    assert.equal((await query(a.url, "SELECT similarity(name, 'Ada Lovelac') > 0.5 AS close FROM users")).rows[0].close, true);

    const inB = await query(b.url, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'users'");
    assert.equal(inB.rows[0].n, 0, 'the second database sees the first one\'s table');

    const dump = await server.dumpSchema(a);
    assert.match(dump, /CREATE TABLE public\.users \(/);
    assert.match(dump, /CREATE INDEX users_name_trgm ON public\.users USING gin \(name public\.gin_trgm_ops\)/);
    assert.doesNotMatch(dump, /alembic_version/);
    // The served instance keeps answering new connections after a dump, and dumps again.
    assert.equal((await query(a.url, 'SELECT count(*)::int AS n FROM users')).rows[0].n, 1);
    await query(a.url, 'DROP INDEX users_name_trgm');
    assert.doesNotMatch(await server.dumpSchema(a), /users_name_trgm/);

    await server.dropDatabase(a);
    assert.equal(await isPortFree(a.port), true);
    await server.dispose();
    assert.equal(await isPortFree(b.port), true);
  });

  it('accepts a psycopg2 connection (what Alembic uses)', async () => {
    ({ server } = await startServer({ provider: 'pglite' }));
    const db = await server.createDatabase();
    const script = [
      'import sys, psycopg2',
      'conn = psycopg2.connect(sys.argv[1]); cur = conn.cursor()',
      'cur.execute("CREATE TABLE t (id int)"); cur.execute("INSERT INTO t VALUES (41), (1)"); conn.commit()',
      'cur.execute("SELECT sum(id) FROM t"); print(cur.fetchone()[0]); conn.close()',
    ].join('\n');
    // Async spawn: the PGlite socket lives in this process's event loop.
    const output = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn('/usr/bin/python3', ['-c', script, db.url]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    assert.equal(output.code, 0, output.err);
    assert.equal(output.out.trim(), '42');
    assert.equal((await query(db.url, 'SELECT count(*)::int AS n FROM t')).rows[0].n, 2);
  });

  it('refuses an extension it cannot load, naming it and the alternatives', async () => {
    const error = await startServer({ provider: 'pglite', extensions: ['postgis', 'pg_trgm'] }).then(
      () => assert.fail('started without postgis'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProviderUnavailableError);
    assert.equal(error.code, 'pglite-extension-unsupported');
    assert.match(error.message, /postgis/);
    assert.doesNotMatch(error.message, /pg_trgm/);
    assert.match(error.message, /--provider local/);
  });
});
