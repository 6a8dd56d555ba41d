import { readdir, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { clusterTempBases } from './local';
import { sweepDockerContainers } from './docker';
import { OWNER_FILE, TEMP_PREFIX } from './names';
import { isAlive, stopPid } from './process';

/** A folder without owner.json may be one being created right now; only old ones are removed. */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

export interface SweepOptions {
  /** Folders to look in; default the temp folder and /tmp. */
  tempDirs?: string[];
  /** Also look for docker containers with our label (default true). */
  docker?: boolean;
}

async function ownerPid(folder: string): Promise<number | undefined> {
  try {
    const owner = JSON.parse(await readFile(path.join(folder, OWNER_FILE), 'utf8')) as { pid?: unknown };
    return typeof owner.pid === 'number' ? owner.pid : undefined;
  } catch {
    return undefined;
  }
}

/** The postmaster of a leftover cluster, if it still runs from that folder (pids get reused). */
async function leftoverPostmaster(folder: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path.join(folder, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    if (!isAlive(pid)) return undefined;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
    // Without /proc (macOS) trust postmaster.pid: its pid is live and the folder is ours.
    return cmdline === undefined || cmdline.includes(folder) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes what crashed earlier runs left behind: temp folders with our prefix whose owning process is
 * gone (stopping a server still running from one), and docker containers with our label whose owning
 * pid is dead. Returns what was removed.
 */
export async function sweepStale(options: SweepOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  const bases = [...new Set((options.tempDirs ?? clusterTempBases()).map((d) => path.resolve(d)))];
  for (const base of bases) {
    let names: string[];
    try {
      names = (await readdir(base)).filter((n) => n.startsWith(TEMP_PREFIX));
    } catch {
      continue;
    }
    for (const name of names) {
      const folder = path.join(base, name);
      const pid = await ownerPid(folder);
      if (pid !== undefined && isAlive(pid)) continue;
      if (pid === undefined) {
        const info = await stat(folder).catch(() => undefined);
        if (!info?.isDirectory() || Date.now() - info.mtimeMs < ORPHAN_AGE_MS) continue;
      }
      const postmaster = await leftoverPostmaster(folder);
      if (postmaster !== undefined) await stopPid(postmaster);
      await rm(folder, { recursive: true, force: true });
      removed.push(folder);
    }
  }
  if (options.docker !== false) removed.push(...(await sweepDockerContainers(isAlive)));
  return removed;
}
