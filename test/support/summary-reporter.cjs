// Mocha's spec output plus a plain closing line ("unit: N passed, N failed, N skipped")
// that CI can read, and an optional JSON line appended to $TEST_STATS_FILE for the grand total.
const Mocha = require('mocha');
const { appendFileSync } = require('node:fs');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const label = (options.reporterOptions && options.reporterOptions.label) || 'tests';
    runner.once('end', () => {
      const s = runner.stats || {};
      const passed = s.passes || 0, failed = s.failures || 0, skipped = s.pending || 0;
      console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
      if (process.env.TEST_STATS_FILE) {
        appendFileSync(process.env.TEST_STATS_FILE, JSON.stringify({ label, passed, failed, skipped }) + '\n');
      }
    });
  }
}
module.exports = SummaryReporter;
