/**
 * Alembic migration file → MigrationFile, read from @lezer/python's tree. Never throws: problems are
 * collected with offsets (UTF-16, as VS Code and JS strings count).
 */
import { analyze, analyzeHeader, emptyMigration } from './migration';
import type { MigrationFile } from './types';

export type {
  Docstring, HeaderAssignment, HeaderName, HeaderValue, ImportStatement, MigrationFile, MigrationFunction,
  ModuleStatement, NameReference,
} from './types';
export { ProblemCode } from './problems';
export { HEADER_NAMES, isValidRevisionId, revisionIdError } from './header';
export { namesIn, helpersNeeded } from './names';
export { dedent, indent } from './text';
export { importedNames, importsAnywhere } from './imports';
export { stringValue } from './strings';
export { parsePython } from './lezer';

/** Reads the whole file: header, docstring, imports, upgrade/downgrade, helpers, references, problems. */
export function parseMigration(text: string): MigrationFile {
  try {
    return analyze(text);
  } catch {
    return emptyMigration();
  }
}

/**
 * Fast path for building graphs of thousands of files: reads only the text before the first column-0
 * `def`/`class` (falling back to the whole text when that part looks cut). Upgrade, downgrade,
 * helpers and references may be empty.
 */
export function parseHeader(text: string): MigrationFile {
  try {
    return analyzeHeader(text);
  } catch {
    return emptyMigration();
  }
}
