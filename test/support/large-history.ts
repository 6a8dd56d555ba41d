import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A runnable Alembic project with a long, realistic history, written at test time: typed headers,
 * Alembic's function docstrings and custom ones, a feature branch merged back every 50 revisions,
 * module-level helpers with clashing names (different bodies) and identical ones, a helper whose
 * text is the same in every file but whose constant differs, imports inside functions, `pass`
 * downgrades, data migrations (INSERT/UPDATE/DELETE on a lookup table), a function replaced again
 * and again, and an `exec` post_write_hook (unknown to Alembic 1.8). alembic.ini, env.py and
 * script.py.mako are the `linear` fixture's (URL from `-x url=`, $DATABASE_URL or the ini).
 */
export interface LargeHistory {
  dir: string;
  /** Revision ids in creation order (index i is revision i). */
  ids: string[];
  heads: string[];
}

const FIXTURE = path.resolve(__dirname, '../fixtures/linear');

export function revisionId(i: number): string {
  return (0x5a0000000000 + i * 2654435761).toString(16).slice(-12);
}

interface Step {
  message: string;
  imports?: string;
  helpers?: string;
  upgrade: string;
  downgrade: string;
}

function step(i: number, table: string, functionVersion: number): Step {
  const t = table;
  switch (i % 10) {
    case 0:
      return {
        message: `create ${t}`,
        upgrade: `"""Upgrade schema."""\nop.create_table(\n    '${t}',\n    sa.Column('id', sa.Integer(), primary_key=True),\n    sa.Column('name', sa.String(80), nullable=False),\n    sa.Column('status', sa.String(20), sa.ForeignKey('statuses.code'), nullable=True),\n)`,
        downgrade: `"""Downgrade schema."""\nop.drop_table('${t}')`,
      };
    case 1:
      return {
        message: `${t} note column`,
        upgrade: `"""Add a free-text note.\n\nReviewers asked for it in ticket ${i}.\n"""\nop.add_column('${t}', sa.Column('note_${i}', sa.Text(), nullable=True))`,
        downgrade: `op.drop_column('${t}', 'note_${i}')`,
      };
    case 2:
      return {
        message: `status s${i}`,
        upgrade: `op.execute(\n    """\n    INSERT INTO statuses (code, label)\n    VALUES ('s${i}', 'Status ${i}')\n    """\n)\nop.execute("UPDATE statuses SET label = label || '.' WHERE code = 's${i}'")`,
        downgrade: `op.execute("DELETE FROM statuses WHERE code = 's${i}'")`,
      };
    case 3:
      // Same name as in other files, different body: a clash to rename.
      return {
        message: `${t} name index`,
        helpers: `def _index_name(table: str) -> str:\n    return f"ix_{table}_name_${i}"`,
        upgrade: `op.create_index(_index_name('${t}'), '${t}', ['name'])`,
        downgrade: `op.drop_index(_index_name('${t}'), table_name='${t}')`,
      };
    case 4:
      // The same helper, word for word, in every such file: carried once.
      return {
        message: `${t} view`,
        helpers: `def _drop_view(name: str) -> None:\n    """Drop a view if it is there."""\n    op.execute(f"DROP VIEW IF EXISTS {name}")`,
        upgrade: `op.execute("CREATE VIEW v_${t} AS SELECT id, name FROM ${t}")`,
        downgrade: `_drop_view('v_${t}')`,
      };
    case 5:
      return {
        message: `${t} flag`,
        upgrade: `op.add_column('${t}', sa.Column('flag_${i}', sa.Boolean(), server_default=sa.false(), nullable=False))`,
        downgrade: `import sqlalchemy as sa\nfrom alembic import op\n\nop.drop_column('${t}', 'flag_${i}')\nsa.Boolean()`,
      };
    case 6:
      return {
        message: `${t} lookup by status`,
        upgrade: `op.create_index('ix_${t}_status_${i}', '${t}', ['status'])`,
        downgrade: `"""Indexes are harmless on older code: kept."""\npass`,
      };
    case 7:
      // Identical helper text over a constant that differs per file.
      return {
        message: `${t} indexes from a list`,
        helpers: `INDEXES = ["CREATE INDEX ix_${t}_id_name_${i} ON ${t} (id, name)"]\n\n\ndef _recreate_indexes() -> None:\n    for stmt in INDEXES:\n        op.execute(stmt)`,
        upgrade: `_recreate_indexes()`,
        downgrade: `op.execute("DROP INDEX ix_${t}_id_name_${i}")`,
      };
    case 8:
      return {
        message: `app_version function v${functionVersion}`,
        upgrade: `op.execute(\n    """\n    CREATE OR REPLACE FUNCTION app_version() RETURNS integer\n    LANGUAGE sql AS $$ SELECT ${functionVersion} $$\n    """\n)`,
        downgrade:
          functionVersion === 1
            ? `op.execute("DROP FUNCTION app_version()")`
            : `op.execute("CREATE OR REPLACE FUNCTION app_version() RETURNS integer LANGUAGE sql AS $$ SELECT ${functionVersion - 1} $$")`,
      };
    default:
      return {
        message: `${t} name not blank`,
        upgrade: `op.create_check_constraint('ck_${t}_name_${i}', '${t}', "name <> ''")`,
        downgrade: `op.drop_constraint('ck_${t}_name_${i}', '${t}', type_='check')`,
      };
  }
}

function indent(body: string): string {
  let inString = false;
  return body
    .split('\n')
    .map((line) => {
      const out = line && !inString ? `    ${line}` : line;
      // Triple-quoted SQL keeps its own indentation inside the string.
      if ((line.match(/"""/g) ?? []).length % 2 === 1) inString = !inString;
      return out;
    })
    .join('\n');
}

function fileText(rev: string, down: string[], s: Step): string {
  const downValue = down.length === 0 ? 'None' : down.length === 1 ? `'${down[0]}'` : `(${down.map((d) => `'${d}'`).join(', ')})`;
  return `"""${s.message}

Revision ID: ${rev}
Revises: ${down.join(', ')}
Create Date: 2025-01-01 00:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${s.imports ?? ''}
${s.helpers ? `\n${s.helpers}\n\n` : ''}
# revision identifiers, used by Alembic.
revision: str = '${rev}'
down_revision: Union[str, Sequence[str], None] = ${downValue}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
${indent(s.upgrade)}


def downgrade() -> None:
${indent(s.downgrade)}
`;
}

/** Writes the project under `root` (once per count; reused when complete). */
export function writeLargeHistory(root: string, count = 500): LargeHistory {
  const dir = path.join(root, `history-${count}`);
  const versions = path.join(dir, 'migrations', 'versions');
  const ids = Array.from({ length: count }, (_, i) => revisionId(i));
  const done = path.join(dir, '.complete');
  if (!fs.existsSync(done)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(versions, { recursive: true });
    const ini = fs.readFileSync(path.join(FIXTURE, 'alembic.ini'), 'utf8');
    // An exec hook as newer Alembic writes it; 1.8 cannot run it, which must only be a warning.
    fs.writeFileSync(path.join(dir, 'alembic.ini'), ini.replace('[post_write_hooks]\n', '[post_write_hooks]\nhooks = ruff\nruff.type = exec\nruff.executable = ruff\nruff.options = format REVISION_SCRIPT_FILENAME\n'));
    for (const f of ['env.py', 'script.py.mako']) fs.copyFileSync(path.join(FIXTURE, 'migrations', f), path.join(dir, 'migrations', f));
    let main = '';
    let fork = '';
    let branch = '';
    let table = 't0';
    let functionVersion = 0;
    for (let i = 0; i < count; i++) {
      const k = i % 50;
      let down: string[];
      let s: Step;
      if (i === 0) {
        down = [];
        s = {
          message: 'statuses lookup',
          upgrade: `"""Upgrade schema."""\nstatuses = op.create_table(\n    'statuses',\n    sa.Column('code', sa.String(20), primary_key=True),\n    sa.Column('label', sa.String(100), nullable=False),\n)\nop.bulk_insert(statuses, [{'code': 'new', 'label': 'New'}, {'code': 'done', 'label': 'Done'}])\nop.create_table('t0', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(80), nullable=False), sa.Column('status', sa.String(20), sa.ForeignKey('statuses.code')))`,
          downgrade: `"""Downgrade schema."""\nop.drop_table('t0')\nop.drop_table('statuses')`,
        };
      } else if (k === 24 && fork) {
        down = [main, branch];
        s = { message: 'merge heads', upgrade: 'pass', downgrade: 'pass' };
      } else {
        if (i % 10 === 0) table = `t${i}`;
        if (i % 10 === 8) functionVersion++;
        s = step(i, table, functionVersion);
        if (k === 21 || k === 22) down = [k === 21 ? fork : branch];
        else down = [k === 23 ? fork : main];
      }
      fs.writeFileSync(path.join(versions, `${ids[i]}_${s.message.replace(/\W+/g, '_').toLowerCase()}.py`), fileText(ids[i], down, s));
      if (k === 20) fork = ids[i];
      if (k === 21 || k === 22) branch = ids[i];
      else main = ids[i];
    }
    fs.writeFileSync(done, '');
  }
  return { dir, ids, heads: [ids[count - 1]] };
}
