/** The members of an optimizable history (also used by the integration test that verifies it). */
export const OPTIMIZABLE = [
  {
    revision: 'o1',
    upgrade: "op.create_table('tmp_import', sa.Column('id', sa.Integer(), primary_key=True))\nop.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))",
    downgrade: "op.drop_table('t')\nop.drop_table('tmp_import')",
  },
  {
    revision: 'o2',
    upgrade: '"""Add extra and a view."""\nop.add_column(\'t\', sa.Column(\'extra\', sa.Integer(), nullable=True))\nop.execute("CREATE VIEW v AS SELECT id FROM t")\nop.execute("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$")',
    downgrade: 'op.execute("DROP FUNCTION f()")\nop.execute("DROP VIEW v")\nop.drop_column(\'t\', \'extra\')',
  },
  {
    revision: 'o3',
    upgrade: "op.drop_table('tmp_import')\nop.execute(\"CREATE OR REPLACE VIEW v AS SELECT id, 1 AS one FROM t\")",
    downgrade: "op.execute(\"DROP VIEW v\")\nop.execute(\"CREATE VIEW v AS SELECT id FROM t\")\nop.create_table('tmp_import', sa.Column('id', sa.Integer(), primary_key=True))",
  },
  {
    revision: 'o4',
    upgrade: 'op.execute("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$")\nop.execute("INSERT INTO t (id) VALUES (f())")',
    downgrade: 'op.execute("DELETE FROM t")\nop.execute("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$")',
  },
  {
    revision: 'o5',
    upgrade: 'op.execute("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 3 $$")\nop.create_index(\'ix_tmp\', \'t\', [\'id\'])\nop.drop_index(\'ix_tmp\', table_name=\'t\')\nop.execute("CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$")',
    downgrade: 'op.execute("DROP FUNCTION f(int)")\nop.execute("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$")',
  },
];

/** A history where every fold into create_table applies, next to folds that must not (chained after OPTIMIZABLE). */
export const FOLDABLE = [
  {
    revision: 'f1',
    upgrade: "op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))\nop.create_table(\n    'child',\n    sa.Column('id', sa.Integer(), primary_key=True),\n    sa.Column('parent_id', sa.Integer()),\n    sa.Column('code', sa.Text()),\n)",
    downgrade: "op.drop_table('child')\nop.drop_table('parent')",
  },
  {
    revision: 'f2',
    upgrade: [
      "op.add_column('child', sa.Column('note', sa.Text(), nullable=True))",
      "op.create_index(op.f('ix_child_code'), 'child', ['code'], unique=False)",
      "op.create_foreign_key(None, 'child', 'parent', ['parent_id'], ['id'], ondelete='CASCADE')",
      "op.create_unique_constraint('uq_child_code_note', 'child', ['code', 'note'])",
      "op.create_check_constraint('ck_child_code', 'child', \"code <> ''\")",
      "op.create_table_comment('child', 'Children of a parent')",
      "op.alter_column('child', 'code', comment='Short code', existing_type=sa.Text())",
      // Created after child: its foreign key stays an ALTER.
      "op.create_table('later', sa.Column('id', sa.Integer(), primary_key=True))",
      "op.add_column('child', sa.Column('later_id', sa.Integer(), nullable=True))",
      "op.create_foreign_key('fk_child_later', 'child', 'later', ['later_id'], ['id'])",
    ].join('\n'),
    downgrade: [
      "op.drop_constraint('fk_child_later', 'child', type_='foreignkey')",
      "op.drop_column('child', 'later_id')",
      "op.drop_table('later')",
      "op.alter_column('child', 'code', comment=None, existing_type=sa.Text())",
      "op.drop_table_comment('child')",
      "op.drop_constraint('ck_child_code', 'child', type_='check')",
      "op.drop_constraint('uq_child_code_note', 'child', type_='unique')",
      "op.drop_constraint('child_parent_id_fkey', 'child', type_='foreignkey')",
      "op.drop_index(op.f('ix_child_code'), table_name='child')",
      "op.drop_column('child', 'note')",
    ].join('\n'),
  },
  {
    revision: 'f3',
    // A data operation on child is a barrier: the index after it stays where it is.
    upgrade: "op.execute(\"INSERT INTO parent (id) VALUES (1)\")\nop.execute(\"INSERT INTO child (id, parent_id, code) VALUES (1, 1, 'a')\")\nop.create_index('ix_child_parent', 'child', ['parent_id'])",
    downgrade: "op.drop_index('ix_child_parent', table_name='child')\nop.execute('DELETE FROM child')\nop.execute('DELETE FROM parent')",
  },
  {
    revision: 'f4',
    upgrade: "op.create_table('audit', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('at', sa.DateTime()))\nop.create_index('ix_audit_at', 'audit', ['at'])\nop.create_unique_constraint('uq_audit_at', 'audit', ['at'])",
    // The drop_table drops the index and constraint with it.
    downgrade: "op.drop_constraint('uq_audit_at', 'audit', type_='unique')\nop.drop_index('ix_audit_at', table_name='audit')\nop.drop_table('audit')",
  },
];
