import * as fs from 'node:fs';
import * as path from 'node:path';

/** `path_separator` / `version_path_separator` values Alembic accepts (1.16 adds `newline`). */
const SEPARATORS: Readonly<Record<string, string>> = {
  space: ' ',
  newline: '\n',
  os: path.delimiter,
  ':': ':',
  ';': ';',
};

export function separatorFor(value: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(SEPARATORS, value) ? SEPARATORS[value] : undefined;
}

export const SEPARATOR_VALUES = Object.keys(SEPARATORS);

/**
 * Alembic's legacy split when no separator is configured: on a comma followed by any spaces, or on
 * a run of spaces (not on line breaks or tabs). Empty pieces (e.g. from `a ,b`) are dropped here,
 * where Alembic would turn them into the current directory.
 */
export function splitLegacy(value: string, alsoColon = false): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === ',') {
      pieces.push(current);
      current = '';
      while (value[i + 1] === ' ') i++;
    } else if (ch === ' ') {
      pieces.push(current);
      current = '';
      while (value[i + 1] === ' ') i++;
    } else if (alsoColon && ch === ':') {
      pieces.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  pieces.push(current);
  return pieces.filter((p) => p !== '');
}

/** Split on a configured separator; pieces are stripped and empty ones dropped (Alembic 1.16). */
export function splitOn(value: string, separator: string): string[] {
  return value
    .split(separator)
    .filter((p) => p !== '')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export type Located =
  | { kind: 'path'; path: string }
  | { kind: 'resource'; path: string; packageDir: string }
  | { kind: 'unresolved'; packageName: string; searched: string[] };

/**
 * Alembic's `coerce_resource_to_filename`: a relative name containing `:` is `package:resource`,
 * resolved from the package's folder on sys.path; anything else is a file path. Alembic resolves
 * relative paths against the working directory; we use the config's folder (where it is run from).
 */
export function locate(value: string, here: string, sysPath: readonly string[]): Located {
  if (path.isAbsolute(value) || !value.includes(':')) return { kind: 'path', path: path.resolve(here, value) };
  const [pkg, ...resource] = value.split(':');
  const packageName = pkg ?? '';
  const segments = packageName.split('.');
  const searched: string[] = [];
  for (const base of sysPath) {
    const dir = path.join(base, ...segments);
    searched.push(dir);
    if (isDirectory(dir)) return { kind: 'resource', path: path.join(dir, ...resource), packageDir: dir };
  }
  return { kind: 'unresolved', packageName, searched };
}

/** Where a `package:resource` can be found: prepend_sys_path entries, the config folder, and `src/`. */
export function sysPathCandidates(here: string, prependSysPath: readonly string[]): string[] {
  const all = [...prependSysPath, here, path.join(here, 'src')];
  return [...new Set(all.map((p) => path.resolve(here, p)))];
}

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
