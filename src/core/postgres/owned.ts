import type { Client } from 'pg';
import * as sql from './client';
import { delay } from './process';
import { ThrowawayServerError } from './errors';
import { randomDatabaseName } from './names';
import type { ProviderKind, ThrowawayDatabase } from './types';

/** How long a template's sessions may take to go away before a copy of it is refused. */
const TEMPLATE_GRACE_MS = 500;

/** The sessions on `database` once they are gone or `ms` have passed, polling often at first. */
async function sessionsAfter(c: Client, database: string, ms: number): Promise<number> {
  const end = Date.now() + ms;
  let pause = 5;
  for (;;) {
    const open = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [database])).rows[0]!.n);
    if (open === 0 || Date.now() >= end) return open;
    await delay(Math.min(pause, end - Date.now()));
    pause = Math.min(50, pause * 2);
  }
}

/**
 * The databases one server created, on a server reached as a trusted superuser (local cluster,
 * container): only these may ever be dropped.
 */
export class OwnedDatabases {
  private readonly names = new Set<string>();

  constructor(
    private readonly kind: ProviderKind,
    private readonly admin: () => { host: string; port: number; user: string; database: string },
    private readonly majorVersion: () => number,
    private readonly log: (line: string) => void,
  ) {}

  /** A new database; with `template`, a copy of that one of ours (nothing may be connected to it meanwhile). */
  async create(template?: ThrowawayDatabase): Promise<ThrowawayDatabase> {
    if (template && !this.names.has(template.name)) {
      throw new ThrowawayServerError(this.kind, 'not-ours', `Database ${template.name} was not created by this server; not copying it.`);
    }
    const name = randomDatabaseName();
    const { host, port, user } = this.admin();
    await sql.withClient(this.admin(), async (c) => {
      // PostgreSQL waits 5 s for the template's sessions to end before it refuses the copy: an env.py
      // that keeps a pooled connection open would cost that wait every time. A session that was just
      // closed stays listed until its backend has exited (tens of milliseconds under load): waited for
      // briefly, then refused.
      if (template) {
        const open = await sessionsAfter(c, template.name, TEMPLATE_GRACE_MS);
        if (open > 0) throw new ThrowawayServerError(this.kind, 'template-busy', `Database ${template.name} has ${open} open connection(s) (a pool the project's env.py keeps?): it cannot be copied now.`);
      }
      await sql.createDatabase(c, name, template?.name);
    });
    this.names.add(name);
    this.log(template ? `created database ${name} as a copy of ${template.name}` : `created database ${name}`);
    return { name, host, port, user, url: `postgresql://${user}@${host}:${port}/${name}` };
  }

  async drop(db: ThrowawayDatabase): Promise<void> {
    if (!this.names.has(db.name)) {
      throw new ThrowawayServerError(this.kind, 'not-ours', `Database ${db.name} was not created by this server; not dropping it.`);
    }
    await sql.withClient(this.admin(), (c) => sql.dropDatabase(c, db.name, this.majorVersion()));
    this.names.delete(db.name);
    this.log(`dropped database ${db.name}`);
  }

  /** The server itself is going away: its databases go with it. */
  forget(): void {
    this.names.clear();
  }
}
