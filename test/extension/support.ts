// What the extension-host tests share: the extension's API once it is ready, the workspace's files
// on disk, and waiting for the graph to reach a state.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { AlembicSquashApi } from '../../src/extension/main';

/** The test workspace (a copy of a fixture) and its project's paths. */
export const workspace = process.env.ALEMBIC_SQUASH_WORKSPACE!;
export const versions = path.join(workspace, 'migrations/versions');
export const configPath = path.join(workspace, 'alembic.ini');

/** The extension's API after activation and its first discovery. */
export async function api(): Promise<AlembicSquashApi> {
  const extension = vscode.extensions.getExtension<AlembicSquashApi>(`${manifest.publisher}.${manifest.name}`)!;
  const exports = await extension.activate();
  await exports.ready;
  return exports;
}

/** The revision files of `dir` (the workspace's versions folder by default): name → text. */
export function versionsOnDisk(dir = versions): Map<string, string> {
  return new Map(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.py'))
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** Resolves once the graph satisfies `test` (checked now and after every change). */
export function graphWhere(a: AlembicSquashApi, test: () => boolean): Promise<void> {
  if (test()) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = a.onDidChangeGraph(() => {
      if (!test()) return;
      sub.dispose();
      resolve();
    });
  });
}

/** The first project's revision ids, sorted and joined: equal strings mean the same revisions. */
export const ids = (a: AlembicSquashApi): string => a.projects()[0]!.revisions.map((r) => r.revision).sort().join();
