// A realistic schema built in two different orders, plus helpers to dump and capture it.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Cluster } from '../../support/pg-cluster';

export interface SampleOptions {
  /** Create `users` with `email` before `display_name` swapped. */
  swapColumns?: boolean;
  enumLabels?: string[];
}

const FUNCTION_SQL = `CREATE FUNCTION app.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  marker text := 'a;b $$ c';  -- a semicolon and a dollar pair inside the body
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$fn$`;

function parts(o: SampleOptions): Record<string, string> {
  const labels = (o.enumLabels ?? ['happy', 'sad', 'neutral']).map((l) => `'${l}'`).join(', ');
  const userColumns = o.swapColumns
    ? `id serial PRIMARY KEY, display_name text NOT NULL DEFAULT 'anonymous', email text NOT NULL`
    : `id serial PRIMARY KEY, email text NOT NULL, display_name text NOT NULL DEFAULT 'anonymous'`;
  return {
    extension: `CREATE EXTENSION pg_trgm`,
    schema: `CREATE SCHEMA app`,
    enum: `CREATE TYPE app.mood AS ENUM (${labels})`,
    users: `CREATE TABLE app.users (${userColumns}, mood app.mood, active boolean NOT NULL DEFAULT true,
      updated_at timestamptz, CONSTRAINT users_email_check CHECK (position('@' in email) > 1))`,
    orders: `CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id integer NOT NULL,
      total numeric(10,2) NOT NULL DEFAULT 0, note text)`,
    fk: `ALTER TABLE app.orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE`,
    statuses: `CREATE TABLE app.statuses (code text PRIMARY KEY, label text NOT NULL)`,
    seed: `INSERT INTO app.statuses VALUES ('new', 'New'), ('paid', 'Paid'), ('void', 'Cancelled')`,
    index: `CREATE UNIQUE INDEX ix_users_email ON app.users (lower(email))`,
    trgm: `CREATE INDEX ix_users_name_trgm ON app.users USING gin (display_name gin_trgm_ops)`,
    view: `CREATE VIEW app.active_users AS SELECT id, email FROM app.users WHERE active`,
    matview: `CREATE MATERIALIZED VIEW app.order_totals AS SELECT user_id, sum(total) AS total FROM app.orders GROUP BY user_id WITH NO DATA`,
    fn: FUNCTION_SQL,
    trigger: `CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()`,
    rls: `ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY`,
    policy: `CREATE POLICY orders_owner ON app.orders USING (user_id = current_setting('app.user_id')::integer)`,
    comment: `COMMENT ON COLUMN app.users.email IS 'Login address, unique ignoring case'`,
    tableComment: `COMMENT ON TABLE app.orders IS 'One row per checkout'`,
    alembic: `CREATE TABLE public.alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
      INSERT INTO public.alembic_version VALUES ('c3d4e5f6a7b8')`,
  };
}

/** The same objects, created in the order a chain of migrations would. */
export function sampleInOrderA(o: SampleOptions = {}): string[] {
  const p = parts(o);
  return ['extension', 'schema', 'enum', 'users', 'orders', 'fk', 'statuses', 'seed', 'index', 'trgm', 'view', 'matview', 'fn', 'trigger', 'rls', 'policy', 'comment', 'tableComment', 'alembic'].map((k) => p[k]!);
}

/** The same objects created in another order (as a squash might), with a different alembic_version row. */
export function sampleInOrderB(o: SampleOptions = {}): string[] {
  const p = parts(o);
  return [
    p.schema!, p.fn!, p.extension!, p.enum!, p.statuses!, p.users!, p.orders!, p.tableComment!, p.trigger!, p.comment!,
    p.policy!, p.rls!, p.fk!, p.matview!, p.view!, p.trgm!, p.index!, p.seed!,
    `CREATE TABLE public.alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
     INSERT INTO public.alembic_version VALUES ('ffffffffffff')`,
  ];
}

export async function execute(url: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

export function dump(cluster: Cluster, db: string): string {
  return execFileSync(
    path.join(cluster.binDir, 'pg_dump'),
    ['-s', '-O', '-x', '-h', cluster.host, '-p', String(cluster.port), '-U', cluster.user, db],
    { encoding: 'utf8' },
  );
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
