import { strict as assert } from 'node:assert';
import { fromCandidates, rangeForSelection } from '../../../src/extension/squash/candidates';
import { load } from './support';

describe('squash range choices', () => {
  it('offers base and every ancestor of the tip, newest first, with their sizes', async () => {
    const { scripts } = await load('linear');
    const choices = fromCandidates(scripts.map, 'e91a4d6c0b27');
    assert.deepEqual(choices.map((c) => c.from), ['base', 'e91a4d6c0b27', '5b7f0c3d2e84', 'c2d9e1f4a5b6', '8a4e6b2c9f31', '3f1c2a9b7d10']);
    assert.deepEqual(choices.map((c) => c.members.length), [5, 1, 2, 3, 4, 5]);
    assert.ok(choices.every((c) => c.check.ok));
  });

  it('says why a start inside one branch of a merge cannot be squashed up to the merge', async () => {
    const { scripts } = await load('branch-merge');
    const byFrom = new Map(fromCandidates(scripts.map, '116789ada3ab').map((c) => [c.from, c]));
    assert.equal(byFrom.get('base')!.check.ok, true);
    assert.equal(byFrom.get('ccfb5e658949')!.check.ok, true);
    const inside = byFrom.get('2e3bb4244796')!;
    assert.equal(inside.check.ok, false);
    assert.ok(inside.check.reasons.some((r) => r.revisions.includes('957652cfb6bf')), JSON.stringify(inside.check.reasons));
  });

  it('turns a convex selection into the range it is', async () => {
    const { scripts } = await load('branch-merge');
    assert.deepEqual(rangeForSelection(scripts.map, ['116789ada3ab', 'ccfb5e658949']), {
      ok: true,
      from: 'ccfb5e658949',
      to: '116789ada3ab',
      members: ['ccfb5e658949', '116789ada3ab'],
    });
  });

  it('refuses a selection with a hole and gives the reasons', async () => {
    const { scripts } = await load('linear');
    const result = rangeForSelection(scripts.map, ['3f1c2a9b7d10', 'c2d9e1f4a5b6']);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.reasons.length >= 1);
  });

  it('refuses two branches that share a parent outside the selection, naming the roots', async () => {
    const { scripts } = await load('branch-merge');
    const result = rangeForSelection(scripts.map, ['0637049d18c4', '2e3bb4244796', 'f360e7047cbf', '957652cfb6bf', 'ccfb5e658949']);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.reasons[0]!.includes('0637049d18c4') && result.reasons[0]!.includes('f360e7047cbf'), JSON.stringify(result));
  });

  it('takes one of two independent histories as a range from its own base', async () => {
    const { scripts } = await load('branch-labels');
    const heads = scripts.map.heads;
    const one = scripts.map.range('base', heads[0]!);
    assert.ok(one.length >= 2 && one.length < scripts.map.size);
    const result = rangeForSelection(scripts.map, one);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(result.ok && result.to === heads[0]);
  });
});
