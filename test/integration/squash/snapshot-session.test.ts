// The snapshot reads the database and renders its file in the long-lived Alembic driver that ran the
// chain (driver.py `snapshot`, a request's own stdin): what it reads and the file it renders must be
// those of a fresh snapshot.py and a fresh render, and a failure must read the same.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { AlembicCommandError, AlembicSession, runAlembic } from '../../../src/core/alembic';
import { loadProject } from '../../../src/core/project';
import { splitDump } from '../../../src/core/schema';
import { readSnapshotFacts } from '../../../src/core/squash/snapshot/facts';
import { assembleBodies } from '../../../src/core/squash/snapshot/assemble';
import { renderSnapshotFile } from '../../../src/core/squash/snapshot/file';
import { compileCheck } from '../../../src/core/squash/python';
import { planSquash, type SourceFile } from '../../../src/core/squash/plan';
import { ScriptDirectory } from '../../../src/core/scripts';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { spawnSync } from 'node:child_process';
import { copyFixture, PYTHON } from '../../unit/squash/support';

describe('snapshot read and render in a running Alembic driver', function () {
  this.timeout(120_000);
  let cluster: Cluster | undefined;
  let copy: { dir: string; cleanup: () => void };
  let session: AlembicSession;
  let url: string;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    cluster = await startCluster();
    copy = copyFixture('snapshot-shapes');
    url = await cluster.createDatabase('shapes');
    session = new AlembicSession(PYTHON);
    // The driver first runs the chain, as in a snapshot: reading comes after Alembic and env.py ran in it.
    await runAlembic({ python: PYTHON, session, project: { configPath: path.join(copy.dir, 'alembic.ini') }, databaseUrl: url }, { command: 'upgrade', target: 'heads' });
  });
  after(async () => {
    await session?.dispose();
    await cluster?.stop();
    copy?.cleanup();
  });

  it('reads the same tables, indexes, keys, rows and sequence positions as snapshot.py on its own', async () => {
    const alone = await readSnapshotFacts({ python: PYTHON, databaseUrl: url });
    const inDriver = await readSnapshotFacts({ python: PYTHON, databaseUrl: url, session });
    assert.ok(alone.tables.length > 0 && alone.seeds.length > 0, 'the fixture has tables and seed rows');
    assert.deepEqual(inDriver, alone);
    // Twice in the same driver: nothing of the first read stays behind.
    assert.deepEqual(await readSnapshotFacts({ python: PYTHON, databaseUrl: url, session, dumpTables: [] }), alone);
  });

  it('renders the same file through the project template as a new interpreter does', async () => {
    const project = loadProject(copy.dir);
    const scripts = await ScriptDirectory.load(project, { full: true });
    const files = new Map<string, SourceFile>();
    for (const f of scripts.revisionFiles) {
      const full = scripts.fullFile(f.path)!;
      files.set(f.path, { text: full.text, file: full.migration });
    }
    const plan = planSquash({ map: scripts.map, files, project, from: 'base', to: 'heads', options: { createDate: new Date('2026-01-02T03:04:05Z') } });
    const facts = await readSnapshotFacts({ python: PYTHON, databaseUrl: url, session });
    const dump = spawnSync(path.join(cluster!.binDir, 'pg_dump'), ['-s', '-O', '-x', '-T', 'alembic_version', '-h', cluster!.host, '-p', String(cluster!.port), '-U', cluster!.user, 'shapes'], { encoding: 'utf8' });
    assert.equal(dump.status, 0, dump.stderr);
    const bodies = await assembleBodies(await splitDump(dump.stdout), facts);
    const input = { plan, bodies, imports: facts.imports, classification: [], project, python: PYTHON };
    const alone = await renderSnapshotFile(input);
    const inDriver = await renderSnapshotFile({ ...input, session });
    assert.equal(alone.renderedWith, 'project-template');
    assert.equal(inDriver.renderedWith, 'project-template');
    assert.equal(inDriver.text, alone.text);
  });

  it('compiles a rendered file in the driver as a new interpreter does: fine, or the same error at the same line', async () => {
    const good = 'def upgrade():\n    op.execute("SELECT 1")\n';
    const bad = 'def upgrade():\n    op.execute(\n        "SELECT 1"\n\ndef downgrade():\n    pass\n';
    assert.deepEqual(await compileCheck(PYTHON, good, '0001_x.py', session), { ok: true });
    const alone = await compileCheck(PYTHON, bad, '0001_x.py');
    const inDriver = await compileCheck(PYTHON, bad, '0001_x.py', session);
    assert.equal(alone.ok, false);
    assert.deepEqual(inDriver, alone);
    // The driver answered it itself (`compile`), with the line Python names.
    const answer = (await session.request({ argv: ['compile'], input: JSON.stringify({ text: bad, fileName: '0001_x.py' }) })).document;
    assert.equal(answer?.compiled, false);
    assert.equal(answer?.line, (alone as { line?: number }).line);
    // Nothing of it is left in the driver: it still runs Alembic.
    const config = { configPath: path.join(copy.dir, 'alembic.ini') };
    const current = await runAlembic({ python: PYTHON, session, project: config, databaseUrl: url }, { command: 'current' });
    assert.ok(current.current.length > 0);
    assert.deepEqual(current, await runAlembic({ python: PYTHON, project: config, databaseUrl: url }, { command: 'current' }));
  });

  it("reads a server whose object ids pass 2^31 (a long-lived user's server) as it reads a fresh one", async () => {
    const old = await startCluster({ nextOid: 3_000_000_000 });
    try {
      const oldUrl = await old.createDatabase('shapes');
      await runAlembic({ python: PYTHON, project: { configPath: path.join(copy.dir, 'alembic.ini') }, databaseUrl: oldUrl }, { command: 'upgrade', target: 'heads' });
      assert.deepEqual(await readSnapshotFacts({ python: PYTHON, databaseUrl: oldUrl }), await readSnapshotFacts({ python: PYTHON, databaseUrl: url }));
    } finally {
      await old.stop();
    }
  });

  it('a database that cannot be read fails as the snapshot read, in the driver as alone', async () => {
    const gone = cluster!.url('no_such_database');
    const failure = (p: Promise<unknown>) =>
      assert.rejects(p, (e: Error) => e instanceof AlembicCommandError && /reading the database for the snapshot failed: .*no_such_database/s.test(e.message));
    await failure(readSnapshotFacts({ python: PYTHON, databaseUrl: gone }));
    await failure(readSnapshotFacts({ python: PYTHON, databaseUrl: gone, session }));
    // The driver still answers after the failure.
    assert.ok((await readSnapshotFacts({ python: PYTHON, databaseUrl: url, session })).tables.length > 0);
  });
});
