import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clusterUnavailableReason } from '../support/pg-cluster';
import { failures, misleadingExits, report, runCampaign } from '../reliability/campaign';
import type { VerifyFaultKind } from '../reliability/verifyFaults';

/**
 * The reliability campaign, short and seeded (the long run writes bench/RELIABILITY.md): squashes
 * killed or interrupted at file-system steps, verifies faulted four ways (Ctrl-C, the CLI or its
 * server killed, a user's server restarted), mutated files through `check` and the language server.
 * Fails on any leak, crash, hang, differing answer, half-written versions folder, or an exit code
 * (and words) other than the contract's.
 */
describe('reliability campaign (short seeded run)', function () {
  this.timeout(300_000);

  it('squash, verify, check and the language server survive seeded faults and mutations', async function () {
    if (!fs.existsSync(path.resolve(__dirname, '../../dist/cli.js'))) this.skip(); // `npm run build` first
    // Verify faults need PostgreSQL binaries (the local back end); without them only the rest runs.
    const verifyKinds: VerifyFaultKind[] = ['sigint', 'sigkill-cli', 'sigkill-server', 'url-restart'];
    const verify = clusterUnavailableReason() ? 0 : verifyKinds.length;
    const result = await runCampaign({ seed: 20261130, squash: 6, verify, verifyKinds, fuzz: 60, cliFuzz: 1, lsp: 10 });
    const text = report(result, 'CI');
    assert.deepEqual(failures(result), [], text);
    assert.deepEqual(misleadingExits(result).map((v) => `${v.fault.kind}: exit ${v.exit}`), [], text);
    // The faults really hit: the squash write was stopped in the middle, the verifies were running.
    assert.ok(result.squash.filter((s) => s.fired).length >= 4, text);
    assert.ok(result.squash.some((s) => s.outcome === 'old') && result.squash.some((s) => s.outcome === 'new'), text);
    assert.equal(result.fuzz?.files, 60);
  });
});
