// The CLI's verify for every outcome: one JSON document and the documented exit code each time,
// errors that say what happened and what to do, and nothing left behind when the back end dies
// or the user presses Ctrl-C.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { descendants, FIXTURES, PRIVATE_TMP } from './support';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const IMPORTS = path.join(FIXTURES, 'imports-app-code');

interface Outcome {
  status: number | null;
  json: { error?: { code: string; message: string; hint: string | null; [k: string]: unknown }; equal?: boolean; [k: string]: unknown };
  stderr: string;
}

function verify(args: string[], env: NodeJS.ProcessEnv = {}): Outcome {
  const r = spawnSync(process.execPath, [CLI, 'verify', ...args, '--json'], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, json: JSON.parse(r.stdout), stderr: r.stderr };
}

/** A package `shop` with the given models.py, on a PYTHONPATH of its own. */
function shopPackage(name: string, models: string): string {
  const root = path.join(PRIVATE_TMP, name);
  mkdirSync(path.join(root, 'shop'), { recursive: true });
  writeFileSync(path.join(root, 'shop', '__init__.py'), '');
  writeFileSync(path.join(root, 'shop', 'models.py'), models);
  return root;
}

/** Folders of ours in the temp places whose owner.json names `pid`. */
function foldersOwnedBy(pid: number): string[] {
  const out: string[] = [];
  for (const base of ['/tmp', '/dev/shm', PRIVATE_TMP]) {
    for (const n of existsSync(base) ? readdirSync(base).filter((x) => x.startsWith('alembic-squash-')) : []) {
      try {
        if ((JSON.parse(readFileSync(path.join(base, n, 'owner.json'), 'utf8')) as { pid?: number }).pid === pid) out.push(path.join(base, n));
      } catch {
        /* not ours, or gone */
      }
    }
  }
  return out;
}

/** Any process still running from a data folder of `pid` (orphaned postgres backends included). */
function processesOf(pid: number): string[] {
  const folders = foldersOwnedBy(pid);
  return [...descendants(1)].filter(([, cmd]) => cmd.includes('alembic-squash-pg-') && folders.some((f) => cmd.includes(f))).map(([p, c]) => `${p} ${c}`);
}

/** A copy of the imports fixture with a slow revision on top (the server is killed while it runs). */
function slowProject(): string {
  const dir = path.join(PRIVATE_TMP, `slow-${Date.now()}`);
  cpSync(path.join(FIXTURES, 'linear'), dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'migrations', 'versions', 'f00d5a1e0001_slow.py'),
    `"""slow\n\nRevision ID: f00d5a1e0001\nRevises: 0d3b8f5a61c9\nCreate Date: 2024-07-01 10:00:00\n\n"""\nfrom alembic import op\n\nrevision = 'f00d5a1e0001'\ndown_revision = '0d3b8f5a61c9'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.execute('SELECT pg_sleep(30)')\n\n\ndef downgrade():\n    op.execute('SELECT 1')\n`,
  );
  return dir;
}

/** Runs verify on the slow project, does `act(child)` once both upgrades are under way, and returns the outcome. */
function interrupted(act: (pid: number) => void): Promise<Outcome & { pid: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'verify', slowProject(), '--from', 'base', '--to', 'head', '--provider', 'local', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The migrations' log lines (on stderr) say when the slow revision starts.
      env: { ...process.env, ALEMBIC_SQUASH_VERBOSE: '1' },
    });
    let stdout = '';
    let stderr = '';
    let acted = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
      if (!acted && /f00d5a1e0001, slow/.test(stderr)) {
        acted = true;
        setTimeout(() => act(child.pid!), 500);
      }
    });
    child.on('close', (status) => resolve({ status, json: stdout ? JSON.parse(stdout) : {}, stderr, pid: child.pid! }));
  });
}

describe('alembic-squash verify: every outcome in one JSON document, errors that explain themselves', function () {
  this.timeout(180_000);
  before(function () {
    if (clusterUnavailableReason() || !existsSync(CLI)) this.skip();
  });

  it('a migration importing application code the interpreter lacks: exit 3, the file, line, module, interpreter and the fix', () => {
    const r = verify([IMPORTS, '--from', 'base', '--to', 'head', '--provider', 'local']);
    assert.equal(r.status, 3, r.stderr);
    const e = r.json.error!;
    assert.equal(e.code, 'missing-module');
    assert.equal(e.file, path.join(IMPORTS, 'migrations', 'versions', '5b3c7d9e1f22_order_status_check.py'));
    assert.equal(e.line, 12);
    assert.equal(e.module, 'shop');
    assert.equal(e.python, '/usr/bin/python3');
    assert.match(e.message, /5b3c7d9e1f22_order_status_check\.py:12 \(revision 5b3c7d9e1f22\) imports the module 'shop', which \/usr\/bin\/python3 cannot import/);
    assert.match(e.hint ?? '', /--python .*alembicSquash\.python/);
  });

  it('a migration importing a name its interpreter\'s version of the module lacks: exit 3, the name, module and fix', () => {
    // As `from sqlalchemy.dialects.postgresql import CITEXT` on SQLAlchemy 1.4: the module is there, the name is not.
    const r = verify([IMPORTS, '--from', 'base', '--to', 'head', '--provider', 'local'], { PYTHONPATH: shopPackage('shop-old', "STATUSES = ('new', 'paid')\n") });
    assert.equal(r.status, 3, r.stderr);
    const e = r.json.error!;
    assert.equal(e.code, 'missing-module');
    assert.equal(e.module, 'shop.models');
    assert.equal(e.line, 12);
    assert.match(e.message, /\(revision 5b3c7d9e1f22\) imports ORDER_STATUSES from 'shop\.models', which is not in the version of it that \/usr\/bin\/python3 has/);
    assert.match(e.hint ?? '', /--python/);
  });

  it('the same history with the application importable: exit 0, equal', () => {
    const r = verify([IMPORTS, '--from', 'base', '--to', 'head', '--provider', 'local'], { PYTHONPATH: shopPackage('shop-ok', "ORDER_STATUSES = ('new', 'paid')\n") });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.equal, true);
  });

  it('a migration that fails: exit 1, migration-failed with file and line', () => {
    // A quote in a value breaks the SQL the revision builds.
    const r = verify([IMPORTS, '--from', 'base', '--to', 'head', '--provider', 'local'], { PYTHONPATH: shopPackage('shop-bad', "ORDER_STATUSES = (\"it's\",)\n") });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.json.error?.code, 'migration-failed');
    assert.equal(r.json.error?.revision, '5b3c7d9e1f22');
    assert.match(r.json.error?.message ?? '', /SyntaxError|syntax error/);
  });

  it('a usage error: exit 2 as JSON', () => {
    const r = verify([IMPORTS, '--from', 'base']);
    assert.equal(r.status, 2);
    assert.equal(r.json.error?.code, 'usage');
    assert.match(r.json.error?.message ?? '', /--from and --to go together/);
  });

  it('the server killed mid-upgrade: exit 3 "stopped while upgrading", never blamed on the migrations, nothing left', async () => {
    const r = await interrupted((pid) => {
      const postmaster = [...descendants(pid)].find(([, cmd]) => /\/postgres\s.*-D\s/.test(cmd));
      assert.ok(postmaster, 'the throwaway server runs under the CLI');
      process.kill(postmaster[0], 'SIGKILL');
    });
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.json.error?.code, 'backend-lost');
    assert.match(r.json.error?.message ?? '', /the throwaway PostgreSQL server stopped while upgrading the (original chain|squashed history)/);
    assert.doesNotMatch(r.json.error?.message ?? '', /failed during/);
    assert.deepEqual(foldersOwnedBy(r.pid), []);
    assert.deepEqual(processesOf(r.pid), []);
  });

  it('Ctrl-C mid-upgrade: exit 130 "cancelled", nothing left', async () => {
    const r = await interrupted((pid) => process.kill(pid, 'SIGINT'));
    assert.equal(r.status, 130, r.stderr);
    assert.equal(r.json.error?.code, 'cancelled');
    assert.deepEqual(foldersOwnedBy(r.pid), []);
    assert.deepEqual(processesOf(r.pid), []);
  });
});
