import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { ScriptDirectory } from '../../../src/core/scripts';
import type { FileEdit, SourceFile } from '../../../src/core/squash';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');

/** A fixture read as the extension reads it: header-only graph, full parse on demand. */
export async function load(name: string): Promise<{ scripts: ScriptDirectory; files: Map<string, SourceFile> }> {
  const scripts = await ScriptDirectory.load(loadProject(path.join(FIXTURES, name)));
  const files = new Map<string, SourceFile>();
  for (const f of scripts.revisionFiles) {
    const full = scripts.fullFile(f.path)!;
    files.set(full.path, { text: full.text, file: full.migration });
  }
  return { scripts, files };
}

/** Applies FileEdits to an in-memory disk (path → text), as the editor would. */
export function applyToDisk(disk: Map<string, string>, edits: readonly FileEdit[]): void {
  for (const e of edits) {
    switch (e.kind) {
      case 'create':
        disk.set(e.path, e.text);
        break;
      case 'delete':
        disk.delete(e.path);
        break;
      case 'move':
        disk.set(e.to, disk.get(e.from)!);
        disk.delete(e.from);
        break;
      case 'modify': {
        let text = disk.get(e.path)!;
        for (const c of [...e.changes].sort((a, b) => b.range.start - a.range.start)) text = text.slice(0, c.range.start) + c.newText + text.slice(c.range.end);
        disk.set(e.path, text);
        break;
      }
    }
  }
}
