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
