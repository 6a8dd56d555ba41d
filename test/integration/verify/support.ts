// Shared helpers of the verify integration tests: fixtures squashed in memory, generated files
// altered on purpose, and a census of what a verify may leave behind (processes, temp folders).
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject, type ProjectConfig } from '../../../src/core/project';
import { prepareSquash, type FileEdit, type PreparedSquash, type SquashOptions } from '../../../src/core/squash';
import type { VerifyOptions } from '../../../src/core/verify';

export const PYTHON = '/usr/bin/python3';
// core's findPython honours it; the python3 on PATH has no Alembic.
process.env.ALEMBIC_SQUASH_PYTHON = PYTHON;

export const FIXTURES = path.resolve(__dirname, '../../fixtures');

/**
 * A temp folder of this test process only (others run tests on the same machine at the same time):
 * what verify leaves behind is looked for here. Open to others: the postgres user must reach it.
 */
export const PRIVATE_TMP = mkdtempSync('/tmp/verify-tests-');
chmodSync(PRIVATE_TMP, 0o755);
process.env.TMPDIR = PRIVATE_TMP;
process.once('exit', () => rmSync(PRIVATE_TMP, { recursive: true, force: true }));

export interface Squashed {
  project: ProjectConfig;
  prepared: PreparedSquash;
  /** The text of the new revision file the squash would write. */
  created: string;
  /** Where the downgrade check goes: the range's single parent, or base. */
  parent: string;
}

export async function squashFixture(name: string, from: string, to: string, options?: SquashOptions): Promise<Squashed> {
  const project = loadProject(path.join(FIXTURES, name));
  const prepared = await prepareSquash({ project, from, to, python: PYTHON, options });
  const create = prepared.edits.find((e) => e.kind === 'create');
  if (!create || create.kind !== 'create') throw new Error(`squash of ${name} ${from}..${to} creates no file`);
  const parents = prepared.plan.downRevisions;
  if (parents.length > 1) throw new Error(`${name} ${from}..${to} has several parents`);
  return { project, prepared, created: create.text, parent: parents[0] ?? 'base' };
}

/** The same edits with the created file's text changed (to plant a bug in the squash). */
export function withCreatedText(edits: FileEdit[], change: (text: string) => string): FileEdit[] {
  return edits.map((e) => (e.kind === 'create' ? { ...e, text: change(e.text) } : e));
}

/** Replaces exactly one occurrence, so a test fails loudly when the generated file changes shape. */
export function replaceOnce(text: string, find: string, replacement: string): string {
  const at = text.indexOf(find);
  if (at < 0) throw new Error(`not in the generated file: ${find}`);
  if (text.indexOf(find, at + find.length) >= 0) throw new Error(`more than once in the generated file: ${find}`);
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

export function verifyOptions(s: Squashed, extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    project: s.project,
    python: PYTHON,
    provider: { provider: 'local' },
    candidate: { kind: 'edits', edits: s.prepared.edits },
    to: 'heads',
    downgradeTo: s.parent,
    ...extra,
  };
}

/**
 * Every live descendant of this process (pid → command line), minus tsx's esbuild service. The
 * subtrees of `known` pids are not entered: a server started before (e.g. a test cluster) forks
 * backends of its own that verify does not own.
 */
export function descendants(root = process.pid, known: ReadonlySet<number> = new Set()): Map<number, string> {
  const parentOf = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parentOf.set(Number(entry), Number(fields[1]));
      cmd.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
    } catch {
      /* exited meanwhile */
    }
  }
  const out = new Map<number, string>();
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) {
      if (parent !== pid || out.has(child)) continue;
      const line = cmd.get(child) ?? '';
      if (/@esbuild\/.*--service=/.test(line)) continue;
      out.set(child, line);
      if (!known.has(child)) walk(child);
    }
  };
  walk(root);
  return out;
}

/** `alembic-squash-*` folders in this process's temp folder, and those in /tmp that name this process as owner. */
export function tempFolders(): Set<string> {
  const found = new Set<string>();
  for (const base of new Set([os.tmpdir(), PRIVATE_TMP, '/tmp', '/dev/shm'])) {
    let names: string[] = [];
    try {
      names = readdirSync(base).filter((n) => n.startsWith('alembic-squash-'));
    } catch {
      continue;
    }
    for (const n of names) {
      const folder = path.join(base, n);
      if (base === PRIVATE_TMP || ownedByUs(folder)) found.add(folder);
    }
  }
  return found;
}

function ownedByUs(folder: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(folder, 'owner.json'), 'utf8')) as { pid?: number }).pid === process.pid;
  } catch {
    return false;
  }
}

export interface Census {
  processes: Map<number, string>;
  folders: Set<string>;
}

export function census(): Census {
  return { processes: descendants(), folders: tempFolders() };
}

/** What appeared since `before` and is still there: processes of ours and temp folders. */
export function leftSince(before: Census): { processes: string[]; folders: string[] } {
  const now = { processes: descendants(process.pid, new Set(before.processes.keys())), folders: tempFolders() };
  return {
    processes: [...now.processes].filter(([pid]) => !before.processes.has(pid)).map(([pid, c]) => `${pid} ${c}`),
    folders: [...now.folders].filter((f) => !before.folders.has(f)),
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
