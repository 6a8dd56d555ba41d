import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject, type ProjectConfig } from '../../../src/core/project';
import { ScriptDirectory } from '../../../src/core/scripts';
import type { SourceFile } from '../../../src/core/squash';
import type { RevisionMap } from '../../../src/core/graph';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');
export const PYTHON = '/usr/bin/python3';

export interface LoadedProject {
  root: string;
  project: ProjectConfig;
  scripts: ScriptDirectory;
  map: RevisionMap;
  files: Map<string, SourceFile>;
}

/** A fixture (or a copy of one) read as the extension reads it: config, files fully parsed, graph. */
export async function loadFixture(root: string): Promise<LoadedProject> {
  const project = loadProject(root);
  const scripts = await ScriptDirectory.load(project, { full: true });
  const files = new Map<string, SourceFile>();
  for (const f of scripts.revisionFiles) files.set(f.path, { text: f.text, file: f.migration });
  return { root, project, scripts, map: scripts.map, files };
}

/** A throwaway copy of a fixture, removed by the returned cleanup. */
export function copyFixture(name: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `alembic-squash-${name.replace(/\W/g, '-')}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** sha256 of every file under `dir`, by relative path. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = require('node:crypto').createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Revision id → its message, for readable assertions. */
export function revs(loaded: LoadedProject): string[] {
  return loaded.map.revisions.map((r) => r.revision);
}
