import { strict as assert } from 'node:assert';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import {
  captureData,
  captureSchema,
  compareData,
  compareSchemas,
  renderSchemaText,
  unifiedDiff,
  type ObjectDifference,
  type SchemaSnapshot,
} from '../../../src/core/schema';
import { dump, execute, sampleInOrderA, sampleInOrderB, withClient, type SampleOptions } from './sample';

describe('schema capture and comparison on PostgreSQL', function () {
  let cluster: Cluster;
  let counter = 0;
  let chain: SchemaSnapshot;

  /** A new database holding the sample (order A unless given), then `extra` statements. */
  async function database(extra: string[] = [], statements: string[] = sampleInOrderA()): Promise<string> {
    const name = `schema_${process.pid}_${++counter}`;
    const url = await cluster.createDatabase(name);
    await execute(url, [...statements, ...extra]);
    return name;
  }

  async function snapshot(db: string, withCatalog = true): Promise<SchemaSnapshot> {
    const dumpText = dump(cluster, db);
    if (!withCatalog) return captureSchema({ dumpText });
    return withClient(cluster.url(db), (client) => captureSchema({ dumpText, client }));
  }

  async function differencesAgainstChain(extra: string[], options?: SampleOptions): Promise<ObjectDifference[]> {
    const db = await database(extra, sampleInOrderA(options));
    return compareSchemas(chain, await snapshot(db)).differences;
  }

  function only(differences: ObjectDifference[]): ObjectDifference {
    assert.equal(differences.length, 1, JSON.stringify(differences.map((d) => [d.kind, d.name, d.change, d.detail])));
    return differences[0]!;
  }

  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    cluster = await startCluster();
    chain = await snapshot(await database());
  });
  after(async function () {
    await cluster?.stop();
  });

  it('finds two databases with the same objects created in a different order equal', async function () {
    const squash = await snapshot(await database([], sampleInOrderB()));
    const diff = compareSchemas(chain, squash);
    assert.deepEqual(diff.differences, []);
    assert.equal(diff.equal, true);
    assert.equal(renderSchemaText(chain), renderSchemaText(squash));
  });

  it('also finds them equal when only the dump text is compared', async function () {
    const a = await snapshot(await database(), false);
    const b = await snapshot(await database([], sampleInOrderB()), false);
    assert.deepEqual(compareSchemas(a, b).differences, []);
  });

  it('lists user objects but not those owned by an extension, nor alembic_version', function () {
    const names = [...chain.objects.values()].map((o) => `${o.kind} ${o.name}`);
    assert.ok(names.includes('extension pg_trgm'));
    assert.ok(names.includes('function app.touch_updated_at()'));
    assert.ok(names.includes('column app.users.email'));
    assert.ok(names.includes('index app.ix_users_name_trgm'));
    for (const fn of ['similarity', 'gtrgm_in', 'show_trgm', 'word_similarity']) {
      assert.ok(!names.some((n) => n.includes(fn)), `${fn} belongs to pg_trgm`);
    }
    assert.ok(!names.some((n) => n.includes('alembic_version')), names.filter((n) => n.includes('alembic')).join());
    assert.ok(!renderSchemaText(chain).includes('alembic_version'));
  });

  it('keeps a plpgsql body with ; and $$ in one statement', function () {
    const fn = chain.objects.get('function app.touch_updated_at()');
    assert.ok(fn?.text);
    assert.match(fn.text, /^CREATE FUNCTION app\.touch_updated_at\(\) RETURNS trigger/);
    assert.ok(fn.text.includes(`marker text := 'a;b $$ c';`));
    assert.match(fn.text, /END;\n\$_\$;$/); // pg_dump picks its own dollar quote
    const trigger = chain.objects.get('trigger app.users.users_touch');
    assert.match(trigger?.text ?? '', /^CREATE TRIGGER users_touch BEFORE UPDATE ON app\.users/);
  });

  it('reports a missing index by name', async function () {
    const d = only(await differencesAgainstChain(['DROP INDEX app.ix_users_email']));
    assert.deepEqual([d.kind, d.name, d.change], ['index', 'app.ix_users_email', 'removed']);
    assert.match(d.left ?? '', /CREATE UNIQUE INDEX ix_users_email ON app\.users USING btree \(lower\(email\)\)/);
  });

  it('reports a changed view definition', async function () {
    const d = only(
      await differencesAgainstChain([
        `CREATE OR REPLACE VIEW app.active_users AS SELECT id, email FROM app.users WHERE active AND email <> ''`,
      ]),
    );
    assert.deepEqual([d.kind, d.name, d.change], ['view', 'app.active_users', 'changed']);
    assert.match(d.right ?? '', /email <> ''/);
  });

  it('reports a different column order on the table', async function () {
    const d = only(await differencesAgainstChain([], { swapColumns: true }));
    assert.deepEqual([d.kind, d.name, d.change], ['table', 'app.users', 'changed']);
    assert.match(d.detail, /column order differs: \(id, email, display_name, .*\) vs \(id, display_name, email, /);
  });

  it('reports a different enum label order on the type', async function () {
    const d = only(await differencesAgainstChain([], { enumLabels: ['sad', 'happy', 'neutral'] }));
    assert.deepEqual([d.kind, d.name, d.change], ['type', 'app.mood', 'changed']);
    assert.match(d.detail, /label order differs: happy, sad, neutral vs sad, happy, neutral/);
  });

  it('reports a missing trigger', async function () {
    const d = only(await differencesAgainstChain(['DROP TRIGGER users_touch ON app.users']));
    assert.deepEqual([d.kind, d.name, d.change], ['trigger', 'app.users.users_touch', 'removed']);
  });

  it('reports a changed function body', async function () {
    const body = `CREATE OR REPLACE FUNCTION app.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END;
$fn$`;
    const d = only(await differencesAgainstChain([body]));
    assert.deepEqual([d.kind, d.name, d.change], ['function', 'app.touch_updated_at()', 'changed']);
    assert.match(d.right ?? '', /clock_timestamp\(\)/);
    assert.match(d.left ?? '', /now\(\)/);
  });

  it('reports a changed column default with both values', async function () {
    const d = only(await differencesAgainstChain([`ALTER TABLE app.orders ALTER COLUMN total SET DEFAULT 1`]));
    assert.deepEqual([d.kind, d.name, d.change], ['column', 'app.orders.total', 'changed']);
    assert.equal(d.detail, 'default: 0 → 1');
  });

  it('reports a missing comment', async function () {
    const d = only(await differencesAgainstChain([`COMMENT ON COLUMN app.users.email IS NULL`]));
    assert.deepEqual([d.kind, d.name, d.change], ['comment', 'column app.users.email', 'removed']);
    assert.match(d.left ?? '', /Login address/);
  });

  it('reports an added table with its columns, in kind order', async function () {
    const differences = await differencesAgainstChain([`CREATE TABLE app.audit (id int, at timestamptz)`]);
    assert.deepEqual(
      differences.map((d) => [d.kind, d.name, d.change]),
      [
        ['table', 'app.audit', 'added'],
        ['column', 'app.audit.at', 'added'],
        ['column', 'app.audit.id', 'added'],
      ],
    );
  });

  it('gives a unified diff of the rendered schemas', async function () {
    const other = await snapshot(await database(['DROP INDEX app.ix_users_email']));
    const patch = unifiedDiff(chain, other, { left: 'chain', right: 'squash' });
    assert.match(patch, /^--- chain/m);
    assert.match(patch, /^\+\+\+ squash/m);
    assert.match(patch, /^-CREATE UNIQUE INDEX ix_users_email/m);
    assert.ok(!/^\+/m.test(patch.split('\n').filter((l) => !l.startsWith('+++')).join('\n')));
  });

  it('reports a missing seed row with its values', async function () {
    const chainDb = await database();
    const squashDb = await database([`DELETE FROM app.statuses WHERE code = 'void'`], sampleInOrderB());
    const a = await withClient(cluster.url(chainDb), (c) => captureData(c));
    const b = await withClient(cluster.url(squashDb), (c) => captureData(c));
    assert.deepEqual([...a.tables.keys()], ['app.statuses']); // alembic_version is not data
    const diff = compareData(a, b);
    assert.equal(diff.equal, false);
    assert.equal(diff.differences.length, 1);
    const d = diff.differences[0]!;
    assert.equal(d.table, 'app.statuses');
    assert.equal(d.change, 'changed');
    assert.deepEqual([d.leftCount, d.rightCount], [3, 2]);
    assert.deepEqual(d.missing, { count: 1, examples: [{ code: 'void', label: 'Cancelled' }] });
    assert.equal(d.extra.count, 0);

    const same = await withClient(cluster.url(await database([], sampleInOrderB())), (c) => captureData(c));
    assert.equal(compareData(a, same).equal, true);
  });

  it('captures an empty table only when asked to', async function () {
    const db = await database();
    const data = await withClient(cluster.url(db), (c) => captureData(c, { tables: ['app.users'] }));
    assert.deepEqual([...data.tables.keys()].sort(), ['app.statuses', 'app.users']);
    assert.deepEqual(data.tables.get('app.users')?.rows, []);
  });
});
