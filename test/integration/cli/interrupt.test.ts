import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { fixture, repoRoot, runCli } from '../../support/cli';

/**
 * Ctrl-C at the edges of a run, where no handler of the command is in place: before it installed one,
 * after the verify's last phase, right after a squash's write. Each must end with exit 130 and say
 * "cancelled" (never a silent death by the signal, never exit 0), leaving nothing behind.
 */
const env = { ALEMBIC_SQUASH_PYTHON: '/usr/bin/python3', PYTHONDONTWRITEBYTECODE: '1', NO_COLOR: '1', ALEMBIC_SQUASH_NO_CACHE: '1' };

describe('Ctrl-C at any moment ends as cancelled (exit 130)', function () {
  this.timeout(180_000);
  let tmp: string;
  let project: string;
  before(function () {
    if (clusterUnavailableReason()) this.skip();
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'interrupt-test-'));
    fs.chmodSync(tmp, 0o755);
    project = path.join(tmp, 'project');
    fs.cpSync(fixture('linear'), project, { recursive: true });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Runs the built CLI; `onStderr` may send the signal when a line appears. */
  function run(args: string[], options: { preload?: string; extraEnv?: NodeJS.ProcessEnv; onStderr?: (text: string, kill: () => void) => void } = {}) {
    const nodeArgs = options.preload ? ['-r', options.preload] : [];
    const child = spawn(process.execPath, [...nodeArgs, path.join(repoRoot, 'dist/cli.js'), ...args], {
      env: { ...process.env, ...env, TMPDIR: tmp, ...options.extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      options.onStderr?.(stderr, () => {
        if (!sent) child.kill('SIGINT');
        sent = true;
      });
    });
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
  }

  /** What a verify may leave in its TMPDIR: clusters, versions copies. */
  const leftovers = () => fs.readdirSync(tmp).filter((n) => n.startsWith('alembic-squash-'));

  it('verify: a Ctrl-C before the command has set up its own handling', async () => {
    const preload = path.join(tmp, 'interrupt-at-start.js');
    // Sent on the first turn of the event loop, while the project is still being read.
    fs.writeFileSync(preload, "setImmediate(() => process.kill(process.pid, 'SIGINT'));\n");
    const r = await run(['verify', project, '--from', 'base', '--to', 'head', '--provider', 'local'], { preload });
    assert.equal(r.signal, null, `died of ${r.signal} without a word: ${r.stderr}`);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /cancelled/);
    assert.deepEqual(leftovers(), []);
  });

  it('verify: a Ctrl-C after the last phase, while cleaning up', async () => {
    const r = await run(['verify', project, '--from', 'base', '--to', 'head', '--provider', 'local'], {
      onStderr: (text, kill) => /✓ downgrading both/.test(text) && kill(),
    });
    assert.match(r.stderr, /✓ downgrading both/, 'the verify reached its last phase');
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /cancelled/);
    assert.doesNotMatch(r.stdout, /equal/i, 'a cancelled verify gives no verdict');
    assert.deepEqual(leftovers(), []);
  });

  it('squash: a Ctrl-C right after the write returned: complete, said so, undoable', async () => {
    const versions = path.join(project, 'migrations/versions');
    const before = fs.readdirSync(versions).sort();
    const r = await run(['squash', project, '--from', 'base', '--to', 'head'], { extraEnv: { ALEMBIC_SQUASH_FAULT_AT: 'end:SIGINT' } });
    assert.equal(r.code, 130, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /cancelled \(SIGINT\): the squash had started writing and was completed .*--undo/);
    assert.equal(fs.readdirSync(versions).filter((f) => f.endsWith('.py')).length, 1, 'the squash is complete: one revision file');
    const undo = runCli(['squash', project, '--undo'], { env: { ...env, TMPDIR: tmp } });
    assert.equal(undo.status, 0, undo.stderr);
    assert.deepEqual(fs.readdirSync(versions).sort(), before);
  });
});
