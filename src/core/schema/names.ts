import type { ObjectKind } from './types';

/** Quotes an identifier when PostgreSQL would need it (a stable rule used by both sources). */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function qualify(...parts: string[]): string {
  return parts.map(ident).join('.');
}

export function objectKey(kind: ObjectKind, name: string): string {
  return `${kind} ${name}`;
}

/** Tables whose objects are never compared: Alembic's bookkeeping. */
export const IGNORED_TABLES = new Set(['alembic_version']);
