import { strict as assert } from 'node:assert';
import { buildRevisionModels, revisionSnapshotNodes, shortDate, shortId } from '../../../src/extension/views/revisionModel';
import { load } from './support';

describe('Revisions view model', () => {
  it('lists a branch-and-merge graph from the head down to the base, every revision below its children', async () => {
    const { scripts } = await load('branch-merge');
    const models = buildRevisionModels(scripts.map, scripts.problems());
    const ids = models.map((m) => m.revision);
    assert.equal(ids.length, 7);
    assert.equal(ids[0], '116789ada3ab');
    assert.equal(ids[6], '4f94869fcc4b');
    for (const m of models) for (const child of m.children) assert.ok(ids.indexOf(child) < ids.indexOf(m.revision), `${child} should be above ${m.revision}`);
  });

  it('marks heads, bases, merge and branch points in kind and contextValue facets', async () => {
    const { scripts } = await load('branch-merge');
    const byId = new Map(buildRevisionModels(scripts.map).map((m) => [m.revision, m]));
    assert.equal(byId.get('116789ada3ab')!.kind, 'head');
    assert.equal(byId.get('116789ada3ab')!.contextValue, 'revision:head');
    assert.equal(byId.get('ccfb5e658949')!.kind, 'mergepoint');
    assert.equal(byId.get('4f94869fcc4b')!.contextValue, 'revision:base:branchpoint');
    assert.equal(byId.get('0637049d18c4')!.contextValue, 'revision');
  });

  it('shows a merge point\'s parents and a depends_on target as child links', async () => {
    const merge = new Map(buildRevisionModels((await load('branch-merge')).scripts.map).map((m) => [m.revision, m])).get('ccfb5e658949')!;
    assert.deepEqual(merge.links, [{ kind: 'merges', label: 'merges 2e3bb424, 957652cf', revisions: ['2e3bb4244796', '957652cfb6bf'] }]);
    const dependsOn = new Map(buildRevisionModels((await load('depends-on')).scripts.map).map((m) => [m.revision, m]));
    const stock = dependsOn.get('af4a0f59c603')!;
    assert.ok(stock.facets.includes('dependson'));
    assert.deepEqual(stock.links, [{ kind: 'dependsOn', label: 'depends on 66205814', revisions: ['66205814b23b'] }]);
    assert.deepEqual(dependsOn.get('66205814b23b')!.dependents.sort(), ['af4a0f59c603', 'd165e1a65560']);
  });

  it('describes a revision by short id and the day of its Create Date', async () => {
    const head = buildRevisionModels((await load('linear')).scripts.map)[0]!;
    assert.equal(head.revision, '0d3b8f5a61c9');
    assert.equal(head.description, '0d3b8f5a · 2024-03-11');
    assert.equal(shortId('ev0002_kind_idx'), 'ev0002_k');
    assert.equal(shortId('ev0001'), 'ev0001');
    assert.equal(shortDate(undefined), undefined);
  });

  it('attaches file problems to the revision and marks it with the problem facet', async () => {
    const { scripts } = await load('broken/missing-parent');
    const models = buildRevisionModels(scripts.map, scripts.problems());
    const orphan = models.find((m) => m.revision === '69f2f70f3774')!;
    assert.ok(orphan.facets.includes('problem'), JSON.stringify(orphan.facets));
    assert.ok(orphan.problems.some((p) => p.message.includes('0badc0ffee00')), JSON.stringify(orphan.problems));
  });

  it('serializes what the view shows, links as children', async () => {
    const nodes = revisionSnapshotNodes(buildRevisionModels((await load('branch-merge')).scripts.map));
    const merge = nodes.find((n) => n.revision === 'ccfb5e658949')!;
    assert.deepEqual(merge.children, [{ label: 'merges 2e3bb424, 957652cf', contextValue: 'link:merges' }]);
    assert.equal(nodes.find((n) => n.revision === '116789ada3ab')!.children, undefined);
  });
});
