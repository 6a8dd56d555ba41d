import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { isAlive } from './process';

/**
 * Who created a throwaway resource: written into what we create (a database's COMMENT, a folder's
 * owner.json) so that a later run can tell a leftover of a dead process from one in use.
 */
export interface Owner {
  pid: number;
  host: string;
  /** ISO time of creation. */
  created: string;
}

export function currentOwner(): Owner {
  return { pid: process.pid, host: os.hostname(), created: new Date().toISOString() };
}

/** Time the process `pid` started (ms since the epoch), from /proc; undefined where unknown. */
function startedAt(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(btime)) return undefined;
    return btime * 1000 + (ticks / 100) * 1000;
  } catch {
    return undefined;
  }
}

export type OwnerState = 'alive' | 'gone' | 'other-host';

/**
 * Whether the creator still runs. A live pid that started after the resource was created is another
 * process that got the same number: the creator is gone. Another machine's pids cannot be checked.
 */
export function ownerState(owner: Owner): OwnerState {
  if (owner.host !== os.hostname()) return 'other-host';
  if (!isAlive(owner.pid)) return 'gone';
  const started = startedAt(owner.pid);
  const created = Date.parse(owner.created);
  if (started !== undefined && Number.isFinite(created) && started > created + 2000) return 'gone';
  return 'alive';
}
