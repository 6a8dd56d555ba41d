import { readdir, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFolder } from '../common/cache';
import { OWNER_FILE } from './names';
import { isAlive } from './process';
import { sweepStale } from './sweep';
import { sweepUrlDatabases } from './url';

/** Prefix of the versions copies verify makes in the temp folder (src/core/alembic/versionCopy.ts). */
export const VERSIONS_COPY_PREFIX = 'alembic-squash-versions-';
/** A copy without an owner.json is removed only when nothing touched it for this long. */
const COPY_AGE_MS = 60 * 60 * 1000;

export interface CleanupReport {
  removed: string[];
  /** What is still there, why, and how to remove it by hand. */
  left: { what: string; why: string; remove: string }[];
}

export interface CleanupOptions {
  /** Also drop throwaway databases of dead runs on this server. */
  databaseUrl?: string;
  tempDirs?: string[];
  docker?: boolean;
}

/**
 * Sweeps what killed runs left, everywhere the tool creates things: local clusters (stopping a
 * postmaster still running from one) and docker containers (sweepStale), versions copies in the temp
 * folder, half-written cache files, and, given a URL, the throwaway databases on that server.
 * Containers' volumes belong to the docker back end's sweep (called through sweepStale).
 */
export async function cleanupLeftovers(options: CleanupOptions = {}): Promise<CleanupReport> {
  const report: CleanupReport = { removed: [], left: [] };
  report.removed.push(...(await sweepStale({ tempDirs: options.tempDirs, docker: options.docker })));
  report.removed.push(...(await sweepVersionsCopies(options.tempDirs ?? [os.tmpdir()])));
  report.removed.push(...(await sweepCacheTemps(cacheFolder())));
  if (options.databaseUrl) {
    try {
      const swept = await sweepUrlDatabases(options.databaseUrl);
      report.removed.push(...swept.dropped.map((d) => `database ${d} on ${swept.server}`));
      for (const l of swept.left) report.left.push({ what: `database ${l.name} on ${swept.server}`, why: l.why, remove: `DROP DATABASE "${l.name}";` });
    } catch (error) {
      report.left.push({
        what: 'throwaway databases on the given server (not checked)',
        why: (error as Error).message,
        remove: 'run `alembic-squash cleanup --database-url URL` again when the server answers',
      });
    }
  }
  return report;
}

async function ownerPid(folder: string): Promise<number | undefined> {
  try {
    const owner = JSON.parse(await readFile(path.join(folder, OWNER_FILE), 'utf8')) as { pid?: unknown };
    return typeof owner.pid === 'number' ? owner.pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Versions copies whose owner is gone: by the pid in the folder's name (or an owner.json), else, for
 * copies of older versions, when nothing in it changed for an hour.
 */
export async function sweepVersionsCopies(tempDirs: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const base of new Set(tempDirs.map((d) => path.resolve(d)))) {
    const names = await readdir(base).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(VERSIONS_COPY_PREFIX))) {
      const folder = path.join(base, name);
      const pid = pidInName(name) ?? (await ownerPid(folder));
      if (pid !== undefined ? isAlive(pid) : !(await olderThan(folder, COPY_AGE_MS))) continue;
      await rm(folder, { recursive: true, force: true });
      removed.push(folder);
    }
  }
  return removed;
}

/** `alembic-squash-versions-<pid>-XXXXXX`: the owner is in the name. */
function pidInName(name: string): number | undefined {
  const m = /^alembic-squash-versions-(\d+)-/.exec(name);
  return m ? Number(m[1]) : undefined;
}

async function olderThan(folder: string, ms: number): Promise<boolean> {
  const info = await stat(folder).catch(() => undefined);
  return !!info?.isDirectory() && Date.now() - info.mtimeMs > ms;
}

/** `<file>.<pid>[.<time>].tmp` files of cache writers that died mid-write. */
export async function sweepCacheTemps(folder: string): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of [folder, path.join(folder, 'headers')]) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const m = /\.(\d+)(?:\.\d+)?\.tmp$/.exec(name);
      if (!m || isAlive(Number(m[1]))) continue;
      await rm(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}
