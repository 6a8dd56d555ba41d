import { strict as assert } from 'node:assert';
import { RevisionMap } from '../../../src/core/graph';
import { buildPicture, layoutGraph, offendingEdges, shortestUniqueIds, type GraphLayout } from '../../../src/core/layout';
import { rev } from '../graph/helpers';

/** id → lane, and the edges as `child>parent:field`. */
const lanesOf = (l: GraphLayout) => Object.fromEntries(l.rows.map((r) => [r.id, r.lane]));
const edgesOf = (l: GraphLayout) => l.edges.map((e) => `${e.child}>${e.parent}${e.field === 'depends_on' ? ':dep' : ''}`);
/** The gap below a row as `from-lane-to` pieces. */
const gap = (l: GraphLayout, id: string) => l.rows.find((r) => r.id === id)!.below.map((s) => `${s.from}-${s.lane}-${s.to}`);

describe('graph layout', () => {
  it('keeps a linear history in one lane with straight lines', () => {
    const l = layoutGraph([{ id: 'c', parents: ['b'] }, { id: 'b', parents: ['a'] }, { id: 'a', parents: [] }]);
    assert.deepEqual(lanesOf(l), { c: 0, b: 0, a: 0 });
    assert.equal(l.width, 1);
    assert.deepEqual(gap(l, 'c'), ['0-0-0']);
    assert.deepEqual(gap(l, 'a'), []);
    assert.deepEqual(edgesOf(l), ['c>b', 'b>a']);
  });

  it('opens a lane at a merge point and joins it back at the branch point', () => {
    const l = layoutGraph([
      { id: 'm', parents: ['b1', 'c1'] },
      { id: 'c1', parents: ['a'] },
      { id: 'b1', parents: ['a'] },
      { id: 'a', parents: [] },
    ]);
    assert.deepEqual(lanesOf(l), { m: 0, c1: 1, b1: 0, a: 0 });
    assert.equal(l.width, 2);
    // m's first parent goes straight down, the second forks out into lane 1 and lands on c1.
    assert.deepEqual(gap(l, 'm'), ['0-0-0', '0-1-1']);
    // Below b1 both lanes wait for a: lane 1 bends into a's lane 0.
    assert.deepEqual(gap(l, 'b1'), ['0-0-0', '1-1-0']);
  });

  it('opens one lane per further parent of a three-parent merge', () => {
    const l = layoutGraph([
      { id: 'm', parents: ['x', 'y', 'z'] },
      { id: 'z', parents: ['a'] },
      { id: 'y', parents: ['a'] },
      { id: 'x', parents: ['a'] },
      { id: 'a', parents: [] },
    ]);
    assert.deepEqual(lanesOf(l), { m: 0, z: 2, y: 1, x: 0, a: 0 });
    assert.deepEqual(gap(l, 'm'), ['0-0-0', '0-1-1', '0-2-2']);
    assert.deepEqual(gap(l, 'x'), ['0-0-0', '1-1-0', '2-2-0']);
    assert.equal(l.width, 3);
  });

  it('draws depends_on across branches as its own edge only when asked', () => {
    const nodes = [
      { id: 'feat2', parents: ['feat1'], dependencies: ['main2'] },
      { id: 'main2', parents: ['main1'] },
      { id: 'feat1', parents: ['main1'] },
      { id: 'main1', parents: [] },
    ];
    assert.deepEqual(edgesOf(layoutGraph(nodes)), ['feat2>feat1', 'main2>main1', 'feat1>main1']);
    const l = layoutGraph(nodes, { dependsOn: true });
    assert.deepEqual(edgesOf(l), ['feat2>feat1', 'feat2>main2:dep', 'main2>main1', 'feat1>main1']);
    // main2 sits in the lane its dependent opened; feat1 keeps the down_revision lane.
    assert.deepEqual(lanesOf(l), { feat2: 0, main2: 1, feat1: 0, main1: 0 });
    assert.deepEqual(gap(l, 'feat2'), ['0-0-0', '0-1-1']);
  });

  it('puts a node in the lane of its down_revision edge rather than a depends_on lane', () => {
    const l = layoutGraph(
      [
        { id: 'x', parents: [], dependencies: ['b'] },
        { id: 'c', parents: ['b'] },
        { id: 'b', parents: [] },
      ],
      { dependsOn: true },
    );
    // x (a base) depends on b and opens lane 0 for it; c then waits for b in lane 1: b lands in lane 1.
    assert.equal(lanesOf(l).b, 1);
    assert.deepEqual(gap(l, 'c'), ['0-0-1', '1-1-1']);
  });

  it('marks the start of a separate tree and leaves lines to missing parents open', () => {
    const l = layoutGraph([{ id: 'b2', parents: ['b1'] }, { id: 'b1', parents: [] }, { id: 'a2', parents: ['gone'] }]);
    assert.deepEqual(l.rows.map((r) => r.separate), [false, false, true]);
    assert.deepEqual(l.edges.map((e) => e.open), [false, true]);
    assert.deepEqual(gap(l, 'a2'), ['0-0-0']);
  });

  it('lays out a picture with labels, heads, bases and dashed dependencies from a RevisionMap', () => {
    const map = new RevisionMap([
      rev('0001', []),
      rev('0002', ['0001'], { branchLabels: ['shop'] }),
      rev('0003', ['0001'], { dependencies: ['shop'] }),
      rev('0004', ['0002', '0003']),
    ]);
    const p = buildPicture(map);
    assert.deepEqual(p.rows.map((r) => r.revision), ['0004', '0003', '0002', '0001']);
    const byId = Object.fromEntries(p.rows.map((r) => [r.revision, r]));
    assert.deepEqual(byId['0002']!.branchLabels, ['shop']);
    assert.ok(byId['0004']!.head && byId['0004']!.mergePoint && !byId['0004']!.base);
    assert.ok(byId['0001']!.base && byId['0001']!.branchPoint);
    // The label in depends_on is resolved to the revision that carries it, and drawn as its own edge.
    assert.ok(p.edges.some((e) => e.child === '0003' && e.parent === '0002' && e.field === 'depends_on'));
  });

  it('maps a squash refusal onto the edges to highlight', () => {
    const map = new RevisionMap([rev('a', []), rev('b', ['a']), rev('c', ['b']), rev('d', ['b'])]);
    const check = map.checkSquashable(['b', 'c']);
    assert.equal(check.ok, false);
    const p = buildPicture(map);
    const hot = offendingEdges(p, check.reasons).map((i) => p.edges[i]!);
    assert.deepEqual(hot.map((e) => `${e.child}>${e.parent}`), ['d>b']);
  });
});

describe('shortest unique ids', () => {
  it('cuts long distinct ids to eight characters and keeps short ones whole', () => {
    const ids = shortestUniqueIds([{ revision: 'a1b2c3d4e5f6' }, { revision: 'ffee00112233' }, { revision: '001' }]);
    assert.deepEqual([...ids.values()], ['a1b2c3d4', 'ffee0011', '001']);
  });

  it('never shows an ambiguous prefix: ids sharing a date prefix grow until they differ', () => {
    const revisions = ['20260412_0900_add_users', '20260412_0930_add_orders', '20260412_1000_merge', '20260413_0800_x'].map((revision) => ({ revision }));
    const ids = shortestUniqueIds(revisions);
    assert.deepEqual([...ids.values()], ['20260412_090', '20260412_093', '20260412_1', '20260413']);
    const shown = [...ids.values()];
    for (const [id, s] of ids) {
      const matches = revisions.filter((r) => r.revision.startsWith(s));
      assert.deepEqual(matches.map((r) => r.revision), [id], `${s} must name only ${id}`);
      assert.equal(shown.filter((x) => x === s).length, 1);
    }
  });

  it('resolves back through the map to the same revision, labels included', () => {
    const map = new RevisionMap([
      rev('abcdef123456', []),
      rev('abcdef129999', ['abcdef123456']),
      rev('feedbeef0001', ['abcdef129999'], { branchLabels: ['abcdef12x_label'] }),
      rev('abcdef12x777', ['feedbeef0001']),
    ]);
    const ids = shortestUniqueIds(map.revisions);
    for (const [id, s] of ids) {
      assert.equal(map.getRevision(s)?.revision, id, `${s} resolves to ${id}`);
      assert.ok(s.length < id.length || s === id);
    }
    // A label starting with the same characters pushes the id past them.
    assert.notEqual(ids.get('abcdef12x777'), 'abcdef12x');
  });

  it('keeps the full id when one id is the start of another', () => {
    const ids = shortestUniqueIds([{ revision: 'abcdef1234' }, { revision: 'abcdef1234567890' }]);
    assert.equal(ids.get('abcdef1234'), 'abcdef1234');
    assert.equal(ids.get('abcdef1234567890'), 'abcdef12345');
  });
});

describe('revision badges', () => {
  const file = (upgrade: string, head = '') =>
    `"""m\n\nRevision ID: r1\nRevises:\nCreate Date: 2024-01-01\n\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n${head}\nrevision = 'r1'\ndown_revision = None\n\n\ndef upgrade():\n${upgrade}\n\n\ndef downgrade():\n    pass\n`;
  const badges = async (text: string) => {
    const { badgesOf, prepareBadges } = await import('../../../src/core/layout/badges');
    const { parseMigration } = await import('../../../src/core/parse');
    await prepareBadges();
    return badgesOf(text, parseMigration(text));
  };

  it('counts nothing for schema operations only', async () => {
    assert.deepEqual(await badges(file("    op.create_table('t', sa.Column('id', sa.Integer))\n    op.add_column('t', sa.Column('x', sa.Text))")), { data: 0, appCode: 0 });
  });

  it('counts bulk_insert and DML in op.execute as data operations', async () => {
    const b = await badges(file("    t = sa.table('t', sa.column('id'))\n    op.bulk_insert(t, [{'id': 1}])\n    op.execute(\"UPDATE t SET id = 2\")\n    op.execute('CREATE INDEX i ON t (id)')"));
    assert.equal(b.data, 2);
  });

  it('counts calls into the application as app-code calls', async () => {
    assert.equal((await badges(file('    backfill_prices(op.get_bind())', 'from shop.tasks import backfill_prices'))).appCode, 1);
  });
});
