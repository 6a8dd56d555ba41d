import * as fs from 'node:fs';
import type { Problem, TextRange } from '../common/problem';
import { RevisionMap, type GraphProblem, type Revision } from '../graph';
import { invalidUtf8, parseHeader, parseMigration, type MigrationFile } from '../parse';
import { listMigrationFilesSync, type ProjectConfig } from '../project';
import type { HeaderCache } from './headerCache';
import { LineIndex } from './lines';

/** One file of a version location, as read from disk or from an editor buffer. */
export interface ScriptFile {
  path: string;
  text: string;
  migration: MigrationFile;
  /** True when `migration` came from the full parse (bodies, helpers, references). */
  full: boolean;
}

/** A problem placed in a file, with a 0-based line and column for people and editors. */
export interface LocatedProblem extends Problem {
  path: string;
  line: number;
  column: number;
  /** Graph problems only: the revision ids involved, for messages and quick fixes. */
  related?: string[];
  suggestions?: string[];
}

export interface LoadOptions {
  /** Parse whole files (bodies, helpers) rather than headers only. Default: headers only. */
  full?: boolean;
  /** Texts that win over the disk (unsaved editor buffers). */
  overlays?: ReadonlyMap<string, string>;
  /** Reuse header parses of unchanged files from earlier runs (header-only loads; the CLI uses it). */
  cache?: HeaderCache;
}

/**
 * The files of one project's version locations and the RevisionMap built from them — Alembic's
 * ScriptDirectory. The graph never reads files; this is the one place that does.
 */
export class ScriptDirectory {
  readonly map = new RevisionMap();
  private readonly byPath = new Map<string, ScriptFile>();
  /** Files whose header came from the header cache: their text, read lazily, may be newer than it. */
  private readonly fromCache = new Set<string>();

  private constructor(readonly project: ProjectConfig, private readonly fullParse: boolean) {}

  static async load(project: ProjectConfig, options: LoadOptions = {}): Promise<ScriptDirectory> {
    const dir = new ScriptDirectory(project, !!options.full);
    const cache = options.full ? undefined : options.cache;
    // Synchronous reads on purpose: for hundreds of small files they are ~10× faster than a promise each.
    for (const p of listMigrationFilesSync(project)) {
      const overlay = options.overlays?.get(p);
      if (overlay !== undefined) {
        dir.update(p, overlay);
        continue;
      }
      const stat = cache ? statOf(p) : undefined;
      const cached = stat && cache!.get(p, stat);
      if (cached) {
        dir.adopt(p, cached);
        continue;
      }
      const source = readSource(p);
      if (source === undefined) continue;
      const file = dir.update(p, source.text, source.problems);
      if (stat && file) cache!.set(p, stat, file.migration);
    }
    cache?.save();
    return dir;
  }

  /** Replaces one file's text (or removes the file with `undefined`); the map updates incrementally. */
  update(path: string, text: string | undefined, readProblems: Problem[] = []): ScriptFile | undefined {
    if (text === undefined) {
      this.fromCache.delete(path);
      this.byPath.delete(path);
      this.map.update(path, undefined);
      return undefined;
    }
    const previous = this.byPath.get(path);
    // An adopted file's text is read lazily, i.e. from the disk as it is NOW: it cannot tell whether
    // the header the graph holds came from this text, so it never short-cuts the update.
    if (previous && !this.fromCache.has(path) && previous.text === text && !readProblems.length) return previous;
    this.fromCache.delete(path);
    const migration = this.fullParse ? parseMigration(text) : parseHeader(text);
    if (readProblems.length) migration.problems = [...readProblems, ...migration.problems];
    const file: ScriptFile = { path, text, migration, full: this.fullParse };
    this.byPath.set(path, file);
    const revision = toRevision(path, migration);
    // An edit that leaves the header alone (most keystrokes) must not make the graph recompute anything.
    const current = this.currentRevision(path);
    this.map.update(path, current && sameRevision(current, revision) ? current : revision);
    return file;
  }

  private currentRevision(path: string): Revision | undefined {
    const file = this.byPath.get(path);
    const id = file?.migration.revision;
    return id === undefined ? undefined : this.map.claimants(id).find((e) => e.path === path)?.revision;
  }

  /** A file whose header parse came from the cache: its text is read only if someone asks for it. */
  /**
   * The text the graph was built from, or undefined when that is not known (a header from the cache):
   * callers comparing a new text with it must then update.
   */
  knownText(path: string): string | undefined {
    return this.fromCache.has(path) ? undefined : this.byPath.get(path)?.text;
  }

  private adopt(path: string, migration: MigrationFile): void {
    let text: string | undefined;
        const file: ScriptFile = {
      path,
      migration,
      full: false,
      get text() {
        return (text ??= readText(path) ?? '');
      },
    };
    this.fromCache.add(path);
    this.byPath.set(path, file);
    this.map.update(path, toRevision(path, migration));
  }

  /** The file at `path`, fully parsed (parsed again on first request when loaded header-only). */
  fullFile(path: string): ScriptFile | undefined {
    const file = this.byPath.get(path);
    if (!file || file.full) return file;
    const text = file.text;
    const full: ScriptFile = { path, text, migration: parseMigration(text), full: true };
    this.byPath.set(path, full);
    return full;
  }

  /**
   * Takes a full parse of `text` made elsewhere (a worker thread): kept only while the file still has
   * exactly that text. True when taken.
   */
  adoptFull(path: string, text: string, migration: MigrationFile): boolean {
    const file = this.byPath.get(path);
    if (!file || file.full || file.text !== text) return false;
    this.byPath.set(path, { path, text, migration, full: true });
    return true;
  }

  file(path: string): ScriptFile | undefined {
    return this.byPath.get(path);
  }

  /** Every file read, revision or not, in Alembic's order. */
  get allFiles(): ScriptFile[] {
    return [...this.byPath.values()];
  }

  /** Files that declare a revision. */
  get revisionFiles(): ScriptFile[] {
    return this.allFiles.filter((f) => f.migration.isRevision);
  }

  /** `.py` files in a version location that are not revisions (`__init__.py`, helper modules): listed, not errors. */
  get skippedFiles(): string[] {
    return this.allFiles.filter((f) => !f.migration.isRevision).map((f) => f.path);
  }

  /** The file that declares `id` (the first, when a duplicate id is claimed by several). */
  fileOf(id: string): ScriptFile | undefined {
    const [entry] = this.map.claimants(id);
    return entry?.path ? this.byPath.get(entry.path) : undefined;
  }

  /** Parse problems of every file and graph problems, each placed on the exact text it is about. */
  problems(): LocatedProblem[] {
    const out: LocatedProblem[] = [];
    for (const file of this.byPath.values()) {
      if (!file.migration.isRevision && file.migration.problems.length === 0) continue;
      for (const p of file.migration.problems) out.push(locate(file, p, p.range));
    }
    for (const p of this.map.graphProblems()) {
      const file = p.path ? this.byPath.get(p.path) : undefined;
      if (!file) continue;
      out.push({ ...locate(file, p, graphProblemRange(file.migration, p)), related: p.related, suggestions: p.suggestions });
    }
    return out.sort((a, b) => (a.path === b.path ? a.range.start - b.range.start : a.path < b.path ? -1 : 1));
  }
}

function sameRevision(a: Revision, b: Revision | undefined): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    !!b &&
    a.revision === b.revision &&
    a.path === b.path &&
    a.message === b.message &&
    a.createDate === b.createDate &&
    same(a.downRevisions, b.downRevisions) &&
    same(a.dependencies, b.dependencies) &&
    same(a.branchLabels, b.branchLabels)
  );
}

export function toRevision(path: string, m: MigrationFile): Revision | undefined {
  if (!m.isRevision || m.revision === undefined) return undefined;
  return {
    revision: m.revision,
    downRevisions: m.downRevisions,
    dependencies: m.dependencies,
    branchLabels: m.branchLabels,
    path,
    message: m.message,
    createDate: m.docstring?.createDate,
  };
}

/** Graph problems are about a header field and an id in it: point at that string literal. */
export function graphProblemRange(m: MigrationFile, p: GraphProblem): TextRange {
  const assignment = m.header[p.field];
  if (!assignment) return { start: 0, end: 0 };
  if (assignment.value.kind === 'string' && assignment.itemRanges[0]) return assignment.itemRanges[0];
  if (assignment.value.kind === 'sequence') {
    const i = assignment.value.values.indexOf(p.target);
    if (i >= 0 && assignment.itemRanges[i]) return assignment.itemRanges[i]!;
  }
  return assignment.valueRange;
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A file's text and the problems of reading it (bytes that are not UTF-8 are replaced, and said so),
 * or undefined when it cannot be read (gone, a folder, no permission).
 */
export function readSource(file: string): { text: string; problems: Problem[] } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    return { text: utf8.decode(bytes), problems: [] };
  } catch {
    const text = bytes.toString('utf8');
    const bad = firstInvalidUtf8(bytes);
    return { text, problems: [invalidUtf8(bad, Buffer.from(bytes.subarray(0, bad)).toString('utf8').length)] };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by bisection over the fatal decoder (linear in total, log n decodes).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (validPrefix(bytes, mid, true)) lo = mid;
    else hi = mid - 1;
  }
  // The prefix may end in the first bytes of a sequence that never completes: that is where it breaks.
  let start = lo;
  while (start > 0 && lo - start < 4 && !validPrefix(bytes, start, false)) start--;
  return start;
}

function validPrefix(bytes: Buffer, n: number, stream: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream });
    return true;
  } catch {
    return false;
  }
}

/** A file's text, or undefined when it cannot be read (gone, a folder, no permission). */
export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function locate(file: ScriptFile, p: Problem, range: TextRange): LocatedProblem {
  const { line, character } = new LineIndex(file.text).position(range.start);
  return { ...p, range, path: file.path, line, column: character };
}
