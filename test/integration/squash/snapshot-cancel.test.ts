// A snapshot cancelled in any phase (while its side A runs, is copied and downgraded alongside) ends as
// "cancelled" and leaves no server, driver, database folder or copied history behind.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { loadProject } from '../../../src/core/project';
import { snapshotSquash } from '../../../src/core/squash/snapshot';
import { VerifyCancelledError } from '../../../src/core/verify';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { assertNothingLeft } from '../postgres/leftovers';
import { copyFixture, PYTHON } from '../../unit/squash/support';

/** Copies of the history a proof made (verify's candidate folders) that are still there. */
function copiedHistories(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`alembic-squash-versions-${process.pid}-`));
}

describe('snapshot strategy: cancelled in any phase, nothing left', function () {
  this.timeout(120_000);
  before(function () {
    if (clusterUnavailableReason()) this.skip();
  });

  const moments = ['planning the squash', 'running the chain', 'reading the schema', 'rendering the snapshot revision', 'proving the snapshot'];
  for (const moment of moments) {
    it(`while ${moment}`, async () => {
      const copy = copyFixture('views-functions-triggers');
      const controller = new AbortController();
      const seen: string[] = [];
      try {
        const project = loadProject(copy.dir);
        await assert.rejects(
          snapshotSquash({
            project,
            python: PYTHON,
            from: 'base',
            to: 'head',
            provider: { provider: 'local' },
            signal: controller.signal,
            onProgress: (message) => {
              seen.push(message);
              if (message.startsWith(moment)) controller.abort();
            },
          }),
          (e: Error) => e instanceof VerifyCancelledError,
        );
        assert.ok(seen.some((m) => m.startsWith(moment)), `reached "${moment}": ${seen.join(' / ')}`);
        assertNothingLeft();
        assert.deepEqual(copiedHistories(), []);
      } finally {
        copy.cleanup();
      }
    });
  }
});
