// Small Alembic projects written into temp folders for the runner tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export const INI = `[alembic]
script_location = %(here)s/migrations
prepend_sys_path = .
sqlalchemy.url = postgresql://nobody@127.0.0.1:1/placeholder

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`;

/** env.py as most teams write it: `-x url=`, then $DATABASE_URL, then the config. */
export const ENV_READING_DATABASE_URL = `import os
from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool
from alembic import context

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


def get_url():
    return context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")


def run_migrations_online():
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = get_url()
    connectable = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
`;

/** Alembic's generic env.py: the URL only comes from the config's sqlalchemy.url. */
export const ENV_READING_CONFIG_ONLY = `from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool
from alembic import context

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
`;

export const SCRIPT_MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade():
    \${upgrades if upgrades else "pass"}


def downgrade():
    \${downgrades if downgrades else "pass"}
`;

export interface RevisionSpec {
  revision: string;
  downRevision: string | null;
  message: string;
  upgrade: string;
  downgrade: string;
  /** Extra module-level text (imports) placed after the standard imports. */
  prelude?: string;
}

export function revisionFile(spec: RevisionSpec): string {
  return `"""${spec.message}

Revision ID: ${spec.revision}
Revises: ${spec.downRevision ?? ''}
Create Date: 2024-03-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
${spec.prelude ?? ''}

# revision identifiers, used by Alembic.
revision = '${spec.revision}'
down_revision = ${spec.downRevision ? `'${spec.downRevision}'` : 'None'}
branch_labels = None
depends_on = None


def upgrade():
${indent(spec.upgrade)}


def downgrade():
${indent(spec.downgrade)}
`;
}

function indent(body: string): string {
  return body
    .trim()
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}

/** Three revisions: customers, orders with a FK, an index on orders. */
export const SHOP: RevisionSpec[] = [
  {
    revision: 'a1b2c3d4e5f6',
    downRevision: null,
    message: 'create customers',
    upgrade: `op.create_table(
    'customers',
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('email', sa.String(200), nullable=False, unique=True),
)`,
    downgrade: `op.drop_table('customers')`,
  },
  {
    revision: 'b2c3d4e5f6a7',
    downRevision: 'a1b2c3d4e5f6',
    message: 'create orders',
    upgrade: `op.create_table(
    'orders',
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('customer_id', sa.Integer, sa.ForeignKey('customers.id'), nullable=False),
    sa.Column('total', sa.Numeric(10, 2), nullable=False, server_default='0'),
)`,
    downgrade: `op.drop_table('orders')`,
  },
  {
    revision: 'c3d4e5f6a7b8',
    downRevision: 'b2c3d4e5f6a7',
    message: 'index orders by customer',
    upgrade: `op.create_index('ix_orders_customer_id', 'orders', ['customer_id'])`,
    downgrade: `op.drop_index('ix_orders_customer_id', table_name='orders')`,
  },
];

export interface TempProject {
  dir: string;
  configPath: string;
  versionsDir: string;
  fileOf(revision: string): string;
  dispose(): void;
}

export function writeProject(options: { env?: string; ini?: string; revisions?: RevisionSpec[] } = {}): TempProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-test-project-'));
  const versionsDir = path.join(dir, 'migrations', 'versions');
  fs.mkdirSync(versionsDir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), options.ini ?? INI);
  fs.writeFileSync(path.join(dir, 'migrations', 'env.py'), options.env ?? ENV_READING_DATABASE_URL);
  fs.writeFileSync(path.join(dir, 'migrations', 'script.py.mako'), SCRIPT_MAKO);
  const files = new Map<string, string>();
  for (const spec of options.revisions ?? SHOP) {
    const file = path.join(versionsDir, `${spec.revision}_${spec.message.replace(/\W+/g, '_')}.py`);
    fs.writeFileSync(file, revisionFile(spec));
    files.set(spec.revision, file);
  }
  return {
    dir,
    configPath: path.join(dir, 'alembic.ini'),
    versionsDir,
    fileOf: (revision) => {
      const file = files.get(revision);
      if (!file) throw new Error(`no revision ${revision}`);
      return file;
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** 1-based line number of the first line containing `needle`. */
export function lineOf(file: string, needle: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}
