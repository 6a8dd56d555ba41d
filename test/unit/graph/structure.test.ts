import { strict as assert } from 'node:assert';
import { RevisionMap } from '../../../src/core/graph';
import { rev } from './helpers';

describe('RevisionMap structure', () => {
  describe('linear history', () => {
    // create_users ← add_email ← add_orders
    const map = new RevisionMap([
      rev('3f1a9c2e7b10', ['1975ea83b712']),
      rev('1975ea83b712', []),
      rev('ae1027a6acf4', ['3f1a9c2e7b10']),
    ]);

    it('has one head and one base', () => {
      assert.deepEqual(map.heads, ['ae1027a6acf4']);
      assert.deepEqual(map.realHeads, ['ae1027a6acf4']);
      assert.deepEqual(map.bases, ['1975ea83b712']);
      assert.deepEqual(map.realBases, ['1975ea83b712']);
      assert.deepEqual(map.branchPoints, []);
      assert.deepEqual(map.mergePoints, []);
    });

    it('orders oldest first whatever the input order', () => {
      assert.deepEqual(map.topologicalOrder(), ['1975ea83b712', '3f1a9c2e7b10', 'ae1027a6acf4']);
      assert.deepEqual(
        map.revisions.map((r) => r.revision),
        ['1975ea83b712', '3f1a9c2e7b10', 'ae1027a6acf4'],
      );
    });

    it('walks parents, children, ancestors and descendants', () => {
      assert.deepEqual(map.parents('3f1a9c2e7b10'), ['1975ea83b712']);
      assert.deepEqual(map.children('3f1a9c2e7b10'), ['ae1027a6acf4']);
      assert.deepEqual(map.ancestors('ae1027a6acf4'), ['1975ea83b712', '3f1a9c2e7b10']);
      assert.deepEqual(map.descendants('1975ea83b712'), ['3f1a9c2e7b10', 'ae1027a6acf4']);
      assert.deepEqual(map.ancestors('1975ea83b712'), []);
      assert.ok(map.isHead('ae1027a6acf4'));
      assert.ok(!map.isHead('3f1a9c2e7b10'));
      assert.ok(map.isBase('1975ea83b712'));
      assert.ok(!map.isBase('ae1027a6acf4'));
    });

    it('answers nothing for an id it does not know', () => {
      assert.equal(map.get('ffffffffffff'), undefined);
      assert.ok(!map.isHead('ffffffffffff'));
      assert.deepEqual(map.parents('ffffffffffff'), []);
    });
  });

  describe('branch and merge', () => {
    //        b1 ─ b2
    //  a ─<           >─ m
    //        c1 ──────
    const map = new RevisionMap([
      rev('a', []),
      rev('b1', ['a']),
      rev('b2', ['b1']),
      rev('c1', ['a']),
      rev('m', ['b2', 'c1']),
    ]);

    it('finds the branch point and the merge point', () => {
      assert.deepEqual(map.branchPoints, ['a']);
      assert.deepEqual(map.mergePoints, ['m']);
      assert.ok(map.isBranchPoint('a'));
      assert.ok(map.isMergePoint('m'));
      assert.ok(!map.isMergePoint('b2'));
      assert.deepEqual(map.heads, ['m']);
    });

    it('puts both branches before the merge', () => {
      const order = map.topologicalOrder();
      assert.equal(order[0], 'a');
      assert.equal(order[order.length - 1], 'm');
      assert.ok(order.indexOf('b1') < order.indexOf('b2'));
      assert.deepEqual([...order].sort(), ['a', 'b1', 'b2', 'c1', 'm']);
    });

    it('before the merge, the project has two heads', () => {
      const unmerged = new RevisionMap(map.revisions.filter((r) => r.revision !== 'm'));
      assert.deepEqual(unmerged.heads, ['b2', 'c1']);
    });

    it('handles a merge of three branches', () => {
      const three = new RevisionMap([
        rev('base1', []),
        rev('x', ['base1']),
        rev('y', ['base1']),
        rev('z', ['base1']),
        rev('merge3', ['x', 'y', 'z']),
      ]);
      assert.deepEqual(three.mergePoints, ['merge3']);
      assert.deepEqual(three.parents('merge3'), ['x', 'y', 'z']);
      assert.deepEqual(three.children('base1'), ['x', 'y', 'z']);
      assert.deepEqual(three.heads, ['merge3']);
      assert.deepEqual(three.ancestors('merge3'), ['base1', 'x', 'y', 'z']);
    });
  });

  describe('depends_on across branches', () => {
    // Two independent branches; the "billing" head depends on the "accounts" head.
    const map = new RevisionMap([
      rev('acc1', [], { branchLabels: ['accounts'] }),
      rev('acc2', ['acc1']),
      rev('bil1', [], { branchLabels: ['billing'] }),
      rev('bil2', ['bil1'], { dependencies: ['acc2'] }),
    ]);

    it('heads ignore depends_on, real heads do not', () => {
      assert.deepEqual(map.heads, ['acc2', 'bil2']);
      assert.deepEqual(map.realHeads, ['bil2']);
    });

    it('bases ignore depends_on, real bases do not', () => {
      const withBaseDependency = new RevisionMap([...map.revisions, rev('plug1', [], { dependencies: ['acc1'] })]);
      assert.deepEqual(withBaseDependency.bases, ['acc1', 'bil1', 'plug1']);
      assert.deepEqual(withBaseDependency.realBases, ['acc1', 'bil1']);
    });

    it('keeps dependencies apart from children', () => {
      assert.deepEqual(map.children('acc2'), []);
      assert.deepEqual(map.dependents('acc2'), ['bil2']);
      assert.deepEqual(map.dependencies('bil2'), ['acc2']);
      assert.deepEqual(map.ancestors('bil2'), ['bil1']);
      assert.deepEqual(map.ancestors('bil2', { includeDependencies: true }), ['acc1', 'acc2', 'bil1']);
      assert.deepEqual(map.descendants('acc1', { includeDependencies: true }), ['acc2', 'bil2']);
    });

    it('orders a dependency before the revision that needs it', () => {
      const order = map.topologicalOrder();
      assert.ok(order.indexOf('acc2') < order.indexOf('bil2'));
    });

    it('resolves depends_on written as a branch label', () => {
      const byLabel = new RevisionMap([
        rev('acc1', [], { branchLabels: ['accounts'] }),
        rev('bil1', [], { dependencies: ['accounts'] }),
      ]);
      assert.deepEqual(byLabel.dependencies('bil1'), ['acc1']);
      assert.deepEqual(byLabel.dependents('acc1'), ['bil1']);
      assert.deepEqual(byLabel.realHeads, ['bil1']);
      // Two heads by down_revision is what Alembic reports too; nothing else is wrong.
      assert.deepEqual(
        byLabel.graphProblems().map((p) => p.code),
        ['multiple-heads'],
      );
    });

    it('does not resolve depends_on written as a prefix (Alembic fails on it too)', () => {
      const byPrefix = new RevisionMap([rev('acc1234', []), rev('bil1', [], { dependencies: ['acc1'] })]);
      assert.deepEqual(byPrefix.dependencies('bil1'), []);
      const [problem] = byPrefix.graphProblems().filter((p) => p.code !== 'multiple-heads');
      assert.equal(problem.code, 'missing-dependency');
      assert.equal(problem.target, 'acc1');
      assert.deepEqual(problem.suggestions, ['acc1234']);
    });

    it('treats an empty depends_on as no dependency', () => {
      const empty = new RevisionMap([rev('a', [], { dependencies: [] })]);
      assert.deepEqual(empty.realBases, ['a']);
      assert.deepEqual(empty.graphProblems(), []);
    });
  });

  describe('disconnected histories', () => {
    const map = new RevisionMap([
      rev('zz1', []),
      rev('zz2', ['zz1']),
      rev('aa1', []),
      rev('aa2', ['aa1']),
    ]);

    it('has one base and one head per history', () => {
      assert.deepEqual(map.bases, ['aa1', 'zz1']);
      assert.deepEqual(map.heads, ['aa2', 'zz2']);
    });

    it('orders both histories deterministically, ties by id', () => {
      assert.deepEqual(map.topologicalOrder(), ['aa1', 'aa2', 'zz1', 'zz2']);
      const shuffled = new RevisionMap([...map.revisions].reverse());
      assert.deepEqual(shuffled.topologicalOrder(), ['aa1', 'aa2', 'zz1', 'zz2']);
    });
  });

  describe('cycles', () => {
    it('leaves cycle members out of the order but keeps what hangs below them', () => {
      // base ← x ⇄ y, and z on top of y
      const map = new RevisionMap([rev('base', []), rev('x', ['base', 'y']), rev('y', ['x']), rev('z', ['y'])]);
      assert.deepEqual(map.cycles(), [['x', 'y']]);
      assert.deepEqual(map.topologicalOrder(), ['base', 'z']);
      assert.deepEqual(
        map.revisions.map((r) => r.revision),
        ['base', 'z', 'x', 'y'],
      );
      assert.throws(() => map.assertAcyclic(), { code: 'cycle', revisions: ['x', 'y'] });
    });

    it('terminates ancestors and descendants on a cycle', () => {
      const map = new RevisionMap([rev('p', ['q']), rev('q', ['p'])]);
      assert.deepEqual(map.ancestors('p').sort(), ['p', 'q']);
      assert.deepEqual(map.heads, []);
      assert.deepEqual(map.bases, []);
    });
  });
});
