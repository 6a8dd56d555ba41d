import * as fs from 'node:fs';
import * as path from 'node:path';
import { importsAnywhere } from '../parse';
import type { ProjectConfig } from '../project/types';
import { STDLIB_MODULES } from './stdlib';

/** A revision's import of the project's own code. */
export interface ProjectCodeImport {
  /** As written: `app.db.views`, `.helpers` for relative imports. */
  module: string;
  /** Offset of the import statement in the file. */
  offset: number;
  /** 1-based line of the import statement. */
  line: number;
  /** True when the import sits inside a function (it runs when the function runs). */
  inFunction: boolean;
}

/**
 * Where Python finds the project's own packages when Alembic runs: the folder of the config (Alembic
 * is run from there) and `prepend_sys_path`.
 */
export function projectRoots(project: Pick<ProjectConfig, 'here' | 'prependSysPath'>): string[] {
  return [...new Set([project.here, ...project.prependSysPath])];
}

/**
 * A module is the project's own code when it is imported relatively or its top-level package is a
 * folder or .py file in one of the project's roots; the standard library, Alembic and SQLAlchemy
 * never are, and anything else is taken to be installed (site-packages).
 */
export function isProjectModule(module: string, level: number, roots: readonly string[]): boolean {
  if (level > 0) return true;
  const top = module.split('.')[0];
  if (!top || STDLIB_MODULES.has(top) || top === 'alembic' || top === 'sqlalchemy') return false;
  return roots.some((root) => isDir(path.join(root, top)) || isFile(path.join(root, `${top}.py`)));
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The imports of project code in a revision file: a squash carries them, so it would run the
 * project's code as it is now, not as it was when the revision was written.
 */
export function projectCodeImports(text: string, roots: readonly string[], functionRanges: { start: number; end: number }[] = []): ProjectCodeImport[] {
  const out: ProjectCodeImport[] = [];
  for (const imp of importsAnywhere(text)) {
    if (!isProjectModule(imp.module, imp.level, roots)) continue;
    const module = `${'.'.repeat(imp.level)}${imp.module}`;
    const offset = imp.range.start;
    if (out.some((o) => o.offset === offset && o.module === module)) continue;
    out.push({ module, offset, line: lineAt(text, offset), inFunction: functionRanges.some((r) => offset >= r.start && offset < r.end) });
  }
  return out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
