import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { NotSquashableError, planSquash, stampPlan, adviseDatabase, BranchLabelClashError, InvalidRevisionIdError } from '../../../src/core/squash';
import { FIXTURES, loadFixture } from './support';

const fixture = (name: string) => loadFixture(path.join(FIXTURES, name));

describe('squash plan', () => {
  it('linear base..head: every revision in order, tip kept, no parent', async () => {
    const l = await fixture('linear');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head' });
    assert.deepEqual(plan.members.map((m) => m.revision), ['3f1c2a9b7d10', '8a4e6b2c9f31', 'c2d9e1f4a5b6', '5b7f0c3d2e84', 'e91a4d6c0b27', '0d3b8f5a61c9']);
    assert.equal(plan.tip, '0d3b8f5a61c9');
    assert.equal(plan.newRevision, '0d3b8f5a61c9');
    assert.equal(plan.idChanged, false);
    assert.deepEqual(plan.downRevisions, []);
    assert.equal(plan.fromBase, true);
    assert.deepEqual(plan.children, []);
  });

  it('a middle range keeps its parent and lists the child pointing at its tip', async () => {
    const l = await fixture('linear');
    const plan = planSquash({ map: l.map, files: l.files, from: '8a4e', to: '5b7f0c3d2e84' });
    assert.deepEqual(plan.members.map((m) => m.revision), ['8a4e6b2c9f31', 'c2d9e1f4a5b6', '5b7f0c3d2e84']);
    assert.deepEqual(plan.downRevisions, ['3f1c2a9b7d10']);
    assert.deepEqual(plan.children.map((c) => [c.revision, c.via]), [['e91a4d6c0b27', ['down_revision']]]);
    assert.equal(plan.fromBase, false);
  });

  it('a branch + merge up to the merge: both branches and the merge are members, the child is listed', async () => {
    const l = await fixture('branch-merge');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'ccfb5e658949' });
    assert.deepEqual(new Set(plan.members.map((m) => m.revision)), new Set(['4f94869fcc4b', '0637049d18c4', '2e3bb4244796', 'f360e7047cbf', '957652cfb6bf', 'ccfb5e658949']));
    assert.equal(plan.members[plan.members.length - 1].revision, 'ccfb5e658949');
    assert.equal(plan.members[0].revision, '4f94869fcc4b');
    assert.deepEqual(plan.children.map((c) => c.revision), ['116789ada3ab']);
  });

  it('refuses a range entered from outside below its root, naming the revisions and the edge', async () => {
    const l = await fixture('branch-merge');
    // 0637049d18c4..ccfb5e658949 takes one branch and the merge, but not the other branch's parent.
    assert.throws(
      () => planSquash({ map: l.map, files: l.files, from: '0637049d18c4', to: 'ccfb5e658949' }),
      (err: unknown) => {
        assert.ok(err instanceof NotSquashableError);
        const entering = err.reasons.find((r) => r.code === 'edge-into-interior');
        assert.ok(entering, JSON.stringify(err.reasons));
        assert.deepEqual(entering.edge, { revision: 'ccfb5e658949', field: 'down_revision', target: '957652cfb6bf' });
        return true;
      },
    );
  });

  it('refuses a range that something outside branches off in the middle, with every reason', async () => {
    const l = await fixture('depends-on');
    assert.throws(
      () => planSquash({ map: l.map, files: l.files, from: 'base', to: '66205814b23b' }),
      (err: unknown) => {
        assert.ok(err instanceof NotSquashableError);
        const codes = err.reasons.map((r) => `${r.code}:${r.revisions.join(',')}`);
        assert.ok(codes.includes('branch-off-interior:66bacb539df2,844641c80427'), codes.join(' | '));
        return true;
      },
    );
  });

  it('keeps a depends_on pointing outside the range and drops ones inside it', async () => {
    const l = await fixture('depends-on');
    const plan = planSquash({ map: l.map, files: l.files, from: '66bacb539df2', to: 'd165e1a65560' });
    assert.deepEqual(plan.downRevisions, ['844641c80427']);
    assert.deepEqual(plan.dependencies, ['66205814b23b']);
    assert.deepEqual(plan.children.map((c) => c.revision), ['f45dc86c9ea4']);
  });

  it('moves branch labels of members to the new revision', async () => {
    const l = await fixture('branch-labels');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'billing@head' });
    assert.deepEqual(plan.branchLabels, ['billing']);
    assert.deepEqual(plan.members.map((m) => m.revision), ['b8027720effd', '18cc5ff2f572', '56ad9a661cab']);
  });

  it('refuses a label carried twice after the squash', async () => {
    const l = await fixture('branch-labels');
    // An outside revision claiming the same label as a member (as after a bad copy-paste).
    const billing = l.map.get('b8027720effd')!;
    l.map.update('/virtual/clash.py', { revision: 'aaaa11112222', downRevisions: ['192db78bc465'], dependencies: [], branchLabels: ['billing'], path: '/virtual/clash.py' });
    assert.throws(() => planSquash({ map: l.map, files: l.files, from: 'b8027720effd', to: '56ad9a661cab' }), (err: unknown) => {
      assert.ok(err instanceof BranchLabelClashError);
      assert.deepEqual(err.revisions.sort(), [billing.revision, 'aaaa11112222'].sort());
      return true;
    });
  });

  it('a new id is 12 hex digits; an explicit id is validated', async () => {
    const l = await fixture('linear');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'c2d9e1f4a5b6', options: { revisionId: 'new' } });
    assert.match(plan.newRevision, /^[0-9a-f]{12}$/);
    assert.equal(plan.idChanged, true);
    assert.throws(() => planSquash({ map: l.map, files: l.files, from: 'base', to: 'c2d9e1f4a5b6', options: { revisionId: 'e91a4d6c0b27' } }), InvalidRevisionIdError);
    assert.throws(() => planSquash({ map: l.map, files: l.files, from: 'base', to: 'c2d9e1f4a5b6', options: { revisionId: 'a-b' } }), InvalidRevisionIdError);
    const explicit = planSquash({ map: l.map, files: l.files, from: 'base', to: 'c2d9e1f4a5b6', options: { revisionId: 'squashed_0001' } });
    assert.equal(explicit.newRevision, 'squashed_0001');
  });
});

describe('stamp plan', () => {
  it('with the tip id kept, databases at or after the tip need nothing; inside must upgrade first', async () => {
    const l = await fixture('linear');
    const plan = planSquash({ map: l.map, files: l.files, from: '8a4e6b2c9f31', to: '5b7f0c3d2e84' });
    assert.deepEqual(adviseDatabase(plan, ['5b7f0c3d2e84']).ready, true);
    assert.deepEqual(adviseDatabase(plan, ['0d3b8f5a61c9']).rows[0].position, 'after');
    const inside = adviseDatabase(plan, ['c2d9e1f4a5b6']);
    assert.equal(inside.ready, false);
    assert.equal(inside.rows[0].position, 'inside');
    assert.ok(inside.steps[0].includes('alembic upgrade 5b7f0c3d2e84'), inside.steps[0]);
    assert.equal(adviseDatabase(plan, ['3f1c2a9b7d10']).rows[0].position, 'before');
    assert.equal(adviseDatabase(plan, ['3f1c2a9b7d10']).ready, true);
    assert.equal(adviseDatabase(plan, ['ffffffffffff']).rows[0].position, 'unknown');
  });

  it('with a new id, a database at the old tip must have its row replaced', async () => {
    const l = await fixture('linear');
    const plan = planSquash({ map: l.map, files: l.files, from: '8a4e6b2c9f31', to: '5b7f0c3d2e84', options: { revisionId: 'new' } });
    const atTip = adviseDatabase(plan, ['5b7f0c3d2e84']);
    assert.equal(atTip.ready, false);
    assert.ok(atTip.steps[0].includes(`alembic stamp --purge ${plan.newRevision}`), atTip.steps[0]);
    const twoHeads = adviseDatabase(plan, ['5b7f0c3d2e84', 'ffffffffffff']);
    assert.ok(twoHeads.rows[0].steps[0].includes(`UPDATE alembic_version SET version_num = '${plan.newRevision}' WHERE version_num = '5b7f0c3d2e84'`));
    const text = stampPlan(plan).text;
    assert.ok(text.includes('ACTION  at-tip'), text);
    assert.ok(text.includes('ACTION  inside'), text);
  });
});
