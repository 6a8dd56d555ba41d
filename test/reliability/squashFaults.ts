import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashTree, sameTree } from './tree';

/**
 * Squash under faults: the CLI is stopped (SIGKILL or SIGINT, sent by itself through the
 * ALEMBIC_SQUASH_FAULT_AT hook) just before its N-th file-system step of the write. After each fault
 * the next command must find the project entirely old (killed: rolled back) or entirely new
 * (SIGINT: the write completed, exit 130), and `squash --undo` must restore it byte for byte.
 */
const repoRoot = path.resolve(__dirname, '../..');
const cli = path.join(repoRoot, 'dist/cli.js');
const PYTHON = process.env.ALEMBIC_SQUASH_PYTHON ?? '/usr/bin/python3';

export interface SquashFault {
  fixture: string;
  from: string;
  to: string;
  /** The N-th file-system step of the write, or 'end': right after the write returned. */
  step: number | 'end';
  signal: 'SIGKILL' | 'SIGINT' | 'SIGTERM';
  /** Also kill the undo at this step (then run it again). */
  undoStep?: number;
}

export interface SquashFaultResult {
  fault: SquashFault;
  /** The fault hook fired (false: the write has fewer steps than `step`). */
  fired: boolean;
  outcome: 'old' | 'new' | 'half';
  exit: number | string;
  recoveryMessage: string;
  undoRestored: boolean;
  problems: string[];
}

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, NO_COLOR: '1', ALEMBIC_SQUASH_PYTHON: PYTHON, ALEMBIC_SQUASH_NO_CACHE: '1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, timedOut: !!r.error };
}

export function copyProject(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-fault-'));
  fs.cpSync(path.join(repoRoot, 'test/fixtures', fixture), dir, { recursive: true });
  return dir;
}

const SKIP = ['.alembic-squash', '__pycache__'];

export function runSquashFault(fault: SquashFault): SquashFaultResult {
  const dir = copyProject(fault.fixture);
  const problems: string[] = [];
  try {
    const before = hashTree(dir, SKIP);
    const faulted = run(['squash', dir, '--from', fault.from, '--to', fault.to], { ALEMBIC_SQUASH_FAULT_AT: `${fault.step}:${fault.signal}` });
    if (faulted.timedOut) problems.push('squash hung');
    const fired = faulted.signal !== null || faulted.status === 130;
    const exit = faulted.signal ?? faulted.status ?? -1;
    if (faulted.signal === 'SIGINT' || faulted.signal === 'SIGTERM') problems.push(`squash died of ${faulted.signal} instead of finishing the write`);
    if (fault.step === 'end' && faulted.status !== 130) problems.push(`a ${fault.signal} right after the write ended with exit ${exit}, not 130`);
    if (fault.signal !== 'SIGKILL' && fired && !/cancelled/.test(faulted.stderr)) problems.push(`no "cancelled" message: ${faulted.stderr.trim()}`);
    // The next command (here `graph`) recovers what the fault left.
    const next = run(['graph', dir]);
    if (next.status !== 0) problems.push(`graph after the fault exited ${next.status}: ${next.stderr.trim()}`);
    const afterFault = hashTree(dir, SKIP);
    const undoEnv = fault.undoStep ? { ALEMBIC_SQUASH_FAULT_AT: `${fault.undoStep}:SIGKILL` } : {};
    let outcome: SquashFaultResult['outcome'] = 'half';
    if (sameTree(afterFault, before)) outcome = 'old';
    else {
      // Entirely new: one head, and --undo brings back the old tree.
      const graph = run(['graph', dir, '--json']);
      const heads = graph.status === 0 ? (JSON.parse(graph.stdout).graphs[0].heads as string[]) : [];
      if (heads.length === 1) outcome = 'new';
    }
    if (outcome === 'half') problems.push('the versions folder is half written');
    if (fault.signal === 'SIGKILL' && outcome === 'new' && faulted.signal === 'SIGKILL') problems.push('a squash killed mid-write was not rolled back');
    let undoRestored = true;
    if (outcome === 'new') {
      const u = run(['squash', dir, '--undo'], undoEnv);
      if (u.signal === 'SIGKILL') run(['squash', dir, '--undo']);
      else if (u.status !== 0) problems.push(`undo exited ${u.status}: ${u.stderr.trim()}`);
      undoRestored = sameTree(hashTree(dir, SKIP), before);
      if (!undoRestored) problems.push('undo did not restore the files byte for byte');
    } else {
      // Nothing to undo any more; --undo says so rather than failing obscurely.
      const u = run(['squash', dir, '--undo']);
      if (u.status !== 0 && !/No squash to undo/.test(u.stderr)) problems.push(`undo after rollback: exit ${u.status}: ${u.stderr.trim()}`);
    }
    if (fs.existsSync(path.join(dir, '.alembic-squash')) && fs.readdirSync(path.join(dir, '.alembic-squash')).some((f) => f.startsWith('journal-'))) {
      problems.push('a journal was left after undo');
    }
    const temps = Object.keys(hashTree(dir, SKIP)).filter((f) => f.endsWith('.tmp'));
    if (temps.length) problems.push(`temporary files left: ${temps.join(', ')}`);
    return { fault, fired, outcome, exit, recoveryMessage: next.stderr.trim(), undoRestored, problems };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
