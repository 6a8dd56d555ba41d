import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chown, chmod, cp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { cacheFolder } from '../common/cache';
import type { PgBinDir } from './binaries';
import type { Account } from './osuser';

/**
 * A freshly initdb'd data dir kept in the user's cache, per PostgreSQL build: copying it is several
 * times faster than running initdb (≈ 0.9 s) for every throwaway cluster. It depends only on the
 * binaries and the initdb flags.
 */
const COMPLETE = '.alembic-squash-template';

/**
 * The flags every throwaway cluster is made with (besides -D and -U). 1 MB WAL segments instead of
 * 16 (PostgreSQL 11 and later): a fresh data dir holds one segment, and it is copied for every cluster.
 */
export function initdbFlags(bin: PgBinDir): string[] {
  return ['-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', ...(bin.major >= 11 ? ['--wal-segsize=1'] : [])];
}

export function templateDir(bin: PgBinDir): string {
  const key = createHash('sha256').update(`${bin.dir}\n${bin.version}\n${initdbFlags(bin).join(' ')}`).digest('hex').slice(0, 12);
  return path.join(cacheFolder(), `pg-${bin.major}-datadir-${key}`);
}

/** Copies the cached template into `dataDir` (owned by `runAs` when given); false when there is none. */
export async function copyTemplate(bin: PgBinDir, dataDir: string, runAs: Account | undefined): Promise<boolean> {
  const template = templateDir(bin);
  if (!(await exists(path.join(template, COMPLETE)))) return false;
  try {
    // The system's cp is ~20× faster than fs.cp on a thousand small files; fs.cp is the fallback.
    const copied = await run('cp', ['-a', template, dataDir]);
    if (!copied) await cp(template, dataDir, { recursive: true });
    await rm(path.join(dataDir, COMPLETE), { force: true });
    // PostgreSQL insists on a private data dir, owned by the user it runs as.
    await chmod(dataDir, 0o700);
    // `cp -a` run as root keeps the owner: a template owned by that user (made by it) needs no chown.
    if (runAs && !(copied && (await ownedBy(template, runAs))) && !(await run('chown', ['-R', `${runAs.uid}:${runAs.gid}`, dataDir]))) await chownTree(dataDir, runAs);
    return true;
  } catch {
    await rm(dataDir, { recursive: true, force: true });
    return false;
  }
}

/** Keeps a copy of a data dir initdb just made, for the next clusters; failures only cost speed. */
export async function saveTemplate(bin: PgBinDir, dataDir: string): Promise<void> {
  const template = templateDir(bin);
  const staging = `${template}.${process.pid}.tmp`;
  try {
    if (await exists(path.join(template, COMPLETE))) return;
    await rm(staging, { recursive: true, force: true });
    if (!(await run('cp', ['-a', dataDir, staging]))) await cp(dataDir, staging, { recursive: true });
    const made = `${bin.dir} ${bin.version}\n`;
    await writeFile(path.join(staging, COMPLETE), made);
    await rm(template, { recursive: true, force: true });
    await rename(staging, template);
    await removeOutdated(bin, template, made);
  } catch {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Templates of the same binaries made with other initdb flags (an older version of this tool) go. */
async function removeOutdated(bin: PgBinDir, current: string, made: string): Promise<void> {
  const folder = path.dirname(current);
  const prefix = `pg-${bin.major}-datadir-`;
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const other = path.join(folder, name);
    if (!name.startsWith(prefix) || name.includes('.') || other === current) continue;
    if ((await readFile(path.join(other, COMPLETE), 'utf8').catch(() => '')) === made) await rm(other, { recursive: true, force: true });
  }
}

async function ownedBy(dir: string, account: Account): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  return info?.uid === account.uid && info.gid === account.gid;
}

async function chownTree(dir: string, account: Account): Promise<void> {
  await chown(dir, account.uid, account.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, account);
    else await chown(p, account.uid, account.gid);
  }
}

/** True when the command ran and succeeded; false when it is missing or failed (the caller falls back). */
function run(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000 }, (error) => resolve(!error));
  });
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
