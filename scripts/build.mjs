// Bundles the three entries (extension, language server, CLI) and the extension
// tests into dist/, and copies the WebAssembly files the bundles load at run time.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, chmodSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // PGlite ships its own data files next to its module: keep it external and ship node_modules/@electric-sql.
  // tsx: named only on the language server's run-from-sources path (its parse worker under tests).
  external: ['vscode', '@electric-sql/pglite', '@electric-sql/pglite-socket', '@electric-sql/pglite-tools', 'pg-native', 'tsx'],
};

const entries = [
  { entryPoints: [join(root, 'src/extension/main.ts')], outfile: join(dist, 'extension.js') },
  { entryPoints: [join(root, 'src/server/main.ts')], outfile: join(dist, 'server.js') },
  // The language server's worker thread for full parses of large documents (loaded by file name).
  { entryPoints: [join(root, 'src/server/parseWorker.ts')], outfile: join(dist, 'parseWorker.js') },
  { entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(dist, 'cli.js'), banner: { js: '#!/usr/bin/env node' } },
].filter((e) => existsSync(e.entryPoints[0]));

// Extension-host tests are bundled too: the host loads plain CommonJS. The mocha runner
// (suite/*.ts) and every *.test.ts below test/extension/ become one file each under
// dist/test/extension/, same relative path; launcher/ and run.ts run in plain Node instead.
const extTests = join(root, 'test/extension');
if (existsSync(extTests)) {
  const files = readdirSync(extTests, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(sep).join('/'))
    .filter((f) => (f.startsWith('suite/') && f.endsWith('.ts')) || f.endsWith('.test.ts'))
    .filter((f) => !f.startsWith('launcher/'));
  if (files.length) {
    entries.push({
      entryPoints: files.map((f) => join(extTests, f)),
      outbase: extTests,
      outdir: join(dist, 'test/extension'),
      external: [...common.external, 'mocha'],
    });
  }
}

function copyWasm() {
  const wasm = require.resolve('libpg-query/wasm/libpg-query.wasm');
  copyFileSync(wasm, join(dist, 'libpg-query.wasm'));
  const cli = join(dist, 'cli.js');
  if (existsSync(cli)) chmodSync(cli, 0o755);
}

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
  copyWasm();
  console.log('watching…');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  copyWasm();
}
