import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sweepStale, TEMP_PREFIX } from '../../../src/core/postgres';
import { skipWithoutPostgres } from '../../support/pg-cluster';
import { assertNothingLeft, isPidAlive } from './leftovers';

/** A pid that existed and has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function fakeLeftover(ownerPid: number): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  writeFileSync(path.join(folder, 'owner.json'), JSON.stringify({ pid: ownerPid }));
  writeFileSync(path.join(folder, 'postgres.log'), 'LOG:  database system is ready to accept connections\n');
  return folder;
}

describe('sweepStale (leftovers of crashed runs)', function () {
  this.timeout(120_000);
  after(assertNothingLeft);

  it('removes a folder whose owner is dead and keeps one whose owner is alive', async () => {
    const sleeper = spawn('sleep', ['60']);
    const stale = fakeLeftover(await deadPid());
    const live = fakeLeftover(sleeper.pid!);
    try {
      const removed = await sweepStale({ docker: false });
      assert.ok(removed.includes(stale), `not removed: ${stale} (${removed.join(', ')})`);
      assert.equal(existsSync(stale), false);
      assert.ok(!removed.includes(live));
      assert.equal(existsSync(live), true);
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(stale, { recursive: true, force: true });
      rmSync(live, { recursive: true, force: true });
    }
  });

  it('stops the server of a run that was killed and removes its cluster', async function () {
    skipWithoutPostgres(this);
    // A separate process starts a local cluster and is then killed without any chance to clean up.
    const program = [
      "const { startServer } = require(process.argv[1]);",
      "startServer({ provider: 'local' }).then(({ server }) => console.log(JSON.stringify({ folder: server.folder, pid: server.pid })));",
      'setInterval(() => undefined, 1000);',
    ].join('\n');
    const runner = spawn(process.execPath, ['--import', 'tsx', '-e', program, path.resolve(__dirname, '../../../src/core/postgres')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ folder: string; pid: number }>((resolve, reject) => {
      let out = '';
      runner.stdout!.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      runner.once('exit', (code) => reject(new Error(`runner exited early (${code}): ${out}`)));
    });
    runner.kill('SIGKILL');
    await new Promise((resolve) => runner.once('exit', resolve));
    assert.ok(isPidAlive(started.pid), 'the orphaned postmaster should still run before the sweep');
    assert.equal(JSON.parse(readFileSync(path.join(started.folder, 'owner.json'), 'utf8')).pid, runner.pid);

    const removed = await sweepStale({ docker: false });
    assert.ok(removed.includes(started.folder), removed.join(', '));
    assert.equal(existsSync(started.folder), false);
    assert.equal(isPidAlive(started.pid), false, 'postmaster of the killed run still running');
  });
});
