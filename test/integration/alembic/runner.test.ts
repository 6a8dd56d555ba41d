import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import {
  AlembicAbortedError,
  AlembicCommandError,
  AlembicUnavailableError,
  MigrationFailedError,
  checkAlembic,
  copyVersionLocations,
  findPython,
  runAlembic,
} from '../../../src/core/alembic';
import {
  ENV_READING_CONFIG_ONLY,
  SHOP,
  SYSTEM_PYTHON,
  lineOf,
  writeProject,
  type TempProject,
} from './projects';

const hasSystemAlembic =
  spawnSync(SYSTEM_PYTHON, ['-c', 'import alembic'], { encoding: 'utf8' }).status === 0;

async function tablesOf(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    return res.rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

function snapshotFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(full, createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

describe('alembic runner: interpreter checks', function () {
  it('reports the Alembic version of an interpreter that has it', async function () {
    if (!hasSystemAlembic) this.skip();
    const info = await checkAlembic(SYSTEM_PYTHON);
    const expected = spawnSync(SYSTEM_PYTHON, ['-c', 'import alembic; print(alembic.__version__)'], {
      encoding: 'utf8',
    }).stdout.trim();
    assert.equal(info.alembic, expected);
  });

  it('explains how to fix an interpreter without Alembic', async function () {
    const probe = spawnSync('python3', ['-c', 'import alembic'], { encoding: 'utf8' });
    if (probe.error || probe.status === 0) this.skip(); // no python3 on PATH, or it has Alembic
    await assert.rejects(checkAlembic('python3'), (err: unknown) => {
      assert.ok(err instanceof AlembicUnavailableError);
      assert.match(err.message, /Alembic is not importable with python3/);
      assert.match(err.message, /pip install alembic/);
      assert.match(err.message, /--python/);
      assert.match(err.reason, /alembic/);
      return true;
    });
  });

  it('treats an interpreter path that does not exist as Alembic being unavailable', async function () {
    await assert.rejects(checkAlembic('/nonexistent/bin/python'), (err: unknown) => {
      assert.ok(err instanceof AlembicUnavailableError);
      assert.equal(err.python, '/nonexistent/bin/python');
      assert.match(err.message, /pip install alembic/);
      return true;
    });
  });

  it('prefers the project venv, then VIRTUAL_ENV, then python3', function () {
    const project = writeProject();
    try {
      assert.equal(findPython({ projectDir: project.dir, env: {} }), 'python3');
      const venv = path.join(project.dir, 'other-venv');
      fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
      fs.writeFileSync(path.join(venv, 'bin', 'python'), '');
      assert.equal(findPython({ projectDir: project.dir, env: { VIRTUAL_ENV: venv } }), path.join(venv, 'bin', 'python'));
      fs.mkdirSync(path.join(project.dir, '.venv', 'bin'), { recursive: true });
      fs.writeFileSync(path.join(project.dir, '.venv', 'bin', 'python'), '');
      assert.equal(
        findPython({ projectDir: project.dir, env: { VIRTUAL_ENV: venv } }),
        path.join(project.dir, '.venv', 'bin', 'python'),
      );
      assert.equal(findPython({ python: '/opt/py/bin/python', projectDir: project.dir }), '/opt/py/bin/python');
    } finally {
      project.dispose();
    }
  });
});

describe('alembic runner against PostgreSQL', function () {
  let cluster: Cluster;
  let dbCounter = 0;
  const projects: TempProject[] = [];
  const newDb = (): Promise<string> => cluster.createDatabase(`runner_${process.pid}_${++dbCounter}`);
  const project = (options?: Parameters<typeof writeProject>[0]): TempProject => {
    const p = writeProject(options);
    projects.push(p);
    return p;
  };

  before(async function () {
    const why = clusterUnavailableReason();
    if (why || !hasSystemAlembic) this.skip();
    cluster = await startCluster();
  });
  after(async function () {
    for (const p of projects) p.dispose();
    await cluster?.stop();
  });

  it('upgrades, reports current and heads, and downgrades', async function () {
    const p = project();
    const url = await newDb();
    const opts = { python: SYSTEM_PYTHON, project: { configPath: p.configPath }, databaseUrl: url };

    assert.deepEqual(await runAlembic(opts, { command: 'heads' }), { heads: ['c3d4e5f6a7b8'] });
    assert.deepEqual(await runAlembic(opts, { command: 'current' }), { current: [] });

    await runAlembic(opts, { command: 'upgrade', target: 'b2c3d4e5f6a7' });
    assert.deepEqual(await runAlembic(opts, { command: 'current' }), { current: ['b2c3d4e5f6a7'] });
    assert.deepEqual(await tablesOf(url), ['alembic_version', 'customers', 'orders']);

    await runAlembic(opts, { command: 'upgrade', target: 'head' });
    assert.deepEqual((await runAlembic(opts, { command: 'current' })).current, ['c3d4e5f6a7b8']);

    await runAlembic(opts, { command: 'downgrade', target: 'a1b2c3d4e5f6' });
    assert.deepEqual((await runAlembic(opts, { command: 'current' })).current, ['a1b2c3d4e5f6']);
    assert.deepEqual(await tablesOf(url), ['alembic_version', 'customers']);

    await runAlembic(opts, { command: 'downgrade', target: 'base' });
    assert.deepEqual((await runAlembic(opts, { command: 'current' })).current, []);
  });

  it('injects the URL into an env.py that only reads the config', async function () {
    const p = project({ env: ENV_READING_CONFIG_ONLY });
    const url = await newDb();
    await runAlembic({ python: SYSTEM_PYTHON, project: { configPath: p.configPath }, databaseUrl: url }, {
      command: 'upgrade',
      target: 'head',
    });
    assert.deepEqual(await tablesOf(url), ['alembic_version', 'customers', 'orders']);
  });

  it('keeps the driver the project configured and sets the environment variables env.py reads', async function () {
    const seen = path.join(project().dir, 'seen.json');
    const recordingEnv = `import json, os
from alembic import context
config = context.config
x = context.get_x_argument(as_dictionary=True)
with open(${JSON.stringify(seen)}, "w") as f:
    json.dump({
        "config": config.get_main_option("sqlalchemy.url"),
        "x": x.get("url"),
        "DATABASE_URL": os.environ.get("DATABASE_URL"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("SQLALCHEMY_DATABASE_URI"),
        "APP_DB": os.environ.get("APP_DB"),
    }, f)
`;
    const p = project({ env: recordingEnv });
    fs.writeFileSync(
      p.configPath,
      fs.readFileSync(p.configPath, 'utf8').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = postgresql+asyncpg://app@db/app'),
    );
    await runAlembic(
      {
        python: SYSTEM_PYTHON,
        project: { configPath: p.configPath },
        databaseUrl: 'postgresql://u:p%40ss@127.0.0.1:5999/throwaway',
        envVarNames: ['APP_DB'],
      },
      { command: 'upgrade', target: 'head' },
    );
    const got = JSON.parse(fs.readFileSync(seen, 'utf8')) as Record<string, string>;
    const expected = 'postgresql+asyncpg://u:p%40ss@127.0.0.1:5999/throwaway';
    assert.deepEqual(got, {
      config: expected,
      x: expected,
      DATABASE_URL: expected,
      SQLALCHEMY_DATABASE_URI: expected,
      APP_DB: expected,
    });
  });

  it('reports a revision that raises with its id, file and line', async function () {
    const revisions = [
      SHOP[0]!,
      {
        revision: 'd4e5f6a7b8c9',
        downRevision: 'a1b2c3d4e5f6',
        message: 'backfill that gives up',
        upgrade: `op.add_column('customers', sa.Column('name', sa.Text()))\nraise RuntimeError('cannot backfill names')`,
        downgrade: `op.drop_column('customers', 'name')`,
      },
    ];
    const p = project({ revisions });
    const url = await newDb();
    await assert.rejects(
      runAlembic({ python: SYSTEM_PYTHON, project: { configPath: p.configPath }, databaseUrl: url }, {
        command: 'upgrade',
        target: 'head',
      }),
      (err: unknown) => {
        assert.ok(err instanceof MigrationFailedError, String(err));
        assert.equal(err.revision, 'd4e5f6a7b8c9');
        assert.equal(err.file, p.fileOf('d4e5f6a7b8c9'));
        assert.equal(err.line, lineOf(p.fileOf('d4e5f6a7b8c9'), "raise RuntimeError"));
        assert.equal(err.errorType, 'RuntimeError');
        assert.match(err.traceback, /cannot backfill names/);
        return true;
      },
    );
  });

  it('reports an SQL error at the op.execute line, without the password', async function () {
    const revisions = [
      SHOP[0]!,
      {
        revision: 'e5f6a7b8c9d0',
        downRevision: 'a1b2c3d4e5f6',
        message: 'touch a missing table',
        prelude: 'import os, sys',
        upgrade: `sys.stderr.write("connecting with " + os.environ["DATABASE_URL"] + "\\n")\nop.execute("UPDATE no_such_table SET x = 1")`,
        downgrade: 'pass',
      },
    ];
    const p = project({ revisions });
    const url = (await newDb()).replace('postgresql://postgres@', 'postgresql://postgres:Secret-pw-42@');
    const logs: string[] = [];
    await assert.rejects(
      runAlembic(
        { python: SYSTEM_PYTHON, project: { configPath: p.configPath }, databaseUrl: url, log: (l) => logs.push(l) },
        { command: 'upgrade', target: 'head' },
      ),
      (err: unknown) => {
        assert.ok(err instanceof MigrationFailedError, String(err));
        assert.equal(err.revision, 'e5f6a7b8c9d0');
        assert.equal(err.line, lineOf(p.fileOf('e5f6a7b8c9d0'), 'op.execute("UPDATE no_such_table'));
        assert.match(err.errorMessage, /no_such_table/);
        assert.ok(!err.traceback.includes('Secret-pw-42'));
        return true;
      },
    );
    const connecting = logs.find((l) => l.startsWith('connecting with'));
    assert.ok(connecting, 'the migration printed its URL to stderr');
    assert.ok(!logs.join('\n').includes('Secret-pw-42'));
    assert.match(connecting, /postgres:\*\*\*@/);
  });

  it('reports a failure outside revisions (unknown target) as a command error', async function () {
    const p = project();
    const url = await newDb();
    await assert.rejects(
      runAlembic({ python: SYSTEM_PYTHON, project: { configPath: p.configPath }, databaseUrl: url }, {
        command: 'upgrade',
        target: 'ffffffffffff',
      }),
      (err: unknown) => err instanceof AlembicCommandError && /ffffffffffff/.test(err.message),
    );
  });

  it('runs a candidate history from a copy without touching the originals', async function () {
    const p = project();
    const before = snapshotFiles(p.dir);
    const squashed = `"""orders and customers in one step

Revision ID: c3d4e5f6a7b8
Revises:
Create Date: 2024-03-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = 'c3d4e5f6a7b8'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('customers', sa.Column('id', sa.Integer, primary_key=True))
    op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True))
    op.create_table('squash_marker', sa.Column('id', sa.Integer, primary_key=True))


def downgrade():
    op.drop_table('squash_marker')
    op.drop_table('orders')
    op.drop_table('customers')
`;
    const copy = await copyVersionLocations({ versionLocations: [p.versionsDir] }, {
      [p.fileOf('a1b2c3d4e5f6')]: null,
      [p.fileOf('b2c3d4e5f6a7')]: null,
      [p.fileOf('c3d4e5f6a7b8')]: squashed,
    });
    try {
      assert.equal(fs.readdirSync(copy.versionLocations[0]!).length, 1);
      const url = await newDb();
      const opts = {
        python: SYSTEM_PYTHON,
        project: { configPath: p.configPath },
        databaseUrl: url,
        versionLocations: copy.versionLocations,
      };
      assert.deepEqual(await runAlembic(opts, { command: 'heads' }), { heads: ['c3d4e5f6a7b8'] });
      await runAlembic(opts, { command: 'upgrade', target: 'head' });
      assert.deepEqual(await tablesOf(url), ['alembic_version', 'customers', 'orders', 'squash_marker']);
      assert.equal(copy.toOriginal(copy.toCopy(p.fileOf('a1b2c3d4e5f6'))), p.fileOf('a1b2c3d4e5f6'));
    } finally {
      await copy.dispose();
    }
    assert.ok(!fs.existsSync(copy.root));
    assert.deepEqual(snapshotFiles(p.dir), before);
  });

  it('renders script.py.mako as alembic revision does', async function () {
    const p = project();
    const { text } = await runAlembic({ python: SYSTEM_PYTHON, project: { configPath: p.configPath } }, {
      command: 'render-template',
      variables: {
        message: 'squash 3 revisions',
        up_revision: 'c3d4e5f6a7b8',
        down_revision: ['x1', 'x2'],
        branch_labels: null,
        depends_on: null,
        create_date: '2024-03-02 10:00:00.000000',
        imports: '',
        upgrades: "op.create_table('t')",
        downgrades: "op.drop_table('t')",
      },
    });
    assert.match(text, /^"""squash 3 revisions\n/);
    assert.match(text, /^Revises: x1, x2$/m);
    assert.match(text, /^revision = 'c3d4e5f6a7b8'$/m);
    assert.match(text, /^down_revision = \('x1', 'x2'\)$/m);
    assert.match(text, /^branch_labels = None$/m);
    assert.match(text, /^def upgrade\(\):\n {4}op\.create_table\('t'\)$/m);
  });

  it('kills the Python process when the run is aborted', async function () {
    const pidFile = path.join(project().dir, 'pid');
    const revisions = [
      {
        revision: 'f6a7b8c9d0e1',
        downRevision: null,
        message: 'very slow backfill',
        prelude: 'import os, sys, time',
        upgrade: `open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\nsys.stderr.write("backfill started\\n")\nsys.stderr.flush()\ntime.sleep(120)`,
        downgrade: 'pass',
      },
    ];
    const p = project({ revisions });
    const url = await newDb();
    const controller = new AbortController();
    const run = runAlembic(
      {
        python: SYSTEM_PYTHON,
        project: { configPath: p.configPath },
        databaseUrl: url,
        signal: controller.signal,
        log: (line) => {
          if (line.includes('backfill started')) controller.abort();
        },
      },
      { command: 'upgrade', target: 'head' },
    );
    await assert.rejects(run, (err: unknown) => err instanceof AlembicAbortedError);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    // The aborted transaction is rolled back: nothing was recorded.
    assert.deepEqual(await tablesOf(url), []);
  });
});
