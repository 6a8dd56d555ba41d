import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectConfig } from './types';

/** Bare projects are read recursively, as a versions folder given directly. */
function isRecursive(project: ProjectConfig): boolean {
  return project.recursiveVersionLocations || project.configKind === 'bare';
}

/** Python's `sorted()` on str compares code points; JS `<` compares UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/**
 * The `.py` files of every version location, in Alembic's order: locations as configured; in each,
 * a folder's files sorted by name, then its sub-folders in name order (when recursive). Folders named
 * `*__pycache__` and editor lock files (`.#name.py`) are skipped, symlinked folders are not entered
 * (as os.walk), and a file reached twice through overlapping locations is listed once.
 * Every .py file is returned (also `__init__.py`): the parser decides what is a revision.
 */
export async function listMigrationFiles(project: ProjectConfig): Promise<string[]> {
  return listMigrationFilesSync(project);
}

/**
 * The same, synchronously: a version folder holds hundreds of small entries, and one readdir per
 * folder beats a promise per file by an order of magnitude (this runs on every graph load).
 */
export function listMigrationFilesSync(project: ProjectConfig): string[] {
  const recursive = isRecursive(project);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const location of project.versionLocations) {
    for (const { file, real } of walk(location, recursive)) {
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(file);
    }
  }
  return out;
}

interface Listed {
  file: string;
  /** The file's real path (its folder's real path + name, or its own for a symlinked file): overlapping locations list it once. */
  real: string;
}

function walk(folder: string, recursive: boolean): Listed[] {
  let entries: fs.Dirent[];
  let realFolder: string;
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
    realFolder = fs.realpathSync(folder);
  } catch {
    return [];
  }
  const files: { name: string; real: string }[] = [];
  const dirs: string[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    let real = path.join(realFolder, entry.name);
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        isFile = fs.statSync(full).isFile();
        real = fs.realpathSync(full);
      } catch {
        isFile = false;
      }
    } else if (entry.isDirectory()) {
      dirs.push(entry.name);
    }
    if (isFile && entry.name.endsWith('.py') && !entry.name.startsWith('.#')) files.push({ name: entry.name, real });
  }
  const out = files.sort((a, b) => byCodePoint(a.name, b.name)).map((f) => ({ file: path.join(folder, f.name), real: f.real }));
  if (!recursive) return out;
  for (const dir of dirs.sort(byCodePoint)) {
    // Our own journals (their backups are .py files) are never revisions, wherever the project keeps them.
    if (dir.endsWith('__pycache__') || dir === '.alembic-squash') continue;
    out.push(...walk(path.join(folder, dir), true));
  }
  return out;
}

function samePath(a: string, b: string): boolean {
  const ra = path.resolve(a);
  const rb = path.resolve(b);
  return process.platform === 'win32' ? ra.toLowerCase() === rb.toLowerCase() : ra === rb;
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** True when `folder` is one of the project's version locations (symlinks followed). */
export function isVersionLocation(project: ProjectConfig, folder: string): boolean {
  if (project.versionLocations.some((l) => samePath(l, folder))) return true;
  const real = realOrSelf(folder);
  return project.versionLocations.some((l) => samePath(realOrSelf(l), real));
}

/**
 * The version location a migration file belongs to, or undefined: directly in it, or below it when
 * the project reads locations recursively. The deepest matching location wins (locations may nest).
 */
export function versionLocationOf(project: ProjectConfig, filePath: string): string | undefined {
  const recursive = isRecursive(project);
  const candidates = (p: string, l: string): boolean => {
    const rel = path.relative(l, p);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const parts = rel.split(path.sep);
    if (parts.slice(0, -1).some((d) => d.endsWith('__pycache__'))) return false;
    return recursive || parts.length === 1;
  };
  const match = (p: string, map: (l: string) => string): string | undefined =>
    project.versionLocations
      .filter((l) => candidates(p, map(l)))
      .sort((a, b) => map(b).length - map(a).length)[0];
  return match(path.resolve(filePath), (l) => path.resolve(l)) ?? match(realOrSelf(filePath), realOrSelf);
}
