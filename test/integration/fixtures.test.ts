// The fixture projects and the bundled example are real Alembic projects: Alembic itself upgrades
// them to their heads and back to base on a real PostgreSQL, leaving nothing behind. The broken
// fixtures are checked to be broken the way their names say.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { clusterUnavailableReason, startCluster, type Cluster } from '../support/pg-cluster';

const PYTHON = '/usr/bin/python3';
const REPO = resolve(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures');

interface AlembicResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): Promise<AlembicResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      // No __pycache__ folders inside the fixtures: other tests scan them.
      { cwd, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

function alembic(ini: string, args: string[], databaseUrl?: string): Promise<AlembicResult> {
  const env: NodeJS.ProcessEnv = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  return run(PYTHON, ['-m', 'alembic', '-c', ini, ...args], env);
}

/** Revision ids from `alembic heads` / `current` lines such as `88e281d882ba (contract) (head)`. */
function revisionIds(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((id) => id.length > 0)
    .sort();
}

function explain(step: string, result: AlembicResult): string {
  return `${step} exited ${result.code}\n${result.stderr.slice(-3000)}`;
}

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Everything a migration could leave behind in a database, except `alembic_version`. */
async function leftovers(url: string): Promise<string[]> {
  const rows = await query<{ object: string }>(
    url,
    `SELECT format('%s %I.%I', CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view'
                     WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index'
                     ELSE c.relkind::text END, n.nspname, c.relname) AS object
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        AND c.relname NOT IN ('alembic_version', 'alembic_version_pkc')
     UNION ALL
     SELECT format('type %I.%I', n.nspname, t.typname)
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        AND t.typtype IN ('e', 'd', 'r', 'm', 'c') AND t.typrelid = 0
     UNION ALL
     SELECT format('function %I.%I', n.nspname, p.proname)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     UNION ALL
     SELECT format('extension %I', extname) FROM pg_extension WHERE extname <> 'plpgsql'`,
  );
  return rows.map((r) => r.object).sort();
}

interface RunnableProject {
  /** Folder relative to the repository. */
  path: string;
  heads: string[];
  /** False when the project's downgrades cannot reach base (see its README). */
  downgrades: boolean;
  /** What a user would look at in the database after `upgrade heads`. */
  afterUpgrade?: (url: string) => Promise<void>;
}

const runnable: RunnableProject[] = [
  { path: 'test/fixtures/linear', heads: ['0d3b8f5a61c9'], downgrades: true },
  { path: 'test/fixtures/branch-merge', heads: ['116789ada3ab'], downgrades: true },
  { path: 'test/fixtures/merge-three', heads: ['ev0003'], downgrades: true },
  { path: 'test/fixtures/depends-on', heads: ['f45dc86c9ea4'], downgrades: true },
  { path: 'test/fixtures/branch-labels', heads: ['192db78bc465', '56ad9a661cab'], downgrades: true },
  {
    path: 'test/fixtures/multi-locations',
    heads: ['55182643e46b'],
    downgrades: true,
    async afterUpgrade(url) {
      const views = await query<{ viewname: string }>(url, `SELECT viewname FROM pg_views WHERE schemaname = 'public' ORDER BY 1`);
      assert.deepEqual(views.map((v) => v.viewname), ['daily_sales', 'top_skus']);
    },
  },
  { path: 'test/fixtures/recursive', heads: ['d8407d27136d'], downgrades: true },
  {
    path: 'test/fixtures/helpers-clash',
    heads: ['de93bc39d271'],
    downgrades: true,
    async afterUpgrade(url) {
      // Both helper variants ran: documents now use the shared function that also logs deletes.
      await query(url, `INSERT INTO folders (id, name) VALUES (1, 'inbox')`);
      await query(url, `INSERT INTO documents (title, folder_id) VALUES ('spec', 1)`);
      await query(url, `DELETE FROM documents`);
      const log = await query<{ table_name: string; action: string }>(
        url,
        `SELECT table_name, action FROM audit_log ORDER BY id`,
      );
      assert.deepEqual(log, [
        { table_name: 'folders', action: 'INSERT' },
        { table_name: 'documents', action: 'INSERT' },
        { table_name: 'documents', action: 'DELETE' },
      ]);
      await query(url, `DELETE FROM folders; DELETE FROM audit_log`);
    },
  },
  {
    path: 'test/fixtures/data-migrations',
    heads: ['6dbaf1c8b1ff'],
    downgrades: true,
    async afterUpgrade(url) {
      const countries = await query<{ code: string }>(url, `SELECT code FROM countries ORDER BY code`);
      assert.deepEqual(countries.map((c) => c.code), ['CH', 'DE', 'FR', 'GB', 'NO', 'SE']);
      const customers = await query<{ email: string; full_name: string }>(
        url,
        `SELECT email, full_name FROM customers ORDER BY id`,
      );
      assert.deepEqual(customers, [
        { email: 'ada.lovelace@example.com', full_name: 'Ada Lovelace' },
        { email: 'grace@example.com', full_name: 'Grace Hopper' },
      ]);
    },
  },
  { path: 'test/fixtures/partial-downgrade', heads: ['4aa4a134a94e'], downgrades: false },
  {
    path: 'test/fixtures/views-functions-triggers',
    heads: ['e73dbc014db1'],
    downgrades: true,
    async afterUpgrade(url) {
      const labels = await query<{ label: string }>(
        url,
        `SELECT enumlabel AS label FROM pg_enum WHERE enumtypid = 'ticket_status'::regtype ORDER BY enumsortorder`,
      );
      assert.deepEqual(labels.map((l) => l.label), ['open', 'in_progress', 'blocked', 'closed']);
      const [touch] = await query<{ def: string }>(url, `SELECT pg_get_functiondef('tickets_touch'::regproc) AS def`);
      assert.match(touch.def, /RAISE NOTICE 'ticket % touched \(status %\)', NEW\.id, NEW\.status;/);
      const [hours] = await query<{ def: string }>(url, `SELECT pg_get_functiondef('is_business_hours'::regproc) AS def`);
      assert.match(hours.def, /BETWEEN '09:00'::time AND '17:30'::time/);
      const [mv] = await query<{ ispopulated: boolean }>(
        url,
        `SELECT ispopulated FROM pg_matviews WHERE matviewname = 'ticket_counts_by_status'`,
      );
      assert.equal(mv.ispopulated, true);
      const [seeds] = await query<{ priorities: string; slas: string }>(
        url,
        `SELECT (SELECT count(*) FROM priorities) AS priorities, (SELECT count(*) FROM sla_policies) AS slas`,
      );
      assert.deepEqual(seeds, { priorities: '3', slas: '3' });
      // The triggers work together: the BEFORE trigger stamps updated_at, the AFTER one logs it.
      await query(url, `INSERT INTO tickets (title) VALUES ('printer on fire')`);
      await query(url, `UPDATE tickets SET status = 'blocked'`);
      const events = await query<{ description: string; stamped: boolean }>(
        url,
        `SELECT description, happened_at IS NOT NULL AS stamped FROM ticket_events`,
      );
      assert.deepEqual(events, [{ description: 'status open -> blocked', stamped: true }]);
      await query(url, `DELETE FROM tickets`);
    },
  },
  { path: 'test/fixtures/snapshot-shapes', heads: ['b2d8f0a4c6e1'], downgrades: true },
  { path: 'test/fixtures/broken/not-revisions', heads: ['47828aa1f367'], downgrades: true },
  { path: 'test/fixtures/broken/non-literal-labels', heads: ['753e7b0e9b65', '88e281d882ba'], downgrades: true },
  {
    path: 'examples/bookshop',
    heads: ['c41d7e2a9b06'],
    downgrades: true,
    async afterUpgrade(url) {
      const [genres] = await query<{ n: string }>(url, `SELECT count(*) AS n FROM genres`);
      assert.ok(Number(genres.n) >= 5, `expected seeded genres, got ${genres.n}`);
    },
  },
];

interface BrokenProject {
  name: string;
  /** Whether `alembic heads` succeeds on it. */
  headsSucceeds: boolean;
  /** What Alembic says about it (stderr). */
  says: RegExp;
}

const broken: BrokenProject[] = [
  { name: 'syntax-error', headsSucceeds: false, says: /SyntaxError/ },
  { name: 'half-typed-header', headsSucceeds: false, says: /SyntaxError[\s\S]*never closed|never closed[\s\S]*SyntaxError/ },
  { name: 'unterminated-docstring', headsSucceeds: false, says: /unterminated triple-quoted string/ },
  { name: 'missing-parent', headsSucceeds: false, says: /0badc0ffee00/ },
  { name: 'cycle', headsSucceeds: false, says: /Cycle is detected/ },
  { name: 'helper-module', headsSucceeds: false, says: /Could not determine revision id from filename _utils\.py/ },
  // Alembic only warns about a duplicated id and then lists it twice.
  { name: 'duplicate-id', headsSucceeds: true, says: /Revision bd80dbabd055 is present more than once/ },
  // Alembic imports the module, so the labels resolve; only a static reader cannot see them.
  { name: 'non-literal-labels', headsSucceeds: true, says: /\(expand\)[\s\S]*\(contract\)|\(contract\)[\s\S]*\(expand\)/ },
  { name: 'not-revisions', headsSucceeds: true, says: /^47828aa1f367 \(head\)$/m },
];

async function unavailableReason(): Promise<string | undefined> {
  const cluster = clusterUnavailableReason();
  if (cluster) return cluster;
  const probe = await run(PYTHON, ['-c', 'import alembic, sqlalchemy, psycopg2']);
  if (probe.code !== 0) return `${PYTHON} cannot import alembic, sqlalchemy and psycopg2 (apt-get install python3-alembic python3-psycopg2)`;
  return undefined;
}

async function alembicVersion(): Promise<number[]> {
  const result = await run(PYTHON, ['-c', 'import alembic; print(alembic.__version__)']);
  return result.stdout.trim().split('.').map(Number);
}

describe('fixture projects under real Alembic and PostgreSQL', function () {
  let cluster: Cluster | undefined;
  let scratch: string | undefined;
  let recursiveSupported = true;

  before(async function () {
    const reason = await unavailableReason();
    if (reason) {
      // eslint-disable-next-line no-console
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const [major, minor] = await alembicVersion();
    recursiveSupported = major > 1 || (major === 1 && minor >= 10);
    scratch = mkdtempSync(join(tmpdir(), 'alembic-squash-fixtures-'));
    cluster = await startCluster();
  });

  after(async () => {
    await cluster?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * The ini to run a project with. Alembic < 1.10 ignores recursive_version_locations, so for
   * `recursive` it gets a copy of the project's ini that lists the year folders instead.
   */
  function iniFor(project: RunnableProject): string {
    const dir = join(REPO, project.path);
    const ini = join(dir, 'alembic.ini');
    if (project.path !== 'test/fixtures/recursive' || recursiveSupported) return ini;
    const versions = join(dir, 'migrations', 'versions');
    const folders = readdirSync(versions).sort().map((year) => join(versions, year));
    const original = readFileSync(ini, 'utf8');
    assert.match(original, /^recursive_version_locations = true$/m);
    // No version_path_separator: Alembic then splits version_locations on spaces.
    const equivalent = original
      .split('\n')
      .filter((line) => !line.startsWith('version_path_separator'))
      .map((line) => (line === 'recursive_version_locations = true' ? `version_locations = ${folders.join(' ')}` : line))
      .join('\n')
      .replaceAll('%(here)s', dir);
    const path = join(scratch!, 'recursive.ini');
    writeFileSync(path, equivalent);
    return path;
  }

  for (const project of runnable) {
    describe(project.path, () => {
      let url = '';

      before(async () => {
        url = await cluster!.createDatabase(`fx_${project.path.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`);
      });

      it(`upgrades to ${project.heads.join(', ')}`, async () => {
        const ini = iniFor(project);
        const heads = await alembic(ini, ['heads']);
        assert.equal(heads.code, 0, explain('alembic heads', heads));
        assert.deepEqual(revisionIds(heads.stdout), [...project.heads].sort());

        const upgrade = await alembic(ini, ['upgrade', 'heads'], url);
        assert.equal(upgrade.code, 0, explain('alembic upgrade heads', upgrade));
        const current = await alembic(ini, ['current'], url);
        assert.equal(current.code, 0, explain('alembic current', current));
        assert.deepEqual(revisionIds(current.stdout), [...project.heads].sort());
        await project.afterUpgrade?.(url);
      });

      if (project.downgrades) {
        it('downgrades to base leaving nothing behind', async () => {
          const ini = iniFor(project);
          const downgrade = await alembic(ini, ['downgrade', 'base'], url);
          assert.equal(downgrade.code, 0, explain('alembic downgrade base', downgrade));
          const current = await alembic(ini, ['current'], url);
          assert.deepEqual(revisionIds(current.stdout), []);
          assert.deepEqual(await leftovers(url), []);
        });
      } else {
        it('cannot be downgraded from its head', async () => {
          const downgrade = await alembic(iniFor(project), ['downgrade', 'base'], url);
          assert.notEqual(downgrade.code, 0, 'downgrade base unexpectedly succeeded');
          assert.match(downgrade.stderr, /has no attribute 'downgrade'/);
        });
      }
    });
  }

  it('keeps the pyproject fixture out of reach of Alembic < 1.16 (no alembic.ini)', async function () {
    const [major, minor] = await alembicVersion();
    if (major > 1 || minor >= 16) this.skip();
    const result = await run(PYTHON, ['-m', 'alembic', 'heads'], {}, join(FIXTURES, 'pyproject'));
    assert.notEqual(result.code, 0);
  });
});

describe('broken fixture projects under real Alembic', function () {
  before(async function () {
    const probe = await run(PYTHON, ['-c', 'import alembic']);
    if (probe.code !== 0) {
      // eslint-disable-next-line no-console
      console.log(`      skipped: ${PYTHON} cannot import alembic`);
      this.skip();
    }
  });

  it('has a check for every folder in test/fixtures/broken', () => {
    const folders = readdirSync(join(FIXTURES, 'broken'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    assert.deepEqual(folders, broken.map((b) => b.name).sort());
  });

  for (const project of broken) {
    it(`${project.name}: alembic heads ${project.headsSucceeds ? 'succeeds' : 'fails'}`, async () => {
      const result = await alembic(join(FIXTURES, 'broken', project.name, 'alembic.ini'), ['heads']);
      if (project.headsSucceeds) assert.equal(result.code, 0, explain('alembic heads', result));
      else assert.notEqual(result.code, 0, `alembic heads succeeded:\n${result.stdout}`);
      // Alembic prints its own FAILED: lines on stdout and Python's tracebacks on stderr.
      assert.match(`${result.stdout}\n${result.stderr}`, project.says);
    });
  }
});
