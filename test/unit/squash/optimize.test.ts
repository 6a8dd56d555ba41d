import { strict as assert } from 'node:assert';
import { prepareClassifier } from '../../../src/core/squash/classify';
import { optimizeUpgrade } from '../../../src/core/squash';
import { OPTIMIZABLE } from '../../support/optimizable';

describe('squash optimizer (conservative rules on upgrade())', () => {
  before(() => prepareClassifier());

  it('removes a created-then-dropped table and index, and definitions replaced later with nothing between', () => {
    const { bodies, removed } = optimizeUpgrade(OPTIMIZABLE.map((m) => ({ revision: m.revision, body: m.upgrade })));
    assert.deepEqual(
      removed.map((r) => [r.rule, r.revision, r.object]),
      [
        ['create-then-drop', 'o1', 'table tmp_import'],
        ['folded-into-create-table', 'o2', 'table t'],
        ['replaced-again', 'o2', 'view v'],
        ['replaced-again', 'o2', 'function f([])'],
        ['create-then-drop', 'o3', 'table tmp_import'],
        ['create-then-drop', 'o5', 'index ix_tmp'],
        ['create-then-drop', 'o5', 'index ix_tmp'],
      ],
    );
    // The definition of f() used by the INSERT stays: a data operation is a barrier.
    assert.match(bodies.get('o4')!, /^op\.execute\("CREATE OR REPLACE FUNCTION f\(\)/);
    // f(x int) is another function (overloading): the f() before it stays.
    assert.match(bodies.get('o5')!, /^op\.execute\("CREATE OR REPLACE FUNCTION f\(\) RETURNS int LANGUAGE sql AS \$\$ SELECT 3/);
    assert.match(bodies.get('o1')!, /^# optimized away \(created and dropped again within this squash\): op\.create_table\('tmp_import'/);
    assert.match(bodies.get('o1')!, /\nop\.create_table\('t', sa\.Column\('id', sa\.Integer\(\), primary_key=True\), sa\.Column\('extra', sa\.Integer\(\), nullable=True\)\)/);
    assert.match(bodies.get('o2')!, /# optimized away \(its column is part of the create_table above\): op\.add_column\('t'/);
  });

  it('folds add_column into create_table only right after it, and only plain columns', () => {
    const fold = optimizeUpgrade([
      { revision: 'a', body: "op.create_table(\n    't',\n    sa.Column('id', sa.Integer()),\n)" },
      { revision: 'b', body: "op.add_column('t', sa.Column('x', sa.Text()))\nop.add_column('t', sa.Column('y', sa.Text()))" },
    ]);
    assert.equal(fold.removed.length, 2);
    assert.equal(fold.bodies.get('a'), "op.create_table(\n    't',\n    sa.Column('id', sa.Integer()),\n    sa.Column('x', sa.Text()),\n    sa.Column('y', sa.Text()),\n)");
    const keep = [
      "op.create_table('t', sa.Column('id', sa.Integer()))\nop.add_column('t', sa.Column('x', sa.Text(), index=True))",
      "op.create_table('t', sa.Column('id', sa.Integer()))\nop.create_index('i', 't', ['id'])\nop.add_column('t', sa.Column('x', sa.Text()))",
      "op.create_table('t', sa.Column('id', sa.Integer()), schema='s')\nop.add_column('t', sa.Column('x', sa.Text()))",
      "op.create_table('t', sa.Column('id', sa.Integer()))\nop.add_column('t', sa.Column('x', sa.Text()), schema='s')",
    ];
    for (const body of keep) assert.deepEqual(optimizeUpgrade([{ revision: 'k', body }]).removed, [], body);
  });

  it('keeps what something between reads, and what helpers or control flow might touch', () => {
    const keep = [
      "op.create_table('x', sa.Column('id', sa.Integer()))\nop.execute('CREATE VIEW vx AS SELECT * FROM x')\nop.drop_table('x')",
      "op.create_table('x', sa.Column('id', sa.Integer()))\n_helper()\nop.drop_table('x')",
      "op.create_table('x', sa.Column('id', sa.Integer()))\nif True:\n    pass\nop.drop_table('x')",
      "x = op.create_table('x', sa.Column('id', sa.Integer()))\nop.drop_table('x')",
      "op.execute('CREATE VIEW v AS SELECT 1')\nop.execute(\"COMMENT ON VIEW v IS 'kept'\")\nop.execute('CREATE OR REPLACE VIEW v AS SELECT 2')",
      "op.execute('CREATE MATERIALIZED VIEW m AS SELECT 1')\nop.execute('REFRESH MATERIALIZED VIEW m')\nop.execute('DROP MATERIALIZED VIEW m')",
    ];
    for (const body of keep) assert.deepEqual(optimizeUpgrade([{ revision: 'k', body }]).removed, [], body);
  });
});
