import * as path from 'node:path';
import type { FileEdit } from '../../core/squash';

/**
 * The files as they were before `edits` were applied: what a copy of the version locations must be
 * given to hold the history the squash replaced. Independent of what is on disk now, so unticked
 * preview entries or later hand edits of the squashed file do not change the chain side.
 */
export function historyBefore(edits: readonly FileEdit[], versionLocations: readonly string[]): Map<string, string | null> {
  const files = new Map<string, string | null>();
  // Creates first: when the new file takes the name of a replaced one, the replaced text is what was there.
  const ordered = [...edits.filter((e) => e.kind === 'create'), ...edits.filter((e) => e.kind !== 'create')];
  for (const e of ordered) {
    if (e.kind === 'create') files.set(e.path, null);
    else if (e.kind === 'delete') files.set(e.path, e.expectedText);
    else if (e.kind === 'move') {
      files.set(e.from, e.expectedText);
      files.set(e.to, null);
    } else files.set(e.path, e.expectedText);
  }
  // An archive folder outside the version locations is not part of either history.
  const inside = (file: string) => versionLocations.some((l) => !path.relative(path.resolve(l), path.resolve(file)).startsWith('..'));
  return new Map([...files].filter(([file]) => inside(file)));
}

/** The new squashed file an edit list creates (the first create: the squash engine writes one). */
export function createdFile(edits: readonly FileEdit[]): string | undefined {
  for (const e of edits) if (e.kind === 'create') return e.path;
  return undefined;
}
