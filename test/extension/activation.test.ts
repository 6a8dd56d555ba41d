// Prints the activation figure (a measurement, not an assertion on time): loading the bundle + activate().
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { AlembicSquashApi } from '../../src/extension/main';

describe('activation figure', () => {
  it('reports how long loading the bundle and activate() take', async () => {
    const extension = vscode.extensions.getExtension<AlembicSquashApi>(`${manifest.publisher}.${manifest.name}`)!;
    const api = await extension.activate();
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(Number.isFinite(api.activationMs));

    // Loading the bundle again in this host (its first load is not observable from here): module
    // evaluation only, warm file cache, no activate() call.
    const bundle = path.join(extension.extensionPath, manifest.main);
    const loads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const resolved = require.resolve(bundle);
      delete require.cache[resolved];
      const started = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(resolved) as { activate?: unknown };
      loads.push(performance.now() - started);
      assert.equal(typeof loaded.activate, 'function');
    }
    loads.sort((a, b) => a - b);
    const median = loads[Math.floor(loads.length / 2)]!;
    console.log(`[activation] activate(): ${api.activationMs.toFixed(1)} ms; bundle load (median of 5 reloads): ${median.toFixed(1)} ms; total ≈ ${(api.activationMs + median).toFixed(1)} ms`);
  });
});
