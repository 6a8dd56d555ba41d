// Runs the extension-host suites in a real VS Code (code-server) through @vscode/test-electron.
// Builds nothing: `npm run build` first. Usage: node --import tsx test/extension/run.ts [suite...]
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ENABLE_WORKSPACE_TRUST } from './launcher';

const root = resolve(__dirname, '../..');
const distTests = join(root, 'dist/test/extension');
const launcher = join(__dirname, 'launcher/code-server-launcher');

export interface ExtensionSuite {
  readonly name: string;
  /** One word: the reporter's closing line "LABEL: N passed, N failed, N skipped". */
  readonly label: string;
  readonly trusted: boolean;
  /** Folder under test/fixtures copied to a temp folder and opened; none → an empty folder. */
  readonly fixture?: string;
  /** Prefixes of test files (relative to dist/test/extension/) this suite runs; empty → all. */
  readonly include: string[];
  readonly exclude: string[];
}

/** Tests under test/extension/untrusted/ need a workspace that is not trusted; all others a trusted one. */
export const SUITES: ExtensionSuite[] = [
  { name: 'trusted', label: 'extension', trusted: true, fixture: 'linear', include: [], exclude: ['untrusted/', 'suite/'] },
  { name: 'untrusted', label: 'extensionUntrusted', trusted: false, fixture: 'linear', include: ['untrusted/'], exclude: [] },
];

function compiledTests(suite: ExtensionSuite): string[] {
  if (!existsSync(distTests)) return [];
  return readdirSync(distTests, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => suite.include.length === 0 || suite.include.some((p) => f.startsWith(p)))
    .filter((f) => !suite.exclude.some((p) => f.startsWith(p)));
}

async function runSuite(suite: ExtensionSuite): Promise<number> {
  const workspace = mkdtempSync(join(tmpdir(), `alembic-squash-ws-${suite.name}-`));
  const fixture = suite.fixture && join(root, 'test/fixtures', suite.fixture);
  if (fixture && existsSync(fixture)) cpSync(fixture, workspace, { recursive: true });
  else if (fixture) console.log(`[${suite.name}] fixture ${suite.fixture} not found; opening an empty folder`);
  const started = Date.now();
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(distTests, 'suite/index.js'),
      launchArgs: [workspace, ...(suite.trusted ? [] : [ENABLE_WORKSPACE_TRUST])],
      // The launcher makes fresh profile folders of its own.
      reuseMachineInstall: true,
      extensionTestsEnv: {
        ALEMBIC_SQUASH_REPO_ROOT: root,
        ALEMBIC_SQUASH_FIXTURES: join(root, 'test/fixtures'),
        ALEMBIC_SQUASH_WORKSPACE: workspace,
        ALEMBIC_SQUASH_TEST_SUITE: suite.name,
        ALEMBIC_SQUASH_TEST_LABEL: suite.label,
        ALEMBIC_SQUASH_TEST_INCLUDE: suite.include.join(','),
        ALEMBIC_SQUASH_TEST_EXCLUDE: suite.exclude.join(','),
      },
    });
    return 0;
  } catch (err) {
    // runTests rejects with TestRunFailedError carrying the launcher's exit code.
    const code = (err as { code?: number }).code;
    return typeof code === 'number' && code !== 0 ? code : 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    console.log(`[${suite.name}] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function main(names: string[]): Promise<number> {
  if (!existsSync(join(distTests, 'suite/index.js'))) {
    console.error(`${distTests}/suite/index.js is missing: run \`npm run build\` first`);
    return 2;
  }
  const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  let worst = 0;
  let ran = 0;
  for (const suite of SUITES.filter((s) => names.length === 0 || names.includes(s.name))) {
    if (compiledTests(suite).length === 0) {
      console.log(`[${suite.name}] no compiled tests; skipped`);
      continue;
    }
    ran++;
    const code = await runSuite(suite);
    if (code !== 0) console.error(`[${suite.name}] failed with exit code ${code}`);
    worst ||= code;
  }
  if (ran === 0) {
    console.error('no extension suite ran');
    return 1;
  }
  return worst;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
