/**
 * What a revision's upgrade() does that a reader of the graph must notice: data operations
 * (bulk_insert, DML through execute/get_bind, sessions) and calls into the application's own code.
 * Uses the squash engine's statement classifier, so the picture, the tree and a squash agree.
 * Imported on its own (not through index.ts): it loads the SQL parser.
 */
import type { MigrationFile } from '../parse';
import { classifyBody, prepareClassifier, type FileScope } from '../squash/classify';

export interface RevisionBadges {
  /** Statements of upgrade() that read or write rows. */
  data: number;
  /** Statements of upgrade() that call project code (imports outside alembic, sqlalchemy, stdlib). */
  appCode: number;
}

const DATA_KINDS = new Set(['data', 'raw-sql-dml']);

/** Call once before badgesOf (loads PostgreSQL's parser for SQL strings). */
export function prepareBadges(): Promise<void> {
  return prepareClassifier();
}

/** Badges of one parsed migration file (full parse needed: upgrade body, imports, helpers). */
export function badgesOf(text: string, file: MigrationFile): RevisionBadges {
  const out: RevisionBadges = { data: 0, appCode: 0 };
  if (!file.upgrade || file.upgrade.isEmpty) return out;
  const scope: FileScope = { imports: new Map(), helpers: new Map() };
  for (const imp of file.imports) {
    const module = `${'.'.repeat(imp.level)}${imp.module}`;
    if (imp.kind === 'from') for (const n of imp.names) scope.imports.set(n.alias ?? n.name, module);
    else scope.imports.set(imp.alias ?? imp.module.split('.')[0]!, imp.module);
  }
  for (const h of file.helpers) for (const name of h.defines) scope.helpers.set(name, text.slice(h.range.start, h.range.end));
  for (const s of classifyBody(file.upgrade.body, file.revision ?? '', 'upgrade', scope)) {
    const kind = s.kind === 'control' && s.contains ? s.contains : s.kind;
    if (DATA_KINDS.has(kind)) out.data++;
    if (kind === 'external' || s.externalNames?.length) out.appCode++;
  }
  return out;
}
