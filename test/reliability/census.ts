import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What runs of the tool left on this machine: cluster folders whose owner is gone, postgres servers
 * running from our folders, versions copies, shared-memory segments, made after `since`.
 */
export interface Census {
  clusters: string[];
  servers: number[];
  versionCopies: string[];
  shm: string[];
}

const BASES = [...new Set(['/dev/shm', os.tmpdir(), '/tmp'])];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function entries(base: string, prefix: string, since: number): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(base).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  return names
    .map((n) => path.join(base, n))
    .filter((p) => {
      try {
        return fs.statSync(p).birthtimeMs >= since || fs.statSync(p).ctimeMs >= since;
      } catch {
        return false;
      }
    });
}

/** Cluster folders made by one of `pids` whose owner is gone (a live owner is a run in progress, not a leak). */
function deadClusters(bases: string[], since: number, pids: Set<number>): string[] {
  return bases.flatMap((b) => entries(b, 'alembic-squash-pg-', since)).filter((folder) => {
    try {
      const owner = JSON.parse(fs.readFileSync(path.join(folder, 'owner.json'), 'utf8')) as { pid: number };
      return pids.has(owner.pid) && !isAlive(owner.pid);
    } catch {
      return false;
    }
  });
}

/** postgres processes whose command line names one of our cluster folders, and whose owner is gone. */
function orphanServers(clusters: string[]): number[] {
  if (!clusters.length) return [];
  let out = '';
  try {
    out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /\bpostgres\b/.test(l) && clusters.some((c) => l.includes(c)))
    .map((l) => Number(l.split(/\s+/)[0]));
}

/**
 * Shared-memory segments no live process maps: a server that was killed left them. (Other servers on
 * the machine keep theirs mapped, so they are not counted.)
 */
function unmapped(segments: string[]): string[] {
  if (!segments.length) return [];
  const mapped = new Set<string>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const line of fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
        const i = line.indexOf('/dev/shm/PostgreSQL.');
        if (i >= 0) mapped.add(line.slice(i).split(' ')[0]!);
      }
    } catch {
      // gone or not readable
    }
  }
  return segments.filter((s) => !mapped.has(s) && fs.existsSync(s));
}

/**
 * The campaign gives its runs their own temp folder (TMPDIR), so versions copies there are surely
 * theirs; clusters (which may live in /dev/shm) are attributed by the pid in their owner.json. Shared
 * memory cannot be attributed: segments nobody maps any more are counted (on a busy machine a
 * neighbour's crash may add to them).
 */
export function census(since: number, tmp: string, pids: Set<number>): Census {
  const clusters = deadClusters([...BASES, tmp], since, pids);
  const copies = entries(tmp, 'alembic-squash-versions-', since);
  const shm = unmapped(entries('/dev/shm', 'PostgreSQL.', since));
  return { clusters, servers: orphanServers(clusters), versionCopies: copies, shm };
}

/**
 * What our runs surely left. Shared-memory segments are not among them: our clusters keep theirs in
 * the data folder (dynamic_shared_memory_type=mmap), so a segment in /dev/shm is another server's.
 */
export function leakCount(c: Census): number {
  return c.clusters.length + c.servers.length + c.versionCopies.length;
}

export function describeLeaks(c: Census): string[] {
  return [
    ...c.clusters.map((x) => `cluster folder ${x}`),
    ...c.servers.map((x) => `postgres server pid ${x}`),
    ...c.versionCopies.map((x) => `versions copy ${x}`),
  ];
}
