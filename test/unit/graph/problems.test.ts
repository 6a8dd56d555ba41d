import { strict as assert } from 'node:assert';
import { RevisionMap, type GraphProblem } from '../../../src/core/graph';
import { rev } from './helpers';

const only = (problems: GraphProblem[], code: string) => problems.filter((p) => p.code === code);

describe('graph problems', () => {
  it('reports nothing for a healthy linear history', () => {
    const map = new RevisionMap([rev('1975ea83b712', []), rev('27c6a30d7c24', ['1975ea83b712'])]);
    assert.deepEqual(map.graphProblems(), []);
  });

  describe('duplicate revision ids', () => {
    const map = new RevisionMap([
      rev('1975ea83b712', []),
      rev('27c6a30d7c24', ['1975ea83b712'], { path: 'versions/27c6a30d7c24_add_email.py' }),
      rev('27c6a30d7c24', ['1975ea83b712'], { path: 'versions/27c6a30d7c24_add_email_copy.py' }),
    ]);

    it('reports one problem per file claiming the id', () => {
      const problems = only(map.graphProblems(), 'duplicate-revision');
      assert.deepEqual(
        problems.map((p) => p.path),
        ['versions/27c6a30d7c24_add_email.py', 'versions/27c6a30d7c24_add_email_copy.py'],
      );
      for (const p of problems) {
        assert.equal(p.severity, 'error');
        assert.equal(p.revision, '27c6a30d7c24');
        assert.equal(p.field, 'revision');
        assert.deepEqual(p.range, { start: 0, end: 0 });
      }
      assert.match(problems[0].message, /27c6a30d7c24_add_email_copy\.py/);
    });

    it('keeps both files but one node', () => {
      assert.equal(map.size, 2);
      assert.equal(map.claimants('27c6a30d7c24').length, 2);
      assert.equal(map.entries().length, 3);
      assert.deepEqual(map.heads, ['27c6a30d7c24']);
    });

    it('uses the file whose path sorts last, whatever the input order', () => {
      const a = rev('dup1', ['base1'], { path: 'versions/a.py' });
      const b = rev('dup1', [], { path: 'versions/b.py' });
      for (const order of [[a, b], [b, a]]) {
        const m = new RevisionMap([rev('base1', []), ...order]);
        assert.equal(m.get('dup1'), b);
        assert.deepEqual(m.heads, ['base1', 'dup1']);
      }
    });
  });

  describe('missing down_revision', () => {
    const map = new RevisionMap([
      rev('1975ea83b712', []),
      rev('27c6a30d7c24', ['1975ea83b712']),
      rev('ae1027a6acf4', ['27c6a30d7c42']), // two characters swapped
      rev('b0b0b0b0b0b0', ['27c6a30d']), // truncated
      rev('c1c1c1c1c1c1', ['ffffffffffff']), // nothing close
    ]);
    const problems = only(map.graphProblems(), 'missing-parent');

    it('names the file, the field and the missing id', () => {
      assert.deepEqual(
        problems.map((p) => [p.revision, p.field, p.target]),
        [
          ['ae1027a6acf4', 'down_revision', '27c6a30d7c42'],
          ['b0b0b0b0b0b0', 'down_revision', '27c6a30d'],
          ['c1c1c1c1c1c1', 'down_revision', 'ffffffffffff'],
        ],
      );
      assert.equal(problems[0].path, 'versions/ae1027a6acf4_migration.py');
    });

    it('suggests close ids for typos and truncations, and none when nothing is close', () => {
      assert.deepEqual(problems[0].suggestions, ['27c6a30d7c24']);
      assert.match(problems[0].message, /did you mean 27c6a30d7c24/);
      assert.deepEqual(problems[1].suggestions, ['27c6a30d7c24']);
      assert.equal(problems[2].suggestions, undefined);
    });

    it('does not make the orphan a base', () => {
      assert.deepEqual(map.bases, ['1975ea83b712']);
    });
  });

  it('reports depends_on naming nothing, suggesting labels too', () => {
    const map = new RevisionMap([
      rev('acc1acc1acc1', [], { branchLabels: ['accounts'] }),
      rev('bil1bil1bil1', ['acc1acc1acc1'], { dependencies: ['acounts'] }),
    ]);
    const [problem] = only(map.graphProblems(), 'missing-dependency');
    assert.equal(problem.revision, 'bil1bil1bil1');
    assert.equal(problem.field, 'depends_on');
    assert.equal(problem.target, 'acounts');
    assert.deepEqual(problem.suggestions, ['accounts']);
  });

  describe('cycles', () => {
    it('reports a two-revision cycle on both files', () => {
      const map = new RevisionMap([rev('a1a1', ['b2b2']), rev('b2b2', ['a1a1'])]);
      const problems = only(map.graphProblems(), 'cycle');
      assert.deepEqual(
        problems.map((p) => [p.revision, p.field, p.target]),
        [
          ['a1a1', 'down_revision', 'b2b2'],
          ['b2b2', 'down_revision', 'a1a1'],
        ],
      );
      assert.deepEqual(problems[0].related, ['a1a1', 'b2b2']);
    });

    it('reports a revision naming itself', () => {
      const map = new RevisionMap([rev('base', []), rev('self', ['base', 'self'])]);
      const problems = only(map.graphProblems(), 'cycle');
      assert.equal(problems.length, 1);
      assert.equal(problems[0].revision, 'self');
      assert.equal(problems[0].target, 'self');
      assert.deepEqual(map.cycles(), [['self']]);
    });

    it('reports every member of a longer cycle, and not what hangs off it', () => {
      // root ← c1 ← c2 ← c3 ← c1 …, with leaf on c3
      const map = new RevisionMap([
        rev('root', []),
        rev('c1', ['root', 'c3']),
        rev('c2', ['c1']),
        rev('c3', ['c2']),
        rev('leaf', ['c3']),
      ]);
      const problems = only(map.graphProblems(), 'cycle');
      assert.deepEqual(
        problems.map((p) => p.revision),
        ['c1', 'c2', 'c3'],
      );
      assert.deepEqual(problems[0].related, ['c1', 'c2', 'c3']);
    });

    it('reports a cycle closed by depends_on on the depends_on field', () => {
      const map = new RevisionMap([rev('x1', [], { dependencies: ['later'] }), rev('y2', ['x1'], { branchLabels: ['later'] })]);
      const problems = only(map.graphProblems(), 'cycle');
      const onX = problems.find((p) => p.revision === 'x1')!;
      assert.equal(onX.field, 'depends_on');
      assert.equal(onX.target, 'later');
      const onY = problems.find((p) => p.revision === 'y2')!;
      assert.equal(onY.field, 'down_revision');
      assert.equal(onY.target, 'x1');
    });
  });

  it('reports multiple heads as one info problem on the first head, listing the heads once', () => {
    const map = new RevisionMap([rev('base', []), rev('feat_a', ['base']), rev('feat_b', ['base']), rev('feat_c', ['base'])]);
    const problems = only(map.graphProblems(), 'multiple-heads');
    assert.deepEqual(
      problems.map((p) => [p.revision, p.severity]),
      [['feat_a', 'info']],
    );
    assert.deepEqual(problems[0].related, ['feat_b', 'feat_c']);
    assert.match(problems[0].message, /^3 heads \(feat_a, feat_b, feat_c\)/);
  });

  it('the multiple-heads output grows with the heads, not with their square', () => {
    const many = [rev('base', []), ...Array.from({ length: 400 }, (_, i) => rev(`h${String(i).padStart(3, '0')}`, ['base']))];
    const problems = only(new RevisionMap(many).graphProblems(), 'multiple-heads');
    assert.equal(problems.length, 1);
    assert.ok(JSON.stringify(problems).length < 400 * 20, 'one list of 400 ids');
  });

  it('labelled heads (expand/contract) are named as branches, not as a merge someone forgot', () => {
    const map = new RevisionMap([
      rev('base', []),
      rev('ex1', ['base'], { branchLabels: ['expand'] }),
      rev('ex2', ['ex1']),
      rev('co1', ['base'], { branchLabels: ['contract'] }),
    ]);
    const problems = only(map.graphProblems(), 'multiple-heads');
    assert.equal(problems.length, 1, 'one problem per project');
    assert.match(problems[0].message, /^2 heads \((ex2, co1|co1, ex2)\) on labelled branches \(contract, expand\): deliberate/);
    assert.doesNotMatch(problems[0].message, /merge heads/);
    assert.match(problems[0].message, /'(contract|expand)@head'/);
    // One unlabelled head: a merge may well be missing.
    const unlabelled = new RevisionMap([rev('base', []), rev('ex1', ['base'], { branchLabels: ['expand'] }), rev('x', ['base'])]);
    assert.match(only(unlabelled.graphProblems(), 'multiple-heads')[0].message, /alembic merge heads/);
  });

  it('reports a branch label declared twice, and a label equal to a revision id', () => {
    const map = new RevisionMap([
      rev('a1', [], { branchLabels: ['shared'] }),
      rev('b1', ['a1'], { branchLabels: ['shared'] }),
      rev('c1', ['b1'], { branchLabels: ['a1'] }),
    ]);
    const problems = only(map.graphProblems(), 'branch-label-conflict');
    assert.deepEqual(
      problems.map((p) => [p.revision, p.field, p.target]),
      [
        ['a1', 'branch_labels', 'shared'],
        ['b1', 'branch_labels', 'shared'],
        ['c1', 'branch_labels', 'a1'],
      ],
    );
  });
});
