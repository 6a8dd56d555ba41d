import { strict as assert } from 'node:assert';
import {
  InvalidRangeError,
  NotSquashableError,
  RevisionMap,
  type SquashCheck,
  type SquashRefusal,
} from '../../../src/core/graph';
import type { Revision } from '../../../src/core/graph';
import { rev } from './helpers';

/** r1 ← r2 ← r3 ← r4 ← r5 ← r6 */
const chain: Revision[] = [
  rev('r1', []),
  rev('r2', ['r1']),
  rev('r3', ['r2']),
  rev('r4', ['r3']),
  rev('r5', ['r4']),
  rev('r6', ['r5']),
];

/**
 *        b1 ─ b2
 *  a ─<          >─ m ─ n
 *        c1 ────
 */
const diamond: Revision[] = [
  rev('root', []),
  rev('a', ['root']),
  rev('b1', ['a']),
  rev('b2', ['b1']),
  rev('c1', ['a']),
  rev('m', ['b2', 'c1']),
  rev('n', ['m']),
];

function refusals(check: SquashCheck, code: SquashRefusal['code']): SquashRefusal[] {
  return check.reasons.filter((r) => r.code === code);
}

describe('ranges', () => {
  const map = new RevisionMap(chain);

  it('takes the middle of a linear history', () => {
    assert.deepEqual(map.range('r2', 'r4'), ['r2', 'r3', 'r4']);
  });

  it('takes everything up to the end from base', () => {
    assert.deepEqual(map.range('base', 'r3'), ['r1', 'r2', 'r3']);
  });

  it('takes one revision when both ends are the same', () => {
    assert.deepEqual(map.range('r5', 'r5'), ['r5']);
  });

  it('accepts any REV for either end', () => {
    assert.deepEqual(map.range('base', 'head'), ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    assert.deepEqual(map.range('r5', 'head'), ['r5', 'r6']);
  });

  it('refuses a range whose start is not below its end', () => {
    assert.throws(() => map.range('r4', 'r2'), (e: unknown) => e instanceof InvalidRangeError && e.code === 'invalid-range');
    assert.throws(() => map.range('r1', 'base'), InvalidRangeError);
  });

  it('takes both sides of a diamond between its fork and its merge', () => {
    const d = new RevisionMap(diamond);
    assert.deepEqual(d.range('a', 'm'), ['a', 'b1', 'b2', 'c1', 'm']);
    assert.deepEqual(d.range('b1', 'm'), ['b1', 'b2', 'm']);
  });

  it('does not pull depends_on targets into a range', () => {
    const d = new RevisionMap([...chain, rev('other', []), rev('r7', ['r6'], { dependencies: ['other'] })]);
    assert.deepEqual(d.range('r5', 'r7'), ['r5', 'r6', 'r7']);
  });
});

describe('checkSquashable accepts convex ranges', () => {
  it('the whole history', () => {
    const map = new RevisionMap(chain);
    const check = map.checkSquashable(map.range('base', 'head'));
    assert.deepEqual(check.reasons, []);
    assert.equal(check.ok, true);
    assert.deepEqual(check.roots, ['r1']);
    assert.equal(check.tip, 'r6');
    assert.deepEqual(check.downRevisions, []);
  });

  it('the middle of a linear history, hanging from the revision below it', () => {
    const map = new RevisionMap(chain);
    const check = map.checkSquashable(['r4', 'r2', 'r3']);
    assert.equal(check.ok, true);
    assert.deepEqual(check.roots, ['r2']);
    assert.equal(check.tip, 'r4');
    assert.deepEqual(check.members, ['r2', 'r3', 'r4']);
    assert.deepEqual(check.downRevisions, ['r1']);
  });

  it('a range containing a whole branch-and-merge diamond', () => {
    const map = new RevisionMap(diamond);
    const check = map.checkSquashable(map.range('a', 'n'));
    assert.equal(check.ok, true);
    assert.deepEqual(check.roots, ['a']);
    assert.equal(check.tip, 'n');
    assert.deepEqual(check.downRevisions, ['root']);
  });

  it('several roots hanging from the same parent', () => {
    // p ← x, p ← y, merge(x, y)
    const map = new RevisionMap([rev('p', []), rev('x', ['p']), rev('y', ['p']), rev('merge', ['x', 'y'])]);
    const check = map.checkSquashable(['x', 'y', 'merge']);
    assert.equal(check.ok, true);
    assert.deepEqual(check.roots, ['x', 'y']);
    assert.equal(check.tip, 'merge');
    assert.deepEqual(check.downRevisions, ['p']);
  });

  it('several bases merged, from base', () => {
    const map = new RevisionMap([rev('u1', []), rev('v1', []), rev('merge', ['u1', 'v1'])]);
    const check = map.checkSquashable(map.range('base', 'merge'));
    assert.equal(check.ok, true);
    assert.deepEqual(check.roots, ['u1', 'v1']);
  });

  it('an outside revision depending on the tip, and a member depending on another branch', () => {
    const map = new RevisionMap([
      ...chain,
      rev('lib1', [], { branchLabels: ['lib'] }),
      rev('app1', [], { dependencies: ['r4'] }),
      rev('r3x', ['r2'], { dependencies: ['lib'] }),
      rev('r4x', ['r3x'], { dependencies: ['r1'] }),
    ]);
    const check = map.checkSquashable(['r3x', 'r4x']);
    assert.deepEqual(check.reasons, []);
    // lib1 must stay a dependency of the squashed revision; r1 is already below it
    assert.deepEqual(check.dependencies, ['lib1']);
    // app1 depends on r4, the tip: fine, the squashed revision keeps r4's id
    assert.deepEqual(map.checkSquashable(['r3', 'r4']).reasons, []);
    // but not once r4 is interior
    assert.equal(map.checkSquashable(['r3', 'r4', 'r5']).ok, false);
  });

  it('assertSquashable returns the check when it passes', () => {
    const map = new RevisionMap(chain);
    assert.equal(map.assertSquashable(['r5', 'r6']).tip, 'r6');
  });
});

describe('checkSquashable refuses', () => {
  it('an empty range', () => {
    const check = new RevisionMap(chain).checkSquashable([]);
    assert.equal(check.ok, false);
    assert.deepEqual(refusals(check, 'empty').length, 1);
  });

  it('an unknown revision', () => {
    const check = new RevisionMap(chain).checkSquashable(['r2', 'zz9']);
    assert.deepEqual(refusals(check, 'unknown-revision')[0].revisions, ['zz9']);
  });

  it('a revision defined by two files', () => {
    const map = new RevisionMap([...chain, rev('r3', ['r2'], { path: 'versions/r3_copy.py' })]);
    const [reason] = refusals(map.checkSquashable(['r2', 'r3']), 'duplicate-revision');
    assert.deepEqual(reason.revisions, ['r3']);
    assert.match(reason.message, /r3_copy\.py/);
  });

  it('a range touching a cycle', () => {
    const map = new RevisionMap([rev('base', []), rev('x', ['base', 'y']), rev('y', ['x'])]);
    const [reason] = refusals(map.checkSquashable(['x', 'y']), 'cycle');
    assert.deepEqual(reason.revisions, ['x', 'y']);
  });

  it('two newest revisions (no single tip)', () => {
    const map = new RevisionMap([rev('a', []), rev('h1', ['a']), rev('h2', ['a'])]);
    const check = map.checkSquashable(['h1', 'h2']);
    assert.equal(check.ok, false);
    assert.equal(check.tip, undefined);
    assert.deepEqual(
      check.reasons.map((r) => [r.code, r.revisions]),
      [['multiple-tips', ['h1', 'h2']]],
    );
  });

  it('a merge inside the range whose other parent is outside', () => {
    const map = new RevisionMap(diamond);
    const check = map.checkSquashable(['b1', 'b2', 'm']);
    assert.deepEqual(
      check.reasons.map((r) => [r.code, r.revisions, r.edge]),
      [['edge-into-interior', ['m', 'c1'], { revision: 'm', field: 'down_revision', target: 'c1' }]],
    );
    assert.match(check.reasons[0].message, /^m \(inside\) has down_revision c1, which is outside the range/);
  });

  it('roots hanging from different parents', () => {
    const map = new RevisionMap([
      rev('base', []),
      rev('p', ['base']),
      rev('q', ['p']),
      rev('x', ['p']),
      rev('y', ['q']),
      rev('merge', ['x', 'y']),
    ]);
    const check = map.checkSquashable(['x', 'y', 'merge']);
    assert.deepEqual(
      check.reasons.map((r) => [r.code, r.revisions]),
      [['roots-differ', ['x', 'y', 'p', 'q']]],
    );
    assert.match(check.reasons[0].message, /x ← p; y ← q/);
  });

  it('an outside revision branching off an interior revision', () => {
    const map = new RevisionMap([...chain, rev('hotfix', ['r3'])]);
    const check = map.checkSquashable(map.range('r2', 'r4'));
    assert.deepEqual(
      check.reasons.map((r) => [r.code, r.revisions, r.edge]),
      [['branch-off-interior', ['hotfix', 'r3'], { revision: 'hotfix', field: 'down_revision', target: 'r3' }]],
    );
    assert.equal(check.reasons[0].message, 'hotfix (outside) branches off r3, which is inside the range but is not its tip');
  });

  it('an outside revision depending on an interior revision', () => {
    const map = new RevisionMap([...chain, rev('reports1', [], { dependencies: ['r3'] })]);
    const check = map.checkSquashable(map.range('r2', 'r4'));
    assert.deepEqual(
      check.reasons.map((r) => [r.code, r.revisions, r.edge]),
      [['dependent-on-interior', ['reports1', 'r3'], { revision: 'reports1', field: 'depends_on', target: 'r3' }]],
    );
    assert.equal(check.reasons[0].message, 'reports1 (outside) depends_on r3, which is inside the range but is not its tip');
  });

  it('a member depending on an outside revision that comes after the range', () => {
    // s1 hangs off r2 (inside), and r3 (the tip) depends on s1: squashing would need s1 before itself
    const map = new RevisionMap([...chain.slice(0, 2), rev('s1', ['r2']), rev('r3', ['r2'], { dependencies: ['s1'] })]);
    const check = map.checkSquashable(['r2', 'r3']);
    const [reason] = refusals(check, 'dependency-after-range');
    assert.deepEqual(reason.revisions, ['r3', 's1']);
    assert.deepEqual(reason.edge, { revision: 'r3', field: 'depends_on', target: 's1' });
    assert.deepEqual(refusals(check, 'branch-off-interior')[0].revisions, ['s1', 'r2']);
  });

  it('through assertSquashable, with every reason attached', () => {
    const map = new RevisionMap([...chain, rev('hotfix', ['r3']), rev('reports1', [], { dependencies: ['r2'] })]);
    assert.throws(
      () => map.assertSquashable(map.range('r2', 'r4')),
      (e: unknown) =>
        e instanceof NotSquashableError &&
        e.code === 'not-squashable' &&
        e.reasons.map((r) => r.code).sort().join() === 'branch-off-interior,dependent-on-interior',
    );
  });
});
