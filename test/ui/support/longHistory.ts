// A linear Alembic project of N revisions written at test time (nothing of it is committed): the
// `linear` fixture's alembic.ini, env.py and script.py.mako with a generated versions folder.
// Revision 15 writes a row into a log table from alembic_version, as migration-log tables do: the
// chain and a squash of it then leave different seed data there, which verify reports.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../extension/launcher';

export const LOG_REVISION = 15;

/** Revision ids: `a0000000001`…, 12 hex digits like Alembic's. */
export const revisionId = (n: number): string => `a${n.toString(16).padStart(11, '0')}`;

function revision(n: number): string {
  const id = revisionId(n);
  const parent = n === 1 ? 'None' : `'${revisionId(n - 1)}'`;
  const message = n === 1 ? 'create accounts' : n === LOG_REVISION ? 'log the schema version' : `add column c${n} to accounts`;
  let up: string;
  let down: string;
  if (n === 1) {
    up = [
      "    op.create_table('accounts', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(80), nullable=False))",
      "    op.create_table('migration_log', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('note', sa.Text(), nullable=False))",
    ].join('\n');
    down = "    op.drop_table('migration_log')\n    op.drop_table('accounts')";
  } else if (n === LOG_REVISION) {
    up = "    op.execute(\"INSERT INTO migration_log (id, note) SELECT 1, 'upgraded from ' || coalesce(max(version_num), 'nothing') FROM alembic_version\")";
    down = "    op.execute('DELETE FROM migration_log WHERE id = 1')";
  } else {
    up = `    op.add_column('accounts', sa.Column('c${n}', sa.Integer(), nullable=True))`;
    down = `    op.drop_column('accounts', 'c${n}')`;
  }
  return `"""${message}

Revision ID: ${id}
Revises: ${n === 1 ? '' : revisionId(n - 1)}
Create Date: 2025-01-${String(1 + (n % 28)).padStart(2, '0')} 10:00:${String(n % 60).padStart(2, '0')}.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '${id}'
down_revision = ${parent}
branch_labels = None
depends_on = None


def upgrade() -> None:
${up}


def downgrade() -> None:
${down}
`;
}

/** Writes the project into `dir` and returns the versions folder. */
export function writeLongHistory(dir: string, count = 50): string {
  cpSync(join(REPO_ROOT, 'test/fixtures/linear'), dir, { recursive: true });
  const versions = join(dir, 'migrations/versions');
  rmSync(versions, { recursive: true, force: true });
  mkdirSync(versions);
  for (let n = 1; n <= count; n++) {
    const slug = n === 1 ? 'create_accounts' : n === LOG_REVISION ? 'log_the_schema_version' : `add_c${n}`;
    writeFileSync(join(versions, `${revisionId(n)}_${slug}.py`), revision(n));
  }
  return versions;
}

/**
 * The project's script.py.mako leaves a bracket open at the top of upgrade() when the squash's message
 * says "please break": the rendered squash then fails to parse, as a broken template of a real project
 * would make it.
 */
export function writeBreakingTemplate(projectDir: string): void {
  const template = join(projectDir, 'migrations/script.py.mako');
  const text = readFileSync(template, 'utf8');
  const head = 'def upgrade() -> None:\n';
  if (!text.includes(head)) throw new Error(`no upgrade() in ${template}`);
  writeFileSync(template, text.replace(head, `${head}% if 'please break' in message:\n    op.execute(  # left open by the template\n% endif\n`));
}
