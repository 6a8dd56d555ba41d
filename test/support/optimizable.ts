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
