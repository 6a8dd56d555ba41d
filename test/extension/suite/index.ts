// Mocha runner loaded by the extension host (`--extensionTestsPath`). It runs the bundled
// *.test.js files under dist/test/extension/ that the current suite selects (see run.ts).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Mocha from 'mocha';
// Straight from the module, not the folder's index: the host bundle must not pull in playwright.
import { HOST_OUTPUT_ENV, redirectConsole } from '../launcher/host-output';

/** dist/test/extension/: this bundle sits in its suite/ folder. */
const testsRoot = resolve(__dirname, '..');
const repoRoot = resolve(testsRoot, '../../..');

function prefixes(value: string | undefined): string[] {
  return (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** Test files relative to testsRoot, '/'-separated, sorted, filtered by the suite's prefixes. */
export function selectTestFiles(all: readonly string[], include: readonly string[], exclude: readonly string[]): string[] {
  return all
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => include.length === 0 || include.some((p) => f.startsWith(p)))
    .filter((f) => !exclude.some((p) => f.startsWith(p)))
    .sort();
}

export async function run(): Promise<void> {
  const env = process.env;
  // Before mocha loads: its reporters keep the console.log they find at load time.
  const restoreConsole = env[HOST_OUTPUT_ENV] ? redirectConsole(env[HOST_OUTPUT_ENV]) : () => undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MochaRunner: typeof Mocha = require('mocha');
  // The summary reporter closes with "extension: N passed, N failed, N skipped" for CI.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const reporter = require(join(repoRoot, 'test/support/summary-reporter.cjs'));
  const mocha = new MochaRunner({
    ui: 'bdd',
    color: false,
    reporter,
    reporterOptions: { label: env.ALEMBIC_SQUASH_TEST_LABEL ?? 'extension' },
    timeout: Number(env.ALEMBIC_SQUASH_TEST_TIMEOUT ?? 60_000),
    grep: env.ALEMBIC_SQUASH_TEST_GREP || undefined,
  });
  const all = readdirSync(testsRoot, { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/'));
  const files = selectTestFiles(all, prefixes(env.ALEMBIC_SQUASH_TEST_INCLUDE), prefixes(env.ALEMBIC_SQUASH_TEST_EXCLUDE));
  if (files.length === 0) throw new Error(`no extension test files selected under ${testsRoot}`);
  for (const f of files) mocha.addFile(join(testsRoot, f));

  const failures = await new Promise<number>((done) => mocha.run(done)).finally(restoreConsole);
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}
