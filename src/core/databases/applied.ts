/**
 * Squashes already written, found in the history itself: a squashed revision's docstring (written
 * by this tool) lists the revisions it replaced as `- <id>: <message>` after `Squashes N revisions:`.
 * That lets a database whose row names a replaced id be placed, and told what it needs.
 */
import { parseHeader } from '../parse';

export interface AppliedSquash {
  /** The squashed revision now in the history. */
  revision: string;
  /** The ids it replaced, oldest first; the last is the old tip. */
  replaced: string[];
}

/** Reads one docstring; undefined when it is not a squash's. */
export function appliedSquashOf(revision: string, docstring: string | undefined): AppliedSquash | undefined {
  if (!docstring) return undefined;
  const lines = docstring.split('\n');
  const start = lines.findIndex((l) => /^Squashes \d+ revisions?:\s*$/.test(l.trim()));
  if (start < 0) return undefined;
  const replaced: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^- ([^\s:]+):/.exec(line.trim());
    if (!m) break;
    replaced.push(m[1]!);
  }
  return replaced.length ? { revision, replaced } : undefined;
}

/** The files of a history, as ScriptDirectory gives them (header parses may come from a cache). */
interface HistoryFiles {
  revisionFiles: readonly { path: string; text: string; migration: { revision?: string; docstring?: { text: string } } }[];
}

/**
 * Every squash this tool wrote into the history. Cached header parses keep no docstring text:
 * those files are read (through `read`) and parsed again when they may be squashes.
 */
export function appliedSquashes(scripts: HistoryFiles, read: (file: { path: string; text: string }) => string | undefined = (f) => f.text): AppliedSquash[] {
  return scripts.revisionFiles.flatMap((f) => {
    if (!f.migration.revision) return [];
    if (f.migration.docstring?.text) {
      const a = appliedSquashOf(f.migration.revision, f.migration.docstring.text);
      return a ? [a] : [];
    }
    const text = read(f);
    if (!text?.includes('Squashes ')) return [];
    const docstring = parseHeader(text).docstring?.text;
    const a = appliedSquashOf(f.migration.revision, docstring);
    return a ? [a] : [];
  });
}
