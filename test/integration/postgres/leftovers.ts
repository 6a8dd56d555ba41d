import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEMP_PREFIX } from '../../../src/core/postgres';

/** Temp folders with our prefix whose owner.json names this test process. */
export function ourTempFolders(): string[] {
  const found: string[] = [];
  for (const base of new Set([os.tmpdir(), '/tmp', '/dev/shm'])) {
    let names: string[] = [];
    try {
      names = readdirSync(base).filter((n) => n.startsWith(TEMP_PREFIX));
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        const owner = JSON.parse(readFileSync(path.join(base, name, 'owner.json'), 'utf8')) as { pid?: number };
        if (owner.pid === process.pid) found.push(path.join(base, name));
      } catch {
        /* not ours or half-written */
      }
    }
  }
  return found;
}

/** tsx's long-lived esbuild service is the test runner's child, not one of ours. */
const RUNNER_CHILD = /\/@esbuild\/.*--service=/;

/** Live processes whose parent is this test process, with their command lines. */
export function ourChildProcesses(): string[] {
  const children: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command: state, ppid, ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || fields[0] === 'Z') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (!RUNNER_CHILD.test(cmdline)) children.push(`${entry} ${cmdline}`);
    } catch {
      /* exited meanwhile */
    }
  }
  return children;
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The after-hook of every test file: nothing we started may survive it. */
export function assertNothingLeft(): void {
  assert.deepEqual(ourChildProcesses(), [], 'child processes left running');
  assert.deepEqual(ourTempFolders(), [], 'temp folders left behind');
}
