import { strict as assert } from 'node:assert';
import { planSquash, stampPlan } from '../../../src/core/squash';
import { replacedBodiesText, stampPlanMarkdown } from '../../../src/extension/squash/reviewText';
import { load } from './support';

describe('squash review texts', () => {
  it('lists the replaced upgrade bodies oldest first and downgrade bodies newest first, each marked', async () => {
    const { scripts, files } = await load('linear');
    const plan = planSquash({ map: scripts.map, files, from: '8a4e6b2c9f31', to: 'c2d9e1f4a5b6' });
    const text = replacedBodiesText(plan, files);
    const up = text.slice(text.indexOf('def upgrade()'), text.indexOf('def downgrade()'));
    const down = text.slice(text.indexOf('def downgrade()'));
    assert.ok(up.indexOf('# --- 8a4e6b2c9f31') < up.indexOf('# --- c2d9e1f4a5b6'));
    assert.ok(down.indexOf('# --- c2d9e1f4a5b6') < down.indexOf('# --- 8a4e6b2c9f31'));
    const teams = files.get(scripts.fileOf('8a4e6b2c9f31')!.path)!.file;
    const firstLine = teams.upgrade!.body.split('\n')[0]!;
    assert.ok(up.includes('    ' + firstLine), `upgrade body of 8a4e6b2c9f31 not found indented:\n${up}`);
  });

  it('writes a stamp plan that tells what databases at the old tip must run after a new id', async () => {
    const { scripts, files } = await load('linear');
    const plan = planSquash({ map: scripts.map, files, from: 'base', to: 'e91a4d6c0b27', options: { revisionId: 'new' } });
    const md = stampPlanMarkdown(plan, stampPlan(plan));
    assert.ok(md.includes('**new id**'));
    assert.ok(md.includes(`alembic stamp --purge ${plan.newRevision}`));
    assert.ok(md.includes('Rewired to the new id: `0d3b8f5a61c9`'));
  });
});
