import { strict as assert } from 'node:assert';
import { prepareClassifier } from '../../../src/core/squash/classify';
import { optimizeDowngrade, optimizeUpgrade } from '../../../src/core/squash';
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

  const CHILD = "op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))\nop.create_table(\n    'child',\n    sa.Column('id', sa.Integer(), primary_key=True),\n    sa.Column('parent_id', sa.Integer()),\n    sa.Column('code', sa.Text()),\n)";
  const only = (body: string) => optimizeUpgrade([{ revision: 'a', body: CHILD }, { revision: 'b', body }]);

  it('folds create_index, create_foreign_key, create_unique_constraint, create_check_constraint and comments into create_table', () => {
    const r = only(
      "op.create_index(op.f('ix_child_code'), 'child', ['code'], unique=False)\n" +
        "op.create_foreign_key(None, 'child', 'parent', ['parent_id'], ['id'], ondelete='CASCADE')\n" +
        "op.create_unique_constraint('uq_child_code', 'child', ['code'])\n" +
        "op.create_check_constraint('ck_child_code', 'child', \"code <> ''\")\n" +
        "op.create_table_comment('child', 'Children')\n" +
        "op.alter_column('child', 'code', comment='The code', existing_type=sa.Text())",
    );
    assert.deepEqual(r.removed.map((x) => [x.rule, x.revision, x.object, x.statement.split('(')[0]]), [
      ['folded-into-create-table', 'b', 'table child', 'op.create_index'],
      ['folded-into-create-table', 'b', 'table child', 'op.create_foreign_key'],
      ['folded-into-create-table', 'b', 'table child', 'op.create_unique_constraint'],
      ['folded-into-create-table', 'b', 'table child', 'op.create_check_constraint'],
      ['folded-into-create-table', 'b', 'table child', 'op.create_table_comment'],
      ['folded-into-create-table', 'b', 'table child', 'op.alter_column'],
    ]);
    assert.equal(
      r.bodies.get('a'),
      "op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))\nop.create_table(\n    'child',\n    sa.Column('id', sa.Integer(), primary_key=True),\n    sa.Column('parent_id', sa.Integer()),\n    sa.Column('code', sa.Text(), comment='The code'),\n" +
        "    sa.Index(op.f('ix_child_code'), 'code', unique=False),\n    sa.ForeignKeyConstraint(['parent_id'], ['parent.id'], ondelete='CASCADE'),\n" +
        "    sa.UniqueConstraint('code', name='uq_child_code'),\n    sa.CheckConstraint(\"code <> ''\", name='ck_child_code'),\n    comment='Children',\n)",
    );
    assert.match(r.bodies.get('b')!, /^# optimized away \(part of the create_table above\): op\.create_index\(/);
  });

  it('folds past statements that do not mention the table, columns before the index that names them', () => {
    const r = optimizeUpgrade([
      { revision: 'a', body: "op.create_table('t', sa.Column('id', sa.Integer()))\nop.create_table('u', sa.Column('id', sa.Integer()))" },
      { revision: 'b', body: "op.create_index('ix_u', 'u', ['id'])\nop.add_column('t', sa.Column('x', sa.Text()))\nop.create_index('ix_t_x', 't', ['x'])" },
    ]);
    assert.equal(r.removed.length, 3);
    assert.equal(r.bodies.get('a'), "op.create_table('t', sa.Column('id', sa.Integer()), sa.Column('x', sa.Text()), sa.Index('ix_t_x', 'x'))\nop.create_table('u', sa.Column('id', sa.Integer()), sa.Index('ix_u', 'id'))");
  });

  it('folds a foreign key only when its referred table exists when the create_table runs', () => {
    // Referred table created before the create_table, outside the range, or the table itself: folds.
    assert.equal(only("op.create_foreign_key('fk', 'child', 'parent', ['parent_id'], ['id'])").removed.length, 1);
    assert.equal(only("op.create_foreign_key('fk', 'child', 'elsewhere', ['parent_id'], ['id'])").removed.length, 1);
    assert.equal(only("op.create_foreign_key('fk', 'child', 'child', ['parent_id'], ['id'])").removed.length, 1);
    const keep = [
      // Created after the create_table (between it and the foreign key).
      "op.create_table('later', sa.Column('id', sa.Integer(), primary_key=True))\nop.create_foreign_key('fk', 'child', 'later', ['parent_id'], ['id'])",
    ];
    // Dropped, renamed, made by SQL or by a helper before the create_table: it may not exist then.
    for (const body of keep) assert.deepEqual(only(body).removed, [], body);
    const before = [
      "op.drop_table('elsewhere')",
      "op.rename_table('old', 'elsewhere')",
      "op.execute('CREATE TABLE elsewhere (id int primary key)')",
      '_make_elsewhere()',
    ];
    for (const b of before) {
      const r = optimizeUpgrade([{ revision: 'a', body: `${b}\n${CHILD}` }, { revision: 'b', body: "op.create_foreign_key('fk', 'child', 'elsewhere', ['parent_id'], ['id'])" }]);
      assert.deepEqual(r.removed, [], b);
    }
  });

  it('keeps a fold candidate behind a barrier, a mention of the table or name, or what it cannot express', () => {
    const keep = [
      // Barriers between, whatever they mention.
      "op.execute('INSERT INTO other VALUES (1)')\nop.create_index('ix', 'child', ['code'])",
      "_helper()\nop.create_index('ix', 'child', ['code'])",
      "if True:\n    pass\nop.create_index('ix', 'child', ['code'])",
      // A statement between that mentions the table or the index name.
      "op.execute('ALTER TABLE child ADD COLUMN z int')\nop.create_index('ix', 'child', ['code'])",
      "op.alter_column('child', 'code', nullable=False)\nop.create_unique_constraint('uq', 'child', ['code'])",
      "op.execute('DROP INDEX IF EXISTS ix')\nop.create_index('ix', 'child', ['code'])",
      // What the create_table form cannot say the same way.
      "op.create_index('ix', 'child', [sa.text('lower(code)')])",
      "op.create_index('ix', 'child', ['code'], schema='s')",
      "op.create_index('ix', 'child', ['code'], postgresql_concurrently=True)",
      "op.create_foreign_key('fk', 'child', 'parent', ['parent_id'], ['id'], referent_schema='s')",
      "op.create_check_constraint('ck', 'child', sa.column('code') != '')",
      "op.create_table_comment('child', 'new', existing_comment='old')",
      "op.alter_column('child', 'code', comment='c', nullable=False)",
      "op.alter_column('child', 'nosuch', comment='c')",
    ];
    for (const body of keep) assert.deepEqual(only(body).removed, [], body);
    // A create_table with keyword arguments (schema=) takes nothing.
    assert.deepEqual(optimizeUpgrade([{ revision: 'a', body: "op.create_table('t', sa.Column('id', sa.Integer()), schema='s')\nop.create_index('ix', 't', ['id'])" }]).removed, []);
    // A second table comment stays (only the first folds).
    assert.equal(only("op.create_table_comment('child', 'one')\nop.create_table_comment('child', 'two')").removed.length, 1);
  });

  it('downgrade: drop_index and drop_constraint right before the drop_table of a table the range creates go', () => {
    const up = [{ revision: 'a', body: "op.create_table('t', sa.Column('id', sa.Integer()))" }];
    const r = optimizeDowngrade(
      [{ revision: 'b', body: "op.drop_index('ix_t', table_name='t')\nop.drop_constraint('uq_t', 't', type_='unique')" }, { revision: 'a', body: "op.drop_table('t')" }],
      up,
    );
    assert.deepEqual(r.removed.map((x) => [x.rule, x.revision, x.fn, x.statement]), [
      ['dropped-with-table', 'b', 'downgrade', "op.drop_index('ix_t', table_name='t')"],
      ['dropped-with-table', 'b', 'downgrade', "op.drop_constraint('uq_t', 't', type_='unique')"],
    ]);
    assert.equal(r.bodies.get('b'), "# optimized away (the drop_table below drops it): op.drop_index('ix_t', table_name='t')\n# optimized away (the drop_table below drops it): op.drop_constraint('uq_t', 't', type_='unique')");
    assert.equal(r.bodies.get('a'), "op.drop_table('t')");
    const keep = [
      "op.drop_index('ix_t', table_name='t')\nop.execute('DELETE FROM other')\nop.drop_table('t')",
      "op.drop_index('ix_t', table_name='t')\nop.drop_column('t', 'x')\nop.drop_table('t')",
      "op.drop_index('ix_t', table_name='t')\n_helper()\nop.drop_table('t')",
      "op.drop_index('ix_t', table_name='t', postgresql_concurrently=True)\nop.drop_table('t')",
      "op.drop_index('ix_t', table_name='t')",
    ];
    for (const body of keep) assert.deepEqual(optimizeDowngrade([{ revision: 'k', body }], up).removed, [], body);
    // A table the range does not create: left as written.
    assert.deepEqual(optimizeDowngrade([{ revision: 'k', body: "op.drop_index('ix_u', table_name='u')\nop.drop_table('u')" }], up).removed, []);
  });
});
