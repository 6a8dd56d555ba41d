import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { buildEdits, planSquash, renderSquash, stampPlan } from '../../../src/core/squash';
import { memberDiff, memberText, squashedBlocks } from '../../../src/extension/review/memberDiff';
import { reviewModel } from '../../../src/extension/review/model';
import { load } from './support';

async function squashOf(fixture: string, from: string, to: string, revisionId = 'tip', optimize = true) {
  const { scripts, files } = await load(fixture);
  const plan = planSquash({ map: scripts.map, files, project: scripts.project, from, to, options: { revisionId, optimize } });
  const render = await renderSquash({ plan, files, project: scripts.project });
  const edits = buildEdits(plan, render, files);
  return { plan, render, edits, files, here: scripts.project.here };
}

describe('the squash review screen (model and per-member diff)', () => {
  it('lists the range, the members with messages, the files and the stamp plan', async () => {
    const { plan, render, edits, here } = await squashOf('linear', '8a4e6b2c9f31', 'e91a4d6c0b27', 'new');
    const model = reviewModel({ plan, render, edits, stamp: stampPlan(plan), strategy: 'ops', here });
    assert.equal(model.strategy, 'ops');
    assert.deepEqual(model.members.map((m) => m.revision), ['8a4e6b2c9f31', 'c2d9e1f4a5b6', '5b7f0c3d2e84', 'e91a4d6c0b27']);
    assert.equal(model.members[0]!.message, 'add teams and user membership');
    assert.equal(model.files.created.length, 1);
    assert.equal(model.files.deleted.length, 4);
    assert.deepEqual(model.files.rewired, [path.join('migrations/versions', '0d3b8f5a61c9_create_projects.py')]);
    assert.ok(model.idChanged && model.stamp.idChanged);
    assert.equal(model.newFile.text, render.text);
  });

  it('reports data operations carried by the squash', async () => {
    const { scripts } = await load('data-migrations');
    const { plan, render, edits, here } = await squashOf('data-migrations', 'base', scripts.map.heads[0]!);
    const model = reviewModel({ plan, render, edits, stamp: stampPlan(plan), strategy: 'ops', here });
    assert.ok(model.data.length > 0, JSON.stringify(render.classification.map((c) => c.kind)));
  });

  it('finds the block of each member in the squashed file; an untouched member diffs as equal', async () => {
    // Without the optimizer (which folds users.team_id into its create_table), every member is untouched.
    const { plan, render, files } = await squashOf('linear', 'base', 'head', 'tip', false);
    const blocks = squashedBlocks(render.text);
    assert.deepEqual([...blocks.keys()].sort(), plan.members.map((m) => m.revision).sort());
    for (const m of plan.members) {
      const diff = memberDiff(m.revision, memberText(files.get(m.path)?.file), blocks.get(m.revision));
      assert.ok(diff.found);
      assert.equal(diff.added + diff.removed, 0, `${m.revision}: ${JSON.stringify(diff.rows.filter((r) => r.kind !== 'same'))}`);
    }
  });

  it('shows a changed line next to its original', () => {
    const diff = memberDiff('r1', { upgrade: "op.add_column('t', 'a')\nop.drop_table('x')", downgrade: 'pass' }, { upgrade: "op.add_column('t', 'a')\nop.drop_table('y')", downgrade: 'pass' });
    const changed = diff.rows.filter((r) => r.kind !== 'same');
    assert.deepEqual(changed, [{ kind: 'changed', left: { line: 3, text: "    op.drop_table('x')" }, right: { line: 3, text: "    op.drop_table('y')" } }]);
    assert.equal(memberDiff('r2', { upgrade: 'pass', downgrade: 'pass' }, undefined).found, false);
  });
});
