import { randomBytes } from 'node:crypto';
import type { Owner } from './owner';

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

/** Marker at the start of the COMMENT on every database we create: the rest is the owner as JSON. */
export const COMMENT_MARKER = 'alembic-squash throwaway database, drop freely when its process is gone: ';

export function databaseComment(owner: Owner): string {
  return COMMENT_MARKER + JSON.stringify(owner);
}

/** The owner written by `databaseComment`, or undefined for any other comment. */
export function ownerFromComment(comment: string | null | undefined): Owner | undefined {
  if (!comment?.startsWith(COMMENT_MARKER)) return undefined;
  try {
    const o = JSON.parse(comment.slice(COMMENT_MARKER.length)) as Partial<Owner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.created === 'string' ? (o as Owner) : undefined;
  } catch {
    return undefined;
  }
}

/** A string literal for SQL (standard_conforming_strings on, as every supported server has). */
export function quoteLiteral(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}
