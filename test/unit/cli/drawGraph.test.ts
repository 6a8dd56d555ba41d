import { strict as assert } from 'node:assert';
import { drawGraph } from '../../../src/cli/drawGraph';

const render = (nodes: { id: string; parents: string[] }[]) =>
  drawGraph(nodes).map((r) => (r.prefix + (r.id ? ' ' + r.id : '')).trimEnd());

describe('drawGraph', () => {
  it('draws a linear history as one column', () => {
    assert.deepEqual(render([{ id: 'c', parents: ['b'] }, { id: 'b', parents: ['a'] }, { id: 'a', parents: [] }]), ['* c', '* b', '* a']);
  });

  it('draws a branch and a merge with fork and join connectors', () => {
    const rows = render([
      { id: 'm', parents: ['b1', 'c1'] },
      { id: 'c1', parents: ['a'] },
      { id: 'b1', parents: ['a'] },
      { id: 'a', parents: [] },
    ]);
    assert.deepEqual(rows, ['* m', '|\\', '| * c1', '* | b1', '|/', '* a']);
  });

  it('opens one lane per parent of a three-parent merge and joins them at the branch point', () => {
    const rows = render([
      { id: 'm', parents: ['x', 'y', 'z'] },
      { id: 'z', parents: ['a'] },
      { id: 'y', parents: ['a'] },
      { id: 'x', parents: ['a'] },
      { id: 'a', parents: [] },
    ]);
    assert.equal(rows[0], '* m');
    assert.equal(rows[1], "|-.-.");
    assert.ok(rows.includes('| | * z'));
    assert.ok(rows.includes('* | | x'));
    assert.equal(rows[rows.length - 2], "|-'-'");
    assert.equal(rows[rows.length - 1], '* a');
  });

  it('separates independent histories with a blank row', () => {
    const rows = render([{ id: 'b2', parents: ['b1'] }, { id: 'b1', parents: [] }, { id: 'a2', parents: ['a1'] }, { id: 'a1', parents: [] }]);
    assert.deepEqual(rows, ['* b2', '* b1', '', '* a2', '* a1']);
  });

  it('gives each separate head its own lane', () => {
    const rows = render([{ id: 'h1', parents: ['a'] }, { id: 'h2', parents: ['a'] }, { id: 'a', parents: [] }]);
    assert.deepEqual(rows, ['* h1', '| * h2', '|/', '* a']);
  });
});
