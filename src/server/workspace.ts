import * as fs from 'node:fs';
import * as path from 'node:path';
import { findProjects, versionLocationOf, type ProjectConfig } from '../core/project';
import { HeaderCache, readText, ScriptDirectory, type ScriptFile } from '../core/scripts';
import type { BackgroundParser } from './backgroundParser';

/** One Alembic project the server keeps current: its configuration and its files' graph. */
export interface ProjectState {
  project: ProjectConfig;
  scripts: ScriptDirectory;
  /** The workspace folder it was found in. */
  folder: string;
}

/** Where a file sits: its project and its parsed contents. */
export interface FileContext {
  state: ProjectState;
  file: ScriptFile;
}

const CONFIG_NAMES = new Set(['alembic.ini', 'pyproject.toml']);
/**
 * Without a background parser, open buffers larger than this get the header parse only (the graph
 * stays right; syntax errors below the header are not shown): a whole-file parse of a multi-megabyte
 * buffer on every edit would hold up the requests of every other document.
 */
export const FULL_PARSE_LIMIT = 1_000_000;
/**
 * Buffers from this size on (some 70 ms of parsing and more) get their full parse on the background
 * parser's worker thread; in the meantime their header parse keeps the graph current.
 */
export const BACKGROUND_PARSE_MIN = 100_000;

export interface WorkspaceOptions {
  /** Parses large buffers off this thread (see BACKGROUND_PARSE_MIN); without it they are parsed here. */
  background?: BackgroundParser;
}

/**
 * The projects of the workspace folders and the open buffers, which win over the disk. Every
 * mutation returns the projects it touched, so diagnostics are recomputed only there.
 */
export class Workspace {
  private readonly folders = new Map<string, ProjectState[]>();
  /** Open editor buffers by path. */
  private readonly buffers = new Map<string, string>();
  /** Edits not parsed yet, newest text per file: a newer edit replaces (cancels) the older one. */
  private readonly pending = new Map<string, string>();
  /** Full parses under way on the background parser, by file (the newest text's). */
  private readonly parsing = new Map<string, Promise<void>>();
  /**
   * Told when an edit was parsed outside a notification (on demand for a request, or on the worker),
   * so its diagnostics still get published.
   */
  onFlushed: (touched: ProjectState[]) => void = () => undefined;

  /** Config files an orphan buffer already made us look for (each is looked for once). */
  private readonly orphanChecked = new Set<string>();

  constructor(private readonly options: WorkspaceOptions = {}) {}

  get projects(): ProjectState[] {
    return [...this.folders.values()].flat();
  }

  /** (Re)discovers the projects below `folder`; open buffers are kept as overlays. */
  async loadFolder(folder: string): Promise<ProjectState[]> {
    const projects = await findProjects(folder).catch(() => [] as ProjectConfig[]);
    const states = await Promise.all(
      projects.map(async (project) => {
        const scripts = await ScriptDirectory.load(project, { overlays: this.buffers, cache: HeaderCache.forProject(project, 'server') });
        const state: ProjectState = { project, scripts, folder };
        for (const [p, text] of this.buffers) if (scripts.file(p) && !this.goesToBackground(text)) scripts.fullFile(p);
        return state;
      }),
    );
    const previous = this.folders.get(folder) ?? [];
    this.folders.set(folder, states);
    for (const [file, text] of this.buffers) if (this.goesToBackground(text)) this.parseInBackground(file, text);
    // A buffer opened while the folder was loading found no project then: bring it in now.
    for (const [file, text] of this.buffers) {
      for (const state of states) {
        if (versionLocationOf(state.project, file) === undefined || state.scripts.file(file)) continue;
        state.scripts.update(file, text);
        if (!this.goesToBackground(text)) state.scripts.fullFile(file);
      }
    }
    return [...previous, ...states];
  }

  /**
   * A buffer of no known project, opened below a config file the last discovery did not see (a folder
   * copied in whose file events the watcher coalesced into the folder's own): discover its workspace
   * folder again, once per such config file.
   */
  async adoptOrphan(file: string): Promise<ProjectState[]> {
    if (!file.endsWith('.py') || this.projectsOf(file).length) return [];
    const folder = this.workspaceFolders.find((f) => isInside(file, f));
    if (!folder) return [];
    const known = new Set(this.projects.map((s) => s.project.configPath).filter((c): c is string => !!c));
    let unseen = false;
    for (let dir = path.dirname(file); isInside(dir, folder) || dir === folder; dir = path.dirname(dir)) {
      for (const name of CONFIG_NAMES) {
        const config = path.join(dir, name);
        if (known.has(config) || this.orphanChecked.has(config) || !fs.existsSync(config)) continue;
        this.orphanChecked.add(config);
        unseen = true;
      }
      if (dir === folder || path.dirname(dir) === dir) break;
    }
    return unseen ? this.loadFolder(folder) : [];
  }

  removeFolder(folder: string): ProjectState[] {
    const previous = this.folders.get(folder) ?? [];
    this.folders.delete(folder);
    return previous;
  }

  get workspaceFolders(): string[] {
    return [...this.folders.keys()];
  }

  /** The projects whose version locations hold `file`. */
  projectsOf(file: string): ProjectState[] {
    return this.projects.filter((s) => versionLocationOf(s.project, file) !== undefined);
  }

  /** The first project holding `file`, with the file fully parsed (bodies too), if it is a migration file. */
  context(file: string): FileContext | undefined {
    // A request on a document with an unparsed edit must see that edit.
    const touched = this.flush(file);
    if (touched.length) this.onFlushed(touched);
    for (const state of this.projectsOf(file)) {
      const parsed = state.scripts.fullFile(file);
      if (parsed) return { state, file: parsed };
    }
    return undefined;
  }

  /** Resolves once `file` has no edit waiting and no full parse under way (requests on it await this). */
  async settled(file: string): Promise<void> {
    const touched = this.flush(file);
    if (touched.length) this.onFlushed(touched);
    for (let parse = this.parsing.get(file); parse; parse = this.parsing.get(file)) await parse;
  }

  /** An edit of `file` is queued and not parsed yet. */
  isPending(file: string): boolean {
    return this.pending.has(file);
  }

  isOpen(file: string): boolean {
    return this.buffers.has(file);
  }

  /** An editor opened or changed `file`. */
  setBuffer(file: string, text: string): ProjectState[] {
    this.pending.delete(file);
    this.buffers.set(file, text);
    return this.applyBuffer(file, text);
  }

  /** Records an edit to parse later (flush); only the newest text of a file is ever parsed. */
  queueBuffer(file: string, text: string): void {
    this.pending.set(file, text);
  }

  /** Parses the queued edit of `file`, if any; the projects it touched. */
  flush(file: string): ProjectState[] {
    const text = this.pending.get(file);
    return text === undefined ? [] : this.setBuffer(file, text);
  }

  /** The editor closed `file`: the disk is the truth again. */
  closeBuffer(file: string): ProjectState[] {
    this.pending.delete(file);
    this.options.background?.cancel(file);
    this.parsing.delete(file);
    if (!this.buffers.delete(file)) return [];
    return this.apply(file, readText(file), false);
  }

  /** A watched file changed on disk. Config files reload their folder; open buffers keep winning. */
  async diskChanged(file: string): Promise<ProjectState[]> {
    if (CONFIG_NAMES.has(path.basename(file))) {
      const folders = this.workspaceFolders.filter((f) => isInside(file, f));
      const touched = await Promise.all(folders.map((f) => this.loadFolder(f)));
      return touched.flat();
    }
    if (!file.endsWith('.py')) return [];
    // An open buffer wins over the disk. Applied again, it also reaches a project that was loaded
    // before the file was on disk (a folder copied in while one of its files was already open).
    const buffer = this.buffers.get(file);
    return buffer !== undefined ? this.applyBuffer(file, buffer) : this.apply(file, readText(file), false);
  }

  private goesToBackground(text: string): boolean {
    return !!this.options.background && text.length >= BACKGROUND_PARSE_MIN;
  }

  /**
   * An open buffer's text: fully parsed here when small; when large, its header now (the graph) and
   * its full parse on the worker, published when it lands (nothing in between: diagnostics of the
   * body would blink off on every keystroke).
   */
  private applyBuffer(file: string, text: string): ProjectState[] {
    if (!this.goesToBackground(text)) return this.apply(file, text, text.length <= FULL_PARSE_LIMIT);
    this.apply(file, text, false);
    this.parseInBackground(file, text);
    return [];
  }

  private parseInBackground(file: string, text: string): void {
    const done: Promise<void> = this.options.background!.parse(file, text).then((migration) => {
      if (this.parsing.get(file) === done) this.parsing.delete(file);
      if (!migration || this.buffers.get(file) !== text) return;
      const touched = this.projectsOf(file).filter((s) => s.scripts.adoptFull(file, text, migration));
      if (touched.length) this.onFlushed(touched);
    });
    this.parsing.set(file, done);
  }

  private apply(file: string, text: string | undefined, full: boolean): ProjectState[] {
    const touched = this.projectsOf(file);
    for (const state of touched) {
      state.scripts.update(file, text);
      // Open files get the whole-file parse, so syntax errors below the header show too.
      if (full && text !== undefined) state.scripts.fullFile(file);
    }
    return touched;
  }
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
