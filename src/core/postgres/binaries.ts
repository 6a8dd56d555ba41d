import { access, readdir, realpath } from 'node:fs/promises';
import { constants } from 'node:fs';
import * as path from 'node:path';
import { run } from './process';

export interface PgBinDir {
  dir: string;
  /** e.g. 15 */
  major: number;
  /** e.g. `15.18` */
  version: string;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Folder names like `15`, `postgresql@16`, `16.2`: highest major first. */
function byMajorDesc(a: string, b: string): number {
  const major = (name: string) => Number(/(\d+)(?:\.\d+)?$/.exec(name)?.[1] ?? -1);
  return major(b) - major(a);
}

async function subdirs(parent: string, filter: (name: string) => boolean): Promise<string[]> {
  try {
    return (await readdir(parent)).filter(filter).sort(byMajorDesc).map((name) => path.join(parent, name));
  } catch {
    return [];
  }
}

/** Where PostgreSQL binaries usually live, in the order we prefer them. */
export async function candidateBinDirs(): Promise<string[]> {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  dirs.push(...(await subdirs('/usr/lib/postgresql', () => true)).map((d) => path.join(d, 'bin')));
  for (const brew of ['/opt/homebrew/opt', '/usr/local/opt']) {
    dirs.push(...(await subdirs(brew, (n) => n.startsWith('postgresql'))).map((d) => path.join(d, 'bin')));
  }
  dirs.push(
    ...(await subdirs('/Applications/Postgres.app/Contents/Versions', (n) => n !== 'latest')).map((d) =>
      path.join(d, 'bin'),
    ),
  );
  return dirs;
}

/** `postgres (PostgreSQL) 15.18 (Debian ...)` → { major: 15, version: '15.18' }. */
export function parseVersionOutput(text: string): { major: number; version: string } | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), version: match[2] !== undefined ? `${match[1]}.${match[2]}` : match[1] };
}

/** A probe (`postgres --version`) that something outside killed: the programs are there, the answer is not. */
export class ProbeKilledError extends Error {
  constructor(readonly program: string, readonly signal: NodeJS.Signals) {
    super(`\`${program} --version\` was killed by ${signal} before it answered`);
  }
}

async function programVersion(program: string): Promise<{ major: number; version: string } | undefined> {
  let result;
  try {
    result = await run(program, ['--version'], { timeoutMs: 10_000 });
  } catch {
    return undefined;
  }
  if (result.signal && !result.timedOut) throw new ProbeKilledError(program, result.signal);
  return result.code === 0 ? parseVersionOutput(result.stdout) : undefined;
}

async function unique(dirs: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of dirs) {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      continue;
    }
    if (!seen.has(real)) {
      seen.add(real);
      out.push(dir);
    }
  }
  return out;
}

/**
 * Folders with initdb + postgres + pg_dump, highest major first (or only `binDir` when given).
 * Throws ProbeKilledError when a folder's `postgres --version` was killed and no other folder answered.
 */
export async function findServerBinaries(binDir?: string): Promise<PgBinDir[]> {
  const dirs = binDir ? [binDir] : await unique(await candidateBinDirs());
  const found: PgBinDir[] = [];
  let killed: ProbeKilledError | undefined;
  for (const dir of dirs) {
    const programs = ['initdb', 'postgres', 'pg_dump'].map((p) => path.join(dir, p));
    if (!(await Promise.all(programs.map(isExecutable))).every(Boolean)) continue;
    const version = await programVersion(path.join(dir, 'postgres')).catch((error: unknown) => {
      if (!(error instanceof ProbeKilledError)) throw error;
      killed ??= error;
      return undefined;
    });
    if (version) found.push({ dir, ...version });
  }
  // Programs that are there but could not be asked: "not found" would send the user to install them.
  if (!found.length && killed) throw killed;
  return binDir ? found : found.sort((a, b) => b.major - a.major);
}

export interface PgDumpProgram {
  path: string;
  major: number;
  version: string;
}

/** Every pg_dump we can find (PATH, distribution folders, `binDir`), highest major first. */
export async function findPgDumps(binDir?: string): Promise<PgDumpProgram[]> {
  const dirs = await unique([...(binDir ? [binDir] : []), ...(await candidateBinDirs())]);
  const found: PgDumpProgram[] = [];
  for (const dir of dirs) {
    const program = path.join(dir, 'pg_dump');
    if (!(await isExecutable(program))) continue;
    const version = await programVersion(program);
    if (version) found.push({ path: program, ...version });
  }
  return found.sort((a, b) => b.major - a.major);
}
