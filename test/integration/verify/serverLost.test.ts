import { strict as assert } from 'node:assert';
import { BackendLostError, verifySquash, type VerifyPhase } from '../../../src/core/verify';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { census, isAlive, leftSince, squashFixture, verifyOptions, type Squashed } from './support';

/**
 * The throwaway server killed (SIGKILL of the postmaster, as the OOM killer does) at the start of each
 * phase: the verify must say the server stopped and while doing what (exit 3 in the CLI), never blame
 * the migrations or report a result, and leave nothing behind.
 */
describe('verify when the throwaway server dies', function () {
  this.timeout(180_000);
  let linear: Squashed;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    linear = await squashFixture('linear', 'base', 'head');
  });

  const cases: { phase: VerifyPhase; during: RegExp }[] = [
    { phase: 'migrate-chain', during: /while upgrading the (original chain|squashed history)/ },
    { phase: 'capture', during: /while capturing both schemas/ },
    { phase: 'downgrade', during: /while downgrading both to base/ },
    { phase: 'cleanup', during: /while removing the throwaway databases and server/ },
  ];
  for (const { phase, during } of cases) {
    it(`at the start of ${phase}: "the throwaway PostgreSQL server stopped while …", nothing left`, async () => {
      const before = census();
      const log: string[] = [];
      const pid = () => Number(log.flatMap((l) => /postgres pid (\d+)/.exec(l)?.[1] ?? [])[0]);
      const ends: { phase: string; failed?: boolean; message?: string }[] = [];
      const options = verifyOptions(linear, {
        provider: { provider: 'local' },
        log: (l) => log.push(l),
        onEvent: (e) => {
          if (e.phase === phase && e.status === 'begin') process.kill(pid(), 'SIGKILL');
          if (e.status === 'end') ends.push({ phase: e.phase, failed: e.failed, message: e.message });
        },
      });
      await assert.rejects(verifySquash(options), (e: Error) => {
        assert.ok(e instanceof BackendLostError, `${e.name}: ${e.message}`);
        assert.match(e.message, /^the throwaway PostgreSQL server stopped while /);
        assert.match(e.message, during);
        return true;
      });
      // The dead server's databases went with its folder: cleanup has nothing to report as left.
      const cleanup = ends.find((e) => e.phase === 'cleanup');
      assert.equal(cleanup?.failed, undefined, cleanup?.message);
      assert.equal(isAlive(pid()), false);
      assert.deepEqual(leftSince(before), { processes: [], folders: [] });
    });
  }
});
