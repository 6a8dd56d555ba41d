import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a synthetic Alembic project with `count` revisions shaped like real ones (docstring, imports,
 * typed header, an upgrade and a downgrade). `branchy` adds a feature branch every 25 revisions,
 * merged back 5 revisions later. Returns the project folder.
 */
export function writeSyntheticProject(root: string, count: number, branchy: boolean): string {
  const dir = path.join(root, `${branchy ? 'branchy' : 'linear'}-${count}`);
  const versions = path.join(dir, 'migrations', 'versions');
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(versions, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'alembic.ini'),
    '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = postgresql://localhost/bench\n',
  );
  fs.writeFileSync(
    path.join(dir, 'migrations', 'env.py'),
    'from alembic import context\n\ndef run():\n    pass\n\nif context.is_offline_mode():\n    run()\nelse:\n    run()\n',
  );
  const id = (i: number) => (0x100000000000 + i * 7919).toString(16).slice(-12);
  let main = '';
  let branch = '';
  for (let i = 0; i < count; i++) {
    let down: string[];
    if (i === 0) down = [];
    else if (branchy && i % 25 === 10) {
      branch = main; // fork point
      down = [main];
    } else if (branchy && i % 25 >= 11 && i % 25 <= 13) {
      down = [branch];
    } else if (branchy && i % 25 === 14) {
      down = [main, branch];
    } else down = [main];
    const rev = id(i);
    const downText = down.length === 0 ? 'None' : down.length === 1 ? `'${down[0]}'` : `(${down.map((d) => `'${d}'`).join(', ')})`;
    const text = `"""change ${i}: add column c${i}

Revision ID: ${rev}
Revises: ${down.join(', ')}
Create Date: 2024-01-01 00:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '${rev}'
down_revision: Union[str, Sequence[str], None] = ${downText}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('t', sa.Column('c${i}', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('t', 'c${i}')
`;
    fs.writeFileSync(path.join(versions, `${rev}_change_${i}.py`), text);
    if (branchy && i % 25 >= 11 && i % 25 <= 13) branch = rev;
    else main = rev;
  }
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

/**
 * Writes a runnable Alembic project of `count` revisions shaped like a product's history: tables with
 * foreign keys, added columns, indexes, a lookup table filled by bulk_insert and later INSERTs, a
 * view, a plpgsql function with a trigger, and a downgrade for each. alembic.ini, env.py and
 * script.py.mako are the `linear` fixture's (URL from `-x url=`, $DATABASE_URL or the ini).
 * Returns the project folder.
 */
export function writeRealisticProject(root: string, count = 50): string {
  const dir = path.join(root, `realistic-${count}`);
  const versions = path.join(dir, 'migrations', 'versions');
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(versions, { recursive: true });
  const fixture = path.resolve(__dirname, '../test/fixtures/linear');
  fs.copyFileSync(path.join(fixture, 'alembic.ini'), path.join(dir, 'alembic.ini'));
  for (const f of ['env.py', 'script.py.mako']) fs.copyFileSync(path.join(fixture, 'migrations', f), path.join(dir, 'migrations', f));

  const id = (i: number) => (0xa0000000000 + i * 104729).toString(16).padStart(12, '0').slice(-12);
  const tables: string[] = [];
  const steps: { message: string; upgrade: string; downgrade: string }[] = [];
  steps.push({
    message: 'create customers',
    upgrade: `op.create_table(
    'customers',
    sa.Column('id', sa.Integer(), primary_key=True),
    sa.Column('email', sa.String(200), nullable=False, unique=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
)`,
    downgrade: `op.drop_table('customers')`,
  });
  steps.push({
    message: 'order statuses lookup',
    upgrade: `statuses = op.create_table(
    'order_statuses',
    sa.Column('code', sa.String(20), primary_key=True),
    sa.Column('label', sa.String(100), nullable=False),
    sa.Column('rank', sa.SmallInteger(), nullable=False),
)
op.bulk_insert(
    statuses,
    [
        {'code': 'new', 'label': 'New', 'rank': 10},
        {'code': 'paid', 'label': 'Paid', 'rank': 20},
        {'code': 'shipped', 'label': 'Shipped', 'rank': 30},
    ],
)`,
    downgrade: `op.drop_table('order_statuses')`,
  });
  for (let i = steps.length; i < count; i++) {
    const last = tables[tables.length - 1];
    const kind = i % 6;
    if (i === 20) {
      steps.push({
        message: 'active customers view',
        upgrade: `op.execute(
    """
    CREATE VIEW active_customers AS
    SELECT c.id, c.email, count(*) AS records
    FROM customers c
    JOIN ${tables[0]} t ON t.customer_id = c.id
    GROUP BY c.id, c.email
    """
)`,
        downgrade: `op.execute('DROP VIEW active_customers')`,
      });
    } else if (i === 30) {
      steps.push({
        message: 'touch updated_at',
        upgrade: `op.add_column('customers', sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
op.execute(
    """
    CREATE FUNCTION customers_touch() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.updated_at := now();
        RAISE NOTICE 'customer % touched', NEW.id;
        RETURN NEW;
    END;
    $$
    """
)
op.execute('CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION customers_touch()')`,
        downgrade: `op.execute('DROP TRIGGER customers_touch ON customers')
op.execute('DROP FUNCTION customers_touch()')
op.drop_column('customers', 'updated_at')`,
      });
    } else if (kind === 0 || !last) {
      const t = `records_${i}`;
      tables.push(t);
      steps.push({
        message: `create ${t}`,
        upgrade: `op.create_table(
    '${t}',
    sa.Column('id', sa.BigInteger(), sa.Identity(), primary_key=True),
    sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customers.id', ondelete='CASCADE'), nullable=False),
    sa.Column('status', sa.String(20), sa.ForeignKey('order_statuses.code'), nullable=False, server_default='new'),
    sa.Column('amount', sa.Numeric(12, 2), nullable=False, server_default='0'),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
)`,
        downgrade: `op.drop_table('${t}')`,
      });
    } else if (kind === 1 || kind === 4) {
      steps.push({
        message: `${last} note ${i}`,
        upgrade: `op.add_column('${last}', sa.Column('note_${i}', sa.Text(), nullable=True))`,
        downgrade: `op.drop_column('${last}', 'note_${i}')`,
      });
    } else if (kind === 2) {
      steps.push({
        message: `index ${last} by customer`,
        upgrade: `op.create_index('ix_${last}_customer_${i}', '${last}', ['customer_id', 'created_at'])`,
        downgrade: `op.drop_index('ix_${last}_customer_${i}', table_name='${last}')`,
      });
    } else if (kind === 3) {
      steps.push({
        message: `status ${i}`,
        upgrade: `op.execute("INSERT INTO order_statuses (code, label, rank) VALUES ('s${i}', 'Status ${i}', ${i * 10})")`,
        downgrade: `op.execute("DELETE FROM order_statuses WHERE code = 's${i}'")`,
      });
    } else {
      steps.push({
        message: `${last} amount check`,
        upgrade: `op.create_check_constraint('ck_${last}_amount_${i}', '${last}', 'amount >= 0')`,
        downgrade: `op.drop_constraint('ck_${last}_amount_${i}', '${last}', type_='check')`,
      });
    }
  }
  const indent = (body: string) => body.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  steps.forEach((step, i) => {
    const rev = id(i);
    const down = i === 0 ? 'None' : `'${id(i - 1)}'`;
    const text = `"""${step.message}

Revision ID: ${rev}
Revises: ${i === 0 ? '' : id(i - 1)}
Create Date: 2024-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '${rev}'
down_revision = ${down}
branch_labels = None
depends_on = None


def upgrade() -> None:
${indent(step.upgrade)}


def downgrade() -> None:
${indent(step.downgrade)}
`;
    fs.writeFileSync(path.join(versions, `${rev}_${step.message.replace(/\W+/g, '_').toLowerCase()}.py`), text);
  });
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}
