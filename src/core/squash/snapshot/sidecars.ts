import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileEdit, SquashPlan } from '../types';

/** The .sql file that sits next to a revision file written with `--snapshot-format sql`. */
export function sidecarOf(revisionPath: string): string {
  return revisionPath.replace(/\.py$/, '.sql');
}

/**
 * The edits for .sql files: the new one (when the revision has one), and the ones next to replaced
 * revisions, deleted or archived with them — or rewritten in place when the new file takes the same name.
 */
export function withSidecars(edits: FileEdit[], plan: SquashPlan, fileName: string, sidecar: string | undefined, archiveDir: string | undefined): FileEdit[] {
  const out = [...edits];
  const newSidecar = path.resolve(plan.directory, sidecarOf(fileName));
  let placed = !sidecar;
  for (const m of plan.members) {
    const old = path.resolve(sidecarOf(m.path));
    if (old === path.resolve(m.path) || !fs.existsSync(old)) continue;
    const text = fs.readFileSync(old, 'utf8');
    const archived = archiveDir ? path.resolve(path.dirname(old), archiveDir, path.basename(old)) : undefined;
    if (old === newSidecar && sidecar !== undefined) {
      out.push({ kind: 'modify', path: old, expectedText: text, changes: [{ range: { start: 0, end: text.length }, newText: sidecar }] });
      if (archived) out.push({ kind: 'create', path: archived, text });
      placed = true;
    } else if (archived) out.push({ kind: 'move', from: old, to: archived, expectedText: text });
    else out.push({ kind: 'delete', path: old, expectedText: text });
  }
  if (!placed) out.unshift({ kind: 'create', path: newSidecar, text: sidecar! });
  return out;
}
