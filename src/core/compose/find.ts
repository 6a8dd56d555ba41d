import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where projects keep compose files, relative to a folder (nearest first). */
const SUBFOLDERS = ['.', 'docker', '.devcontainer', 'deploy'];
const MAIN_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** Folders above the project that are looked at before giving up (a monorepo's backend/alembic.ini). */
const MAX_LEVELS_UP = 3;

export function isComposeFileName(name: string): boolean {
  if (MAIN_NAMES.includes(name)) return true;
  const yaml = name.endsWith('.yml') || name.endsWith('.yaml');
  return yaml && (name.startsWith('compose.') || name.startsWith('docker-compose.') || name.startsWith('docker-compose-'));
}

/** Main names first (in compose's own order of preference), then variants (`.dev`, `.override`, …) by name. */
function byPreference(a: string, b: string): number {
  const ia = MAIN_NAMES.indexOf(a);
  const ib = MAIN_NAMES.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/**
 * The compose files nearest to a project: its folder (and its docker/, .devcontainer/, deploy/
 * subfolders), else the same in each parent up to the repository root (a folder with `.git`) or three
 * levels up. Absolute paths, the nearest folder's files only.
 */
export function findComposeFiles(projectDir: string): string[] {
  let dir = path.resolve(projectDir);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const found: string[] = [];
    for (const sub of SUBFOLDERS) {
      const folder = path.join(dir, sub);
      let names: string[];
      try {
        names = fs.readdirSync(folder).filter(isComposeFileName).sort(byPreference);
      } catch {
        continue;
      }
      for (const name of names) {
        const file = path.join(folder, name);
        if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) found.push(file);
      }
    }
    if (found.length) return found;
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) break;
    dir = parent;
  }
  return [];
}
