import { strict as assert } from 'node:assert';
import { RevisionMap } from '../../../src/core/graph';
import { rev } from './helpers';

describe('RevisionMap.update', () => {
  const files = {
    base: 'versions/1975ea83b712_create_users.py',
    email: 'versions/27c6a30d7c24_add_email.py',
    orders: 'versions/3f1a9c2e7b10_add_orders.py',
  };

  function project(): RevisionMap {
    return new RevisionMap([
      rev('1975ea83b712', [], { path: files.base }),
      rev('27c6a30d7c24', ['1975ea83b712'], { path: files.email }),
    ]);
  }

  it('adds a revision created on disk', () => {
    const map = project();
    map.update(files.orders, rev('3f1a9c2e7b10', ['27c6a30d7c24'], { path: files.orders }));
    assert.deepEqual(map.heads, ['3f1a9c2e7b10']);
    assert.deepEqual(map.children('27c6a30d7c24'), ['3f1a9c2e7b10']);
  });

  it('follows an edited down_revision', () => {
    const map = project();
    map.update(files.orders, rev('3f1a9c2e7b10', ['27c6a30d7c24'], { path: files.orders }));
    map.update(files.orders, rev('3f1a9c2e7b10', ['1975ea83b712'], { path: files.orders }));
    assert.deepEqual(map.heads, ['27c6a30d7c24', '3f1a9c2e7b10']);
    assert.deepEqual(map.branchPoints, ['1975ea83b712']);
    assert.deepEqual(map.children('27c6a30d7c24'), []);
  });

  it('follows an edited revision id, dropping the old one', () => {
    const map = project();
    map.update(files.email, rev('aaaa00000000', ['1975ea83b712'], { path: files.email }));
    assert.equal(map.get('27c6a30d7c24'), undefined);
    assert.deepEqual(map.heads, ['aaaa00000000']);
  });

  it('forgets a deleted file, exposing a missing parent', () => {
    const map = project();
    map.update(files.orders, rev('3f1a9c2e7b10', ['27c6a30d7c24'], { path: files.orders }));
    map.update(files.email, undefined);
    assert.equal(map.size, 2);
    const problem = map.graphProblems().find((p) => p.code === 'missing-parent')!;
    assert.equal(problem.path, files.orders);
    assert.equal(problem.target, '27c6a30d7c24');
  });

  it('resolves a duplicate once one of the files is removed', () => {
    const map = project();
    const copy = 'versions/27c6a30d7c24_add_email_copy.py';
    map.update(copy, rev('27c6a30d7c24', ['1975ea83b712'], { path: copy }));
    assert.equal(map.graphProblems().filter((p) => p.code === 'duplicate-revision').length, 2);
    map.update(copy, undefined);
    assert.deepEqual(map.graphProblems(), []);
    assert.equal(map.claimants('27c6a30d7c24').length, 1);
  });

  it('re-resolves depends_on when the label it names appears or disappears', () => {
    const map = new RevisionMap([rev('acc1', [], { path: 'a.py' }), rev('bil1', [], { path: 'b.py', dependencies: ['accounts'] })]);
    assert.deepEqual(map.dependencies('bil1'), []);
    map.update('a.py', rev('acc1', [], { path: 'a.py', branchLabels: ['accounts'] }));
    assert.deepEqual(map.dependencies('bil1'), ['acc1']);
    assert.deepEqual(map.realHeads, ['bil1']);
    map.update('a.py', rev('acc1', [], { path: 'a.py' }));
    assert.deepEqual(map.realHeads, ['acc1', 'bil1']);
  });

  it('clears', () => {
    const map = project();
    map.clear();
    assert.equal(map.size, 0);
    assert.deepEqual(map.heads, []);
  });
});
