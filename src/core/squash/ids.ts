import { randomUUID } from 'node:crypto';
import { InvalidRevisionIdError } from './errors';

/** A fresh id as `alembic revision` makes one: the last 12 hex digits of a uuid4. */
export function newRevisionId(taken: (id: string) => boolean = () => false): string {
  for (;;) {
    const id = randomUUID().replace(/-/g, '').slice(-12);
    if (!taken(id)) return id;
  }
}

/**
 * An explicit id must be usable as a Python string literal in the header, as a file name part and
 * as a REV on Alembic's command line (which rejects `@`, `-`, `+`); we keep to word characters.
 */
export function validateRevisionId(id: string, taken: (id: string) => boolean): void {
  if (id.length === 0) throw new InvalidRevisionIdError(id, 'empty');
  for (const ch of id) {
    const ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_';
    if (!ok) throw new InvalidRevisionIdError(id, 'characters');
  }
  if (taken(id)) throw new InvalidRevisionIdError(id, 'exists');
}

/**
 * The id the new revision carries. `taken` answers for revisions that stay after the squash (the
 * members are replaced, so an explicit id equal to a member's is allowed only for the tip).
 */
export function chooseRevisionId(
  policy: 'tip' | 'new' | string | undefined,
  tip: string,
  taken: (id: string) => boolean,
): string {
  if (policy === undefined || policy === 'tip') return tip;
  if (policy === 'new') return newRevisionId(taken);
  if (policy === tip) return tip;
  validateRevisionId(policy, taken);
  return policy;
}
