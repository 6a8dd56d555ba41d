/**
 * Alembic migration file → MigrationFile, read from @lezer/python's tree. Never throws: problems are
 * collected with offsets (UTF-16, as VS Code and JS strings count).
 */
import { analyze, analyzeHeader, emptyMigration } from './migration';
import type { Problem } from '../common/problem';
import { checkLimits, failureReason, nullByte, unreadableFile } from './limits';
import type { MigrationFile } from './types';

export type {
  Docstring, HeaderAssignment, HeaderName, HeaderValue, ImportStatement, MigrationFile, MigrationFunction,
  ModuleStatement, NameReference,
} from './types';
export { ProblemCode } from './problems';
export { LIMITS, UNREADABLE_FILE, unreadableFile, invalidUtf8 } from './limits';
export { HEADER_NAMES, isValidRevisionId, revisionIdError } from './header';
export { namesIn, helpersNeeded } from './names';
export { dedent, indent } from './text';
export { importedNames, importsAnywhere } from './imports';
export { stringValue } from './strings';
export { parsePython } from './lezer';

/** Reads the whole file: header, docstring, imports, upgrade/downgrade, helpers, references, problems. */
export function parseMigration(text: string): MigrationFile {
  return bounded(text, () => analyze(text));
}

/**
 * Fast path for building graphs of thousands of files: reads only the text before the first column-0
 * `def`/`class` (falling back to the whole text when that part looks cut). Upgrade, downgrade,
 * helpers and references may be empty.
 */
export function parseHeader(text: string): MigrationFile {
  return bounded(text, () => analyzeHeader(text));
}

/**
 * A file the parser cannot read (beyond the limits, or the parser throws) never vanishes: it becomes
 * a file with an `unreadable-file` problem saying why, the same on every run. Its revision is not
 * trusted (a guess from a partial read could put a wrong edge into the graph).
 */
function bounded(text: string, read: () => MigrationFile): MigrationFile {
  const limit = checkLimits(text);
  if (limit) return unreadable(limit);
  let file: MigrationFile;
  try {
    file = read();
  } catch (error) {
    return unreadable(unreadableFile(failureReason(error)));
  }
  // Python refuses a revision with NUL characters ("source code cannot contain null bytes").
  const nul = file.isRevision ? text.indexOf('\0') : -1;
  if (nul >= 0) file.problems = [...file.problems, nullByte(nul)].sort((a, b) => a.range.start - b.range.start);
  return file;
}

function unreadable(problem: Problem): MigrationFile {
  const file = emptyMigration();
  file.problems = [problem];
  return file;
}
