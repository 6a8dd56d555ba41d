import { randomBytes } from 'node:crypto';

/** Every database we create starts with this, so a reader of `\l` can tell ours apart. */
export const DATABASE_PREFIX = 'alembic_squash_';
/** Temp folders of local clusters; the sweep only ever looks at folders with this prefix. */
export const TEMP_PREFIX = 'alembic-squash-pg-';
/** Written into each temp folder: `{ "pid": <owning process> }`. */
export const OWNER_FILE = 'owner.json';
/** Docker label on every container we run; `DOCKER_PID_LABEL` holds the owning pid. */
export const DOCKER_LABEL = 'alembic-squash';
export const DOCKER_PID_LABEL = 'alembic-squash.pid';

export function randomDatabaseName(): string {
  return DATABASE_PREFIX + randomBytes(6).toString('hex');
}

/** `"name"` with embedded quotes doubled; our names never need it, but callers may pass others. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
