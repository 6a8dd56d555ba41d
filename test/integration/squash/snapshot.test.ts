// The snapshot strategy on every fixture shape: proven equal by verify, then checked again from the
// outside: the written file alone loads in real Alembic, an empty database upgraded with it dumps
// (`pg_dump -s -O -x`) exactly like the chain's, and its downgrade leaves nothing behind.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { loadProject } from '../../../src/core/project';
import { applyEdits } from '../../../src/core/squash';
import { snapshotSquash, squashWithStrategy, SnapshotNotProvenError, SnapshotRangeError, type SnapshotSquash } from '../../../src/core/squash/snapshot';
import { copyFixture, PYTHON } from '../../unit/squash/support';

process.env.ALEMBIC_SQUASH_PYTHON = PYTHON;

function alembic(dir: string, args: string[], url: string): { ok: boolean; out: string } {
  const r = spawnSync(PYTHON, ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), '-x', `url=${url}`, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', DATABASE_URL: url },
  });
  return { ok: r.status === 0, out: `${r.stdout}\n${r.stderr}` };
}

/** pg_dump's schema without its per-run lines (`\restrict KEY`) and Alembic's bookkeeping table. */
function dumpSchema(cluster: Cluster, db: string): string {
  const r = spawnSync(path.join(cluster.binDir, 'pg_dump'), ['-s', '-O', '-x', '-T', 'alembic_version', '-h', cluster.host, '-p', String(cluster.port), '-U', cluster.user, db], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('\\restrict') && !l.startsWith('\\unrestrict'))
    .join('\n');
}

function psql(cluster: Cluster, db: string, sql: string): string {
  const r = spawnSync(path.join(cluster.binDir, 'psql'), ['-XAtq', '-h', cluster.host, '-p', String(cluster.port), '-U', cluster.user, '-d', db, '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const OBJECTS_LEFT = `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.relname NOT LIKE 'alembic_version%'`;

interface Case {
  fixture: string;
  to: string;
  heads: string[];
  /** Kinds the docstring must count. */
  counts?: Record<string, number>;
  seeded?: string[];
  reEmitted?: string[];
  dumpTables?: string[];
  format?: 'sql';
}

const cases: Case[] = [
  {
    fixture: 'views-functions-triggers',
    to: 'head',
    heads: ['e73dbc014db1'],
    counts: { extension: 1, enum: 1, function: 3, table: 4, view: 1, 'materialized view': 1, trigger: 2, 'foreign key': 3 },
    seeded: ['public.priorities', 'public.sla_policies'],
  },
  {
    fixture: 'snapshot-shapes',
    to: 'head',
    heads: ['b2d8f0a4c6e1'],
    counts: { schema: 1, domain: 1, function: 1, sequence: 2, table: 8, 'materialized view': 1, policy: 1, rule: 1, 'foreign key': 4 },
    seeded: ['billing.payment_methods', 'public.countries', 'public.coupons', 'public.currencies', 'public.departments', 'public.employees'],
    reEmitted: ['public.coupons'],
    dumpTables: ['billing.invoices'],
  },
  { fixture: 'views-functions-triggers', to: 'head', heads: ['e73dbc014db1'], format: 'sql', seeded: ['public.priorities', 'public.sla_policies'] },
  { fixture: 'linear', to: 'head', heads: ['0d3b8f5a61c9'] },
  { fixture: 'data-migrations', to: 'head', heads: ['6dbaf1c8b1ff'] },
  { fixture: 'depends-on', to: 'head', heads: ['f45dc86c9ea4'] },
  // Its CHECK (status IN (…)) comes back from pg_dump differently: re-emitted as the IN list.
  { fixture: 'branch-merge', to: 'ccfb5e658949', heads: ['116789ada3ab'], reEmitted: ['public.invoices'] },
  { fixture: 'merge-three', to: 'head', heads: ['ev0003'] },
  // Catalog objects no table takes with it: the downgrade drops each of them by name.
  { fixture: 'snapshot-catalog', to: 'head', heads: ['d2b8f1c46e21'] },
];

describe('snapshot strategy: proven, then run by real Alembic (local PostgreSQL)', function () {
  this.timeout(300_000);
  let cluster: Cluster | undefined;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    cluster = await startCluster();
  });
  after(async () => cluster?.stop());

  for (const c of cases) {
    it(`${c.fixture} base..${c.to}${c.format ? ' --snapshot-format sql' : ''}: equal to the chain, same pg_dump, downgrade to an empty database`, async () => {
      const copy = copyFixture(c.fixture);
      const id = Math.random().toString(16).slice(2, 10);
      const [chainDb, squashDb] = [`chain_${id}`, `snap_${id}`];
      try {
        const project = loadProject(copy.dir);
        const s = await snapshotSquash({ project, python: PYTHON, from: 'base', to: c.to, provider: { provider: 'local' }, format: c.format });
        assert.equal(s.proof.equal, true, s.proof.unifiedDiff);
        assert.equal(s.proof.downgrade?.target, 'base');
        assert.deepEqual(s.reEmitted, c.reEmitted ?? []);
        if (!c.format) assert.deepEqual(s.facts.dumpTables.filter((t) => t.reason !== 'its Alembic rendering differed from the chain').map((t) => `${t.schema}.${t.table}`), c.dumpTables ?? []);
        for (const [kind, n] of Object.entries(c.counts ?? {})) assert.equal(s.bodies.counts[kind], n, `${kind} in ${JSON.stringify(s.bodies.counts)}`);
        if (c.seeded) assert.deepEqual(s.bodies.seeded.map((t) => t.table).sort(), c.seeded);
        assertReadable(s);
        const sidecar = s.edits.find((e) => e.kind === 'create' && e.path.endsWith('.sql'));
        assert.equal(!!sidecar, c.format === 'sql', 'a .sql file next to the revision only with --snapshot-format sql');
        if (c.format) assert.doesNotMatch(s.render.text, /op\.create_table|CREATE FUNCTION/, 'the schema is in the .sql file');

        // The chain's own database, from the untouched fixture.
        const chainUrl = await cluster!.createDatabase(chainDb);
        const chainUp = alembic(copy.dir, ['upgrade', 'heads'], chainUrl);
        assert.ok(chainUp.ok, chainUp.out);

        applyEdits(s.edits, { journalDir: path.join(copy.dir, '.alembic-squash') });
        const heads = alembic(copy.dir, ['heads'], chainUrl);
        assert.ok(heads.ok, heads.out);
        for (const h of c.heads) assert.match(heads.out, new RegExp(`^${h} \\(head\\)`, 'm'));

        const url = await cluster!.createDatabase(squashDb);
        const up = alembic(copy.dir, ['upgrade', 'heads'], url);
        assert.ok(up.ok, up.out);
        assert.equal(dumpSchema(cluster!, squashDb), dumpSchema(cluster!, chainDb));
        for (const table of c.seeded ?? []) {
          const rows = (db: string) => psql(cluster!, db, `SELECT count(*) FROM ${table}`);
          assert.equal(rows(squashDb), rows(chainDb), `rows of ${table}`);
        }
        const down = alembic(copy.dir, ['downgrade', 'base'], url);
        assert.ok(down.ok, down.out);
        assert.equal(psql(cluster!, squashDb, OBJECTS_LEFT), '0', 'the downgrade drops every table, view and sequence');
        assert.equal(psql(cluster!, squashDb, "SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'"), '0');
        const catalog = `SELECT (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public')
          + (SELECT count(*) FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = 'public')
          + (SELECT count(*) FROM pg_cast WHERE oid >= 16384) + (SELECT count(*) FROM pg_event_trigger) + (SELECT count(*) FROM pg_publication)`;
        assert.equal(psql(cluster!, squashDb, catalog), '0', 'the downgrade drops functions, aggregates, operators, casts, event triggers and publications');
      } finally {
        for (const db of [chainDb, squashDb]) await cluster!.dropDatabase(db).catch(() => undefined);
        copy.cleanup();
      }
    });
  }

  it('offline: `alembic upgrade head --sql` of a snapshot writes a script that builds the chain\'s schema and rows', async () => {
    const copy = copyFixture('views-functions-triggers');
    const id = Math.random().toString(16).slice(2, 10);
    const [chainDb, offlineDb] = [`chain_${id}`, `offline_${id}`];
    try {
      const project = loadProject(copy.dir);
      const s = await snapshotSquash({ project, python: PYTHON, from: 'base', to: 'head', provider: { provider: 'local' } });
      const chainUrl = await cluster!.createDatabase(chainDb);
      assert.ok(alembic(copy.dir, ['upgrade', 'heads'], chainUrl).ok);
      applyEdits(s.edits, { journalDir: path.join(copy.dir, '.alembic-squash') });
      const url = await cluster!.createDatabase(offlineDb);
      const script = spawnSync(PYTHON, ['-m', 'alembic', '-c', path.join(copy.dir, 'alembic.ini'), '-x', `url=${url}`, 'upgrade', 'head', '--sql'], { cwd: copy.dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', DATABASE_URL: url } });
      assert.equal(script.status, 0, script.stderr);
      const run = spawnSync(path.join(cluster!.binDir, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', cluster!.host, '-p', String(cluster!.port), '-U', cluster!.user, '-d', offlineDb], { input: script.stdout, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(dumpSchema(cluster!, offlineDb), dumpSchema(cluster!, chainDb));
      for (const table of ['public.priorities', 'public.sla_policies']) {
        const rows = (db: string) => psql(cluster!, db, `SELECT string_agg(t::text, '|' ORDER BY t::text) FROM ${table} t`);
        assert.equal(rows(offlineDb), rows(chainDb), `rows of ${table}`);
      }
    } finally {
      for (const db of [chainDb, offlineDb]) await cluster!.dropDatabase(db).catch(() => undefined);
      copy.cleanup();
    }
  });

  it('a .sql-format snapshot squashed again with the operations: the new revision still reads the same .sql file', async () => {
    const copy = copyFixture('views-functions-triggers');
    const id = Math.random().toString(16).slice(2, 10);
    const [chainDb, againDb] = [`chain_${id}`, `again_${id}`];
    const later = (dir: string, down: string) =>
      fs.writeFileSync(
        path.join(dir, 'migrations', 'versions', 'f1f1f1f1f1f1_ticket_tags.py'),
        `"""ticket tags\n\nRevision ID: f1f1f1f1f1f1\nRevises: ${down}\nCreate Date: 2025-05-01 00:00:00\n\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'f1f1f1f1f1f1'\ndown_revision = '${down}'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    op.create_table('ticket_tags', sa.Column('tag', sa.Text(), primary_key=True))\n\n\ndef downgrade() -> None:\n    op.drop_table('ticket_tags')\n`,
      );
    try {
      const s = await snapshotSquash({ project: loadProject(copy.dir), python: PYTHON, from: 'base', to: 'head', provider: { provider: 'local' }, format: 'sql' });
      const chainUrl = await cluster!.createDatabase(chainDb);
      later(copy.dir, 'e73dbc014db1');
      assert.ok(alembic(copy.dir, ['upgrade', 'heads'], chainUrl).ok, 'the chain with the later revision');
      applyEdits(s.edits, { journalDir: path.join(copy.dir, '.alembic-squash') });
      const sidecar = fs.readdirSync(path.join(copy.dir, 'migrations', 'versions')).find((f) => f.endsWith('.sql'))!;
      assert.ok(sidecar, 'the snapshot wrote its .sql file');
      const squashed = spawnSync(process.execPath, [path.resolve(__dirname, '../../../dist/cli.js'), 'squash', copy.dir, '--from', 'base', '--to', 'head', '--strategy', 'ops', '--revision-id', 'new', '-m', 'again'], { encoding: 'utf8', env: { ...process.env, ALEMBIC_SQUASH_PYTHON: PYTHON } });
      assert.equal(squashed.status, 0, squashed.stdout + squashed.stderr);
      const files = fs.readdirSync(path.join(copy.dir, 'migrations', 'versions'));
      assert.deepEqual(files.filter((f) => f.endsWith('.py')).length, 1, files.join(', '));
      assert.ok(files.includes(sidecar), 'the .sql file stays: the new revision reads it');
      const url = await cluster!.createDatabase(againDb);
      const up = alembic(copy.dir, ['upgrade', 'heads'], url);
      assert.ok(up.ok, up.out);
      assert.equal(dumpSchema(cluster!, againDb), dumpSchema(cluster!, chainDb));
    } finally {
      for (const db of [chainDb, againDb]) await cluster!.dropDatabase(db).catch(() => undefined);
      copy.cleanup();
    }
  });

  it('a range in the middle: --strategy snapshot is refused, auto takes the op-merge squash and says why', async () => {
    const project = loadProject(copyOrFixture('linear'));
    const input = { project, python: PYTHON, from: '8a4e6b2c9f31', to: 'e91a4d6c0b27', provider: { provider: 'local' as const } };
    await assert.rejects(squashWithStrategy('snapshot', input), (e: Error) => e instanceof SnapshotRangeError && /starts at base/.test(e.message) && /--strategy ops/.test(e.message));
    const auto = await squashWithStrategy('auto', input);
    assert.equal(auto.strategy, 'ops');
    assert.match(auto.reason, /does not start at base/);
  });

  it('a chain that imports application code the interpreter lacks: auto takes the op-merge squash', async () => {
    const copy = copyFixture('linear');
    try {
      const file = path.join(copy.dir, 'migrations', 'versions', '0d3b8f5a61c9_create_projects.py');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('import sqlalchemy as sa\n', 'import sqlalchemy as sa\nfrom myapp.models import Project  # noqa: F401\n'));
      const auto = await squashWithStrategy('auto', { project: loadProject(copy.dir), python: PYTHON, from: 'base', to: 'head', provider: { provider: 'local' } });
      assert.equal(auto.strategy, 'ops');
      assert.match(auto.reason, /cannot run/);
      assert.match(auto.reason, /myapp/);
    } finally {
      copy.cleanup();
    }
  });

  it('a chain whose rows differ from run to run: refused with the differences, nothing offered', async () => {
    const copy = copyFixture('linear');
    try {
      fs.writeFileSync(
        path.join(copy.dir, 'migrations', 'versions', 'aa11bb22cc33_lottery.py'),
        `"""lottery\n\nRevision ID: aa11bb22cc33\nRevises: 0d3b8f5a61c9\nCreate Date: 2025-01-01 00:00:00\n\n"""\nfrom alembic import op\n\nrevision = 'aa11bb22cc33'\ndown_revision = '0d3b8f5a61c9'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    op.execute('CREATE TABLE draws (n double precision NOT NULL)')\n    op.execute('INSERT INTO draws SELECT random() FROM generate_series(1, 3)')\n\n\ndef downgrade() -> None:\n    op.execute('DROP TABLE draws')\n`,
      );
      const input = { project: loadProject(copy.dir), python: PYTHON, from: 'base', to: 'head', provider: { provider: 'local' as const } };
      await assert.rejects(squashWithStrategy('snapshot', input), (e: Error) => {
        assert.ok(e instanceof SnapshotNotProvenError, String(e));
        assert.deepEqual(e.proof.data.differences.map((d) => d.table), ['public.draws']);
        return true;
      });
      const auto = await squashWithStrategy('auto', input);
      assert.equal(auto.strategy, 'ops');
      assert.match(auto.reason, /could not be proven equal/);
    } finally {
      copy.cleanup();
    }
  });
});

function copyOrFixture(name: string): string {
  return path.resolve(__dirname, '../../fixtures', name);
}

/** The file reads like hand-written Alembic: tables as operations, the rest one statement per call. */
function assertReadable(s: SnapshotSquash): void {
  const text = s.render.text;
  assert.match(text, /^def upgrade\(\)/m);
  assert.match(text, /^def downgrade\(\)/m);
  assert.equal(s.render.renderedWith, 'project-template');
  if (s.facts.tables.length && !s.bodies.sidecar) assert.match(text, /op\.create_table\('/);
  assert.match(text, /Snapshot of the schema the chain builds at /);
  for (const m of s.plan.members) assert.ok(text.includes(`- ${m.revision}: `), `docstring names ${m.revision}`);
  assert.ok(s.bodies.sql.every((stmt) => stmt.trim().length > 0));
}

describe('snapshot strategy on the embedded PostgreSQL (PGlite)', function () {
  this.timeout(300_000);
  it('snapshot-shapes base..head: proven equal on PGlite', async () => {
    const copy = copyFixture('snapshot-shapes');
    try {
      const s = await snapshotSquash({ project: loadProject(copy.dir), python: PYTHON, from: 'base', to: 'head', provider: { provider: 'pglite' } });
      assert.equal(s.provider.kind, 'pglite');
      assert.equal(s.proof.equal, true, s.proof.unifiedDiff);
      assert.ok(s.bodies.counts.table && s.bodies.counts.table >= 6);
    } finally {
      copy.cleanup();
    }
  });
});

describe("snapshot strategy on a user's server (url)", function () {
  this.timeout(300_000);
  let users: Cluster | undefined;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    users = await startCluster();
  });
  after(async () => {
    await users?.stop();
  });

  it('snapshot-shapes base..head: proven equal, and every database it made there is dropped again', async () => {
    const databases = () =>
      spawnSync(path.join(users!.binDir, 'psql'), ['-At', '-h', users!.host, '-p', String(users!.port), '-U', users!.user, '-d', 'postgres', '-c', 'SELECT datname FROM pg_database ORDER BY 1'], { encoding: 'utf8' }).stdout.trim().split('\n');
    const before = databases();
    const copy = copyFixture('snapshot-shapes');
    try {
      const s = await snapshotSquash({ project: loadProject(copy.dir), python: PYTHON, from: 'base', to: 'head', provider: { provider: 'url', databaseUrl: users!.url('postgres') } });
      assert.equal(s.provider.kind, 'url');
      assert.equal(s.proof.equal, true, s.proof.unifiedDiff);
    } finally {
      copy.cleanup();
    }
    assert.deepEqual(databases(), before);
  });
});
