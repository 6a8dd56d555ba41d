import { strict as assert } from 'node:assert';
import { appliedSquashOf, placeDatabase } from '../../../src/core/databases';
import { RevisionMap } from '../../../src/core/graph';
import type { SquashPlan } from '../../../src/core/squash';
import { rev } from '../graph/helpers';

// a → b → c → d (head); a pending squash of b..c under a new id n.
const map = new RevisionMap([rev('a', []), rev('b', ['a']), rev('c', ['b']), rev('d', ['c'])]);
const pending = (idChanged: boolean) =>
  ({
    tip: 'c',
    newRevision: idChanged ? 'n' : 'c',
    idChanged,
    members: [{ revision: 'b' }, { revision: 'c' }],
    context: { ancestors: ['a'], descendants: ['d'], known: ['a', 'b', 'c', 'd'] },
  }) as unknown as SquashPlan;

describe('placing a deployed database', () => {
  it('at head needs nothing; behind counts what upgrade would still apply', () => {
    assert.deepEqual(placeDatabase({ map, versions: ['d'], tableExists: true }).need, { kind: 'nothing' });
    const behind = placeDatabase({ map, versions: ['b'], tableExists: true });
    assert.deepEqual(behind.rows, [{ version: 'b', at: 'behind', behind: 2 }]);
    assert.equal(behind.need.kind === 'upgrade' && behind.need.command, 'alembic upgrade d');
  });

  it('inside a pending squash: upgrade to its tip first, with the code before the squash', () => {
    const p = placeDatabase({ map, versions: ['b'], tableExists: true, pending: pending(true) });
    assert.deepEqual(p.rows, [{ version: 'b', at: 'replaced', by: 'n', tip: 'c', pending: true }]);
    assert.deepEqual(p.need, { kind: 'upgrade', target: 'c', command: 'alembic upgrade c', beforeSquash: true });
    assert.ok(p.steps.some((s) => s.includes('BEFORE deploying the squash')));
  });

  it('at the tip of a pending squash: a stamp after deploying when the id changes, else behind as usual', () => {
    const changed = placeDatabase({ map, versions: ['c'], tableExists: true, pending: pending(true) });
    assert.deepEqual(changed.need, { kind: 'stamp', from: ['c'], to: 'n', command: 'alembic stamp --purge n', afterDeploy: true });
    const kept = placeDatabase({ map, versions: ['c'], tableExists: true, pending: pending(false) });
    assert.deepEqual(kept.rows, [{ version: 'c', at: 'behind', behind: 1 }]);
  });

  it('several rows at a written squash\'s old tip: an UPDATE of that row, not stamp --purge', () => {
    const after = new RevisionMap([rev('a', []), rev('n', ['a']), rev('d', ['n']), rev('x', ['a'])]);
    const applied = [appliedSquashOf('n', 'late\n\nSquashes 2 revisions:\n- b: one\n- c: two\n\nRevision ID: n\n')!];
    const p = placeDatabase({ map: after, versions: ['c', 'x'], tableExists: true, applied });
    assert.equal(p.need.kind, 'stamp');
    assert.equal(p.need.kind === 'stamp' && p.need.command, "UPDATE alembic_version SET version_num = 'n' WHERE version_num = 'c'");
  });

  it('an empty or missing version table needs an upgrade from base; an unknown row cannot be placed', () => {
    assert.equal(placeDatabase({ map, versions: [], tableExists: false }).need.kind, 'upgrade');
    assert.deepEqual(placeDatabase({ map, versions: ['zz'], tableExists: true }).rows, [{ version: 'zz', at: 'unknown' }]);
  });
});
