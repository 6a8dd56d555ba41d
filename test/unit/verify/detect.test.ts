import { strict as assert } from 'node:assert';
import { RevisionMap, type Revision } from '../../../src/core/graph';
import { detectSquashedRange } from '../../../src/core/verify';
import { rev } from '../graph/helpers';

/** r1 ← r2 ← r3 ← r4 ← r5 ← r6 */
const chain: Revision[] = [rev('r1', []), rev('r2', ['r1']), rev('r3', ['r2']), rev('r4', ['r3']), rev('r5', ['r4']), rev('r6', ['r5'])];
const map = (revisions: Revision[]) => new RevisionMap(revisions);
const without = (ids: string[], revisions = chain) => revisions.filter((r) => !ids.includes(r.revision));

describe('detectSquashedRange', () => {
  it('finds nothing when the histories are the same', () => {
    const d = detectSquashedRange(map(chain), map(chain));
    assert.deepEqual(d.members, []);
    assert.equal(d.downgradeTo, undefined);
    assert.match(d.reason ?? '', /same revisions/);
  });

  it('a middle range squashed into its tip id: downgrade to the range parent', () => {
    // r2..r4 became r4 (down_revision r1); r5 still revises r4.
    const candidate = [...without(['r2', 'r3', 'r4']), rev('r4', ['r1'])];
    const d = detectSquashedRange(map(chain), map(candidate));
    assert.deepEqual([...d.members].sort(), ['r2', 'r3', 'r4']);
    assert.equal(d.downgradeTo, 'r1');
    assert.equal(d.reason, undefined);
  });

  it('a range from base squashed into its tip id: downgrade to base', () => {
    const candidate = [...without(['r1', 'r2', 'r3']), rev('r3', [])];
    const d = detectSquashedRange(map(chain), map(candidate));
    assert.deepEqual([...d.members].sort(), ['r1', 'r2', 'r3']);
    assert.equal(d.downgradeTo, 'base');
  });

  it('a middle range under a new id: the rewired child is not counted as squashed', () => {
    // r2..r4 became x9 (down_revision r1); r5 now revises x9.
    const candidate = [...without(['r2', 'r3', 'r4', 'r5']), rev('x9', ['r1']), rev('r5', ['x9'])];
    const d = detectSquashedRange(map(chain), map(candidate));
    assert.deepEqual([...d.members].sort(), ['r2', 'r3', 'r4']);
    assert.equal(d.downgradeTo, 'r1');
  });

  it('a new id whose child is a merge with another branch still gives the range parent', () => {
    //      r2 ← r3
    // r1 <          > m
    //      b1 ─────
    const branchy = [rev('r1', []), rev('r2', ['r1']), rev('r3', ['r2']), rev('b1', ['r1']), rev('m', ['r3', 'b1'])];
    const candidate = [rev('r1', []), rev('b1', ['r1']), rev('x9', ['r1']), rev('m', ['x9', 'b1'])];
    const d = detectSquashedRange(map(branchy), map(candidate));
    assert.deepEqual([...d.members].sort(), ['r2', 'r3']);
    assert.equal(d.downgradeTo, 'r1');
  });

  it('a range starting at a merge cannot be downgraded to both parents in one step', () => {
    //  a \
    //      m ← n ← o
    //  b /
    const merged = [rev('a', []), rev('b', []), rev('m', ['a', 'b']), rev('n', ['m']), rev('o', ['n'])];
    // m..n became n, revising (a, b).
    const candidate = [rev('a', []), rev('b', []), rev('n', ['a', 'b']), rev('o', ['n'])];
    const d = detectSquashedRange(map(merged), map(candidate));
    assert.deepEqual([...d.members].sort(), ['m', 'n']);
    assert.equal(d.downgradeTo, undefined);
    assert.match(d.reason ?? '', /several parents \(a, b\)/);
  });

  it('replaced revisions that are not one squashable range are reported, not guessed', () => {
    // r2 and r5 vanished, r3 and r6 were reattached: two separate holes.
    const candidate = [rev('r1', []), rev('r3', ['r1']), rev('r4', ['r3']), rev('r6', ['r4'])];
    const d = detectSquashedRange(map(chain), map(candidate));
    assert.deepEqual([...d.members].sort(), ['r2', 'r3', 'r5', 'r6']);
    assert.equal(d.downgradeTo, undefined);
    assert.match(d.reason ?? '', /squashable range/);
  });
});
