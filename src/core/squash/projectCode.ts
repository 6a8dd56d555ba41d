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
 * is run from there), `prepend_sys_path`, and the folder above the config (Flask-Migrate keeps
 * alembic.ini in `migrations/` and runs from the project's root).
 */
export function projectRoots(project: Pick<ProjectConfig, 'here' | 'prependSysPath'>): string[] {
  return [...new Set([project.here, ...project.prependSysPath, path.dirname(project.here)])];
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

const rootListings = new Map<string, { at: number; names: string[] }>();

/** Package and module names in the roots (listed once a second at most: a long render asks often). */
function rootNames(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const root of roots) {
    let cached = rootListings.get(root);
    if (!cached || Date.now() - cached.at > 1000) {
      let names: string[] = [];
      try {
        names = fs
          .readdirSync(root, { withFileTypes: true })
          .filter((e) => e.isDirectory() || e.name.endsWith('.py'))
          .map((e) => e.name.replace(/\.py$/, ''))
          .filter((n) => n && !STDLIB_MODULES.has(n) && n !== 'alembic' && n !== 'sqlalchemy' && !n.startsWith('.'));
      } catch {
        // An unreadable root holds nothing Python can import either.
      }
      cached = { at: Date.now(), names };
      rootListings.set(root, cached);
    }
    out.push(...cached.names);
  }
  return out;
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
  // Parse only files that can hold such an import: a relative one, or a name found in a root.
  if (!text.includes('from .') && !rootNames(roots).some((n) => text.includes(n))) return out;
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
