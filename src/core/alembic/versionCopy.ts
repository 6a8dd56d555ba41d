import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export interface VersionLocationsCopy {
  /** The copies, in the order of the originals; pass them as `versionLocations` to runAlembic. */
  versionLocations: string[];
  root: string;
  /** Maps a path inside a copy back to the user's file (for messages such as MigrationFailedError.file). */
  toOriginal(copyPath: string): string;
  /** Maps a user's path into the copy. */
  toCopy(originalPath: string): string;
  dispose(): Promise<void>;
}

/**
 * Copies the version folders into a temp dir, keeping their layout relative to their common parent,
 * then applies `files` (absolute original path → new text, or null to delete). The originals are
 * never written.
 */
export async function copyVersionLocations(
  project: { versionLocations: string[] },
  files: Map<string, string | null> | Record<string, string | null> = {},
): Promise<VersionLocationsCopy> {
  const originals = project.versionLocations.map((p) => path.resolve(p));
  if (originals.length === 0) throw new Error('the project has no version locations to copy');
  const base = commonParent(originals);
  // The pid in the name tells the sweep of a later run whether the copy's owner is gone.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `alembic-squash-versions-${process.pid}-`));
  const toCopy = (original: string): string => {
    const rel = path.relative(base, path.resolve(original));
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${original} is outside the version locations`);
    return path.join(root, rel);
  };
  const toOriginal = (copyPath: string): string => {
    const rel = path.relative(root, path.resolve(copyPath));
    return rel.startsWith('..') || path.isAbsolute(rel) ? copyPath : path.join(base, rel);
  };
  const dispose = (): Promise<void> => fs.rm(root, { recursive: true, force: true });
  const entries = files instanceof Map ? [...files.entries()] : Object.entries(files);
  // Files the candidate deletes are not copied at all: a squash from base removes the whole history.
  const deleted = new Set(entries.filter(([, text]) => text === null).map(([original]) => path.resolve(original)));
  try {
    for (const original of originals) {
      await fs.cp(original, toCopy(original), {
        recursive: true,
        filter: (src) => path.basename(src) !== '__pycache__' && !deleted.has(src),
      });
    }
    for (const [original, text] of entries) {
      const target = toCopy(original);
      if (text === null) await fs.rm(target, { force: true });
      else {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, text, 'utf8');
      }
    }
  } catch (err) {
    await dispose();
    throw err;
  }
  return { versionLocations: originals.map(toCopy), root, toOriginal, toCopy, dispose };
}

function commonParent(paths: string[]): string {
  const split = paths.map((p) => path.dirname(p).split(path.sep));
  const first = split[0]!;
  let n = first.length;
  for (const parts of split.slice(1)) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(path.sep) || path.sep;
}
