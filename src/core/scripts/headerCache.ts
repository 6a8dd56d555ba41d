import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheFolder } from '../common/cache';
import type { Problem } from '../common/problem';
import type { HeaderName, HeaderValue, MigrationFile } from '../parse';
import type { ProjectConfig } from '../project';

/** Bump when the cached shape or the header parse changes meaning. */
const FORMAT = 2;

/** A header field as [kind, values, valueStart, valueEnd, ...itemStart/itemEnd pairs] (compact: thousands are read at once). */
type CompactField = [HeaderValue['kind'], string[], number, number, ...number[]];

interface Compact {
  revision?: string;
  down: string[];
  deps: string[];
  labels: string[];
  message: string;
  date?: string;
  problems?: Problem[];
  fields: Partial<Record<HeaderName, CompactField>>;
  isRevision: boolean;
}

interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  m: Compact;
}

interface CacheFile {
  format: number;
  /** Identifies the code that wrote it: a rebuilt tool never trusts an older tool's parse. */
  producer: string;
  entries: Record<string, Entry>;
}

/**
 * Header parses of one project's files, kept between runs in the user's cache folder and keyed by
 * size and modification times, so a CLI run on 5,000 unchanged revisions reads a stat per file
 * instead of parsing each. Never inside the project; a damaged file is ignored and rewritten.
 */
export class HeaderCache {
  private dirty = false;
  private readonly seen = new Set<string>();

  private constructor(
    readonly file: string,
    private readonly producer: string,
    private readonly entries: Record<string, Entry>,
  ) {}

  /**
   * The cache of one project for one tool (`cli`, `server`, `extension`): each bundle is its own
   * producer, so each keeps its own file instead of overwriting the others'. Off with ALEMBIC_SQUASH_NO_CACHE=1.
   */
  static forProject(project: ProjectConfig, tool: string): HeaderCache | undefined {
    if (process.env.ALEMBIC_SQUASH_NO_CACHE) return undefined;
    return HeaderCache.open([tool, project.configPath ?? project.here, project.section, ...project.versionLocations].join('\n'));
  }

  static open(projectKey: string, folder = cacheFolder()): HeaderCache {
    const name = createHash('sha256').update(projectKey).digest('hex').slice(0, 16);
    const file = path.join(folder, 'headers', `${name}.json`);
    const producer = producerId();
    let entries: Record<string, Entry> = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (parsed.format === FORMAT && parsed.producer === producer && parsed.entries) entries = parsed.entries;
    } catch {
      // missing or damaged: start empty
    }
    return new HeaderCache(file, producer, entries);
  }

  get(filePath: string, stat: fs.Stats): MigrationFile | undefined {
    this.seen.add(filePath);
    const e = this.entries[filePath];
    return e && e.size === stat.size && e.mtimeMs === stat.mtimeMs && e.ctimeMs === stat.ctimeMs ? expand(e.m) : undefined;
  }

  set(filePath: string, stat: fs.Stats, migration: MigrationFile): void {
    this.seen.add(filePath);
    this.entries[filePath] = { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, m: compact(migration) };
    this.dirty = true;
  }

  /** Writes the cache when anything changed, dropping files that are gone; failures are ignored (it is only a cache). */
  save(): void {
    for (const key of Object.keys(this.entries)) {
      if (!this.seen.has(key)) {
        delete this.entries[key];
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const data: CacheFile = { format: FORMAT, producer: this.producer, entries: this.entries };
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file);
      this.dirty = false;
      pruneStale(path.dirname(this.file));
    } catch {
      // a read-only home or a full disk must not fail a graph
    }
  }
}

/** Only what graph building and problem placement need; bodies, imports and references come from a full parse. */
function compact(m: MigrationFile): Compact {
  const fields: Compact['fields'] = {};
  for (const [name, a] of Object.entries(m.header) as [HeaderName, NonNullable<MigrationFile['header'][HeaderName]>][]) {
    const values = a.value.kind === 'string' ? [a.value.value] : a.value.kind === 'sequence' ? a.value.values : [];
    fields[name] = [a.value.kind, values, a.valueRange.start, a.valueRange.end, ...a.itemRanges.flatMap((r) => [r.start, r.end])];
  }
  return {
    revision: m.revision,
    down: m.downRevisions,
    deps: m.dependencies,
    labels: m.branchLabels,
    message: m.message,
    date: m.docstring?.createDate,
    problems: m.problems.length ? m.problems : undefined,
    fields,
    isRevision: m.isRevision,
  };
}

function expand(c: Compact): MigrationFile {
  const header: MigrationFile['header'] = {};
  for (const [name, f] of Object.entries(c.fields) as [HeaderName, CompactField][]) {
    const [kind, values, start, end, ...items] = f;
    const value: HeaderValue =
      kind === 'string' ? { kind, value: values[0] ?? '' } : kind === 'sequence' ? { kind, values, form: 'tuple' } : kind === 'none' ? { kind } : { kind, text: '' };
    const itemRanges = [];
    for (let i = 0; i + 1 < items.length; i += 2) itemRanges.push({ start: items[i]!, end: items[i + 1]! });
    header[name] = { name, value, range: { start, end }, valueRange: { start, end }, itemRanges };
  }
  return {
    isRevision: c.isRevision,
    revision: c.revision,
    downRevisions: c.down,
    dependencies: c.deps,
    branchLabels: c.labels,
    header,
    docstring: c.date !== undefined ? { range: { start: 0, end: 0 }, text: '', message: c.message, createDate: c.date } : undefined,
    message: c.message,
    imports: [],
    helpers: [],
    references: [],
    problems: c.problems ?? [],
  };
}

/** Projects not opened for a month (deleted checkouts, temp folders) leave their cache files behind: drop them. */
const STALE_MS = 30 * 24 * 3600 * 1000;
function pruneStale(folder: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(folder)) {
    const file = path.join(folder, name);
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
}

function producerId(): string {
  try {
    const st = fs.statSync(__filename);
    return `${__filename}:${st.size}:${st.mtimeMs}`;
  } catch {
    return __filename;
  }
}

