import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { adviseDatabase, applyEdits, buildEdits, planSquash, readDatabaseState, renderSquash, type SquashOptions } from '../../../src/core/squash';
import { copyFixture, loadFixture, PYTHON } from '../../unit/squash/support';

function alembic(dir: string, args: string[], url?: string): { ok: boolean; out: string } {
  const r = spawnSync(PYTHON, ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), ...(url ? ['-x', `url=${url}`] : []), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...(url ? { DATABASE_URL: url } : {}) },
  });
  return { ok: r.status === 0, out: `${r.stdout}\n${r.stderr}` };
}

interface Case {
  fixture: string;
  from: string;
  to: string;
  options?: SquashOptions;
  heads: string[];
  /** `downgrade base` is expected to fail (partial downgrade that raises). */
  downgradeRaises?: boolean;
}

const cases: Case[] = [
  { fixture: 'linear', from: 'base', to: 'head', heads: ['0d3b8f5a61c9'] },
  { fixture: 'linear', from: '8a4e6b2c9f31', to: 'e91a4d6c0b27', options: { revisionId: 'new' }, heads: ['0d3b8f5a61c9'] },
  { fixture: 'helpers-clash', from: 'base', to: 'head', heads: ['de93bc39d271'] },
  { fixture: 'helpers-clash', from: '6fcaf0b32333', to: 'de93bc39d271', heads: ['de93bc39d271'] },
  // 4f64e6a8152e's downgrade is `pass`: a no-op carried as one, so the squash downgrades to base.
  { fixture: 'data-migrations', from: 'base', to: 'head', heads: ['6dbaf1c8b1ff'] },
  { fixture: 'branch-merge', from: 'base', to: 'ccfb5e658949', heads: ['116789ada3ab'] },
  { fixture: 'merge-three', from: 'base', to: 'head', heads: ['ev0003'] },
  { fixture: 'depends-on', from: '66bacb539df2', to: 'd165e1a65560', options: { revisionId: 'new' }, heads: ['f45dc86c9ea4'] },
  { fixture: 'partial-downgrade', from: 'base', to: 'head', options: { partialDowngrade: 'comment' }, heads: ['4aa4a134a94e'] },
  { fixture: 'partial-downgrade', from: 'base', to: 'head', heads: ['4aa4a134a94e'], downgradeRaises: true },
];

describe('squash written to disk, run by real Alembic on PostgreSQL', function () {
  let cluster: Cluster | undefined;
  before(async function () {
    const why = clusterUnavailableReason();
    if (why) this.skip();
    cluster = await startCluster();
  });
  after(async () => cluster?.stop());

  for (const c of cases) {
    it(`${c.fixture} ${c.from}..${c.to}${c.options ? ' ' + JSON.stringify(c.options) : ''}: heads, upgrade head, downgrade base`, async () => {
      const copy = copyFixture(c.fixture);
      const db = `sq_${Math.random().toString(16).slice(2, 10)}`;
      try {
        const l = await loadFixture(copy.dir);
        const plan = planSquash({ map: l.map, files: l.files, from: c.from, to: c.to, options: c.options });
        const render = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
        assert.equal(render.renderedWith, 'project-template');
        applyEdits(buildEdits(plan, render, l.files), { journalDir: path.join(l.project.scriptLocation!, '.alembic-squash') });

        const reread = await loadFixture(copy.dir);
        assert.deepEqual(reread.map.heads, c.heads);
        const heads = alembic(copy.dir, ['heads']);
        assert.ok(heads.ok, heads.out);
        for (const h of c.heads) assert.ok(heads.out.includes(h), heads.out);
        const history = alembic(copy.dir, ['history']);
        assert.ok(history.ok && history.out.includes(plan.newRevision), history.out);

        const url = await cluster!.createDatabase(db);
        const up = alembic(copy.dir, ['upgrade', 'heads'], url);
        assert.ok(up.ok, up.out);
        const state = await readDatabaseState(url);
        assert.deepEqual(state.versions, c.heads);
        assert.equal(adviseDatabase(plan, state.versions).ready, true);
        const down = alembic(copy.dir, ['downgrade', 'base'], url);
        if (c.downgradeRaises) assert.ok(!down.ok && down.out.includes('NotImplementedError'), down.out);
        else {
          assert.ok(down.ok, down.out);
          assert.deepEqual((await readDatabaseState(url)).versions, []);
        }
      } finally {
        await cluster!.dropDatabase(db).catch(() => undefined);
        copy.cleanup();
      }
    });
  }

  it('a database at the old tip follows the stamp plan after a squash with a new id', async () => {
    const copy = copyFixture('linear');
    const db = `sq_${Math.random().toString(16).slice(2, 10)}`;
    try {
      const url = await cluster!.createDatabase(db);
      // Deployed with the old code, up to the range's tip.
      assert.ok(alembic(copy.dir, ['upgrade', 'e91a4d6c0b27'], url).ok);
      const l = await loadFixture(copy.dir);
      const plan = planSquash({ map: l.map, files: l.files, from: '8a4e6b2c9f31', to: 'e91a4d6c0b27', options: { revisionId: 'new' } });
      const render = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
      applyEdits(buildEdits(plan, render, l.files), { journalDir: path.join(l.project.scriptLocation!, '.alembic-squash') });

      const advice = adviseDatabase(plan, (await readDatabaseState(url)).versions);
      assert.equal(advice.ready, false);
      assert.equal(advice.rows[0].position, 'at-tip');
      // Without the advised step Alembic cannot even locate the database's revision.
      const blocked = alembic(copy.dir, ['upgrade', 'head'], url);
      assert.ok(!blocked.ok && blocked.out.includes('e91a4d6c0b27'), blocked.out);
      assert.ok(alembic(copy.dir, ['stamp', '--purge', plan.newRevision], url).ok);
      const up = alembic(copy.dir, ['upgrade', 'head'], url);
      assert.ok(up.ok, up.out);
      assert.deepEqual((await readDatabaseState(url)).versions, ['0d3b8f5a61c9']);
    } finally {
      await cluster!.dropDatabase(db).catch(() => undefined);
      copy.cleanup();
    }
  });
});
