import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findProjects, loadProject, versionLocationOf, type ProjectConfig } from '../../core/project';
import { HeaderCache, ScriptDirectory } from '../../core/scripts';
import { ContextKeys } from '../constants';
import type { Log } from '../log';

/** One Alembic project of the workspace and its live ScriptDirectory. */
export interface ProjectState {
  readonly key: string;
  readonly project: ProjectConfig;
  readonly scripts: ScriptDirectory;
  /** The workspace folder it was found in (settings scope). */
  readonly folder: vscode.WorkspaceFolder;
}

/** Config files whose change means "discover again" rather than "update one revision". */
const CONFIG_GLOB = '**/{*.ini,pyproject.toml}';

/**
 * The projects of the workspace, each with a ScriptDirectory kept current: a watcher per version
 * location feeds `ScriptDirectory.update` one file at a time, and unsaved editor text wins over the
 * disk (overlays). Discovery runs in the background after activation.
 */
export class ProjectStore implements vscode.Disposable {
  private states: ProjectState[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** Watchers of the current projects' version locations, replaced on every discovery. */
  private locationWatchers: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<ProjectState | undefined>();
  /** Fires with the project whose graph changed, or undefined after a (re)discovery. */
  readonly onDidChange = this.changed.event;
  private discovery: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private pending = Promise.resolve();

  constructor(private readonly log: Log) {
    this.disposables.push(this.changed);
    const configWatcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB);
    const rediscover = (uri: vscode.Uri) => {
      if (isConfigName(uri.fsPath)) void this.refresh();
    };
    this.disposables.push(
      configWatcher,
      configWatcher.onDidCreate(rediscover),
      configWatcher.onDidChange(rediscover),
      configWatcher.onDidDelete(rediscover),
      // Deleting a folder reports only the folder, not the alembic.ini inside it.
      ...this.watchFolderDeletions(),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.updateFile(e.document.uri.fsPath, e.document.getText());
      }),
      // Closing a dirty editor without saving, or reverting it: the disk is the truth again.
      vscode.workspace.onDidCloseTextDocument((doc) => void this.reread(doc.uri.fsPath)),
    );
  }

  private watchFolderDeletions(): vscode.Disposable[] {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    const holdsProject = (deleted: string) =>
      this.states.some((s) => [s.project.here, s.project.configPath].some((p) => p !== undefined && (p === deleted || p.startsWith(deleted + path.sep))));
    // A deleted tree arrives as a burst of events: wait for it to end, then discover once.
    let timer: NodeJS.Timeout | undefined;
    return [
      watcher,
      watcher.onDidDelete((uri) => {
        if (!holdsProject(uri.fsPath)) return;
        clearTimeout(timer);
        timer = setTimeout(() => void this.refresh(), 200);
      }),
      { dispose: () => clearTimeout(timer) },
    ];
  }

  /** Resolves when the first discovery (or the latest refresh) has finished. */
  get ready(): Promise<void> {
    return this.discovery ?? this.refresh();
  }

  get all(): readonly ProjectState[] {
    return this.states;
  }

  /**
   * Full re-discovery: configs, then each project's files (the only full read). Runs one at a time so
   * an older result never lands last; a burst of requests (a folder deleted file by file) while one
   * runs becomes a single queued run, which sees every change made before it starts.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.discovery ?? Promise.resolve();
    const run = previous.then(() => {
      this.queued = undefined;
      return this.discover().catch((err) => this.log.error('Discovering Alembic projects failed', err));
    });
    this.queued = run;
    this.discovery = run;
    return run;
  }

  private async discover(): Promise<void> {
    const started = Date.now();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found: { project: ProjectConfig; folder: vscode.WorkspaceFolder }[] = [];
    for (const folder of folders) {
      if (folder.uri.scheme !== 'file') continue;
      for (const project of await findProjects(folder.uri.fsPath)) found.push({ project, folder });
    }
    const overlays = this.overlays();
    const states = await Promise.all(
      found.map(async ({ project, folder }) => ({
        key: keyOf(project),
        project,
        folder,
        scripts: await ScriptDirectory.load(project, { overlays, cache: HeaderCache.forProject(project, 'extension') }),
      })),
    );
    this.states = states;
    this.watchLocations();
    await this.publishContext();
    this.log.info(
      `found ${states.length} Alembic project(s) in ${Date.now() - started} ms` +
        states.map((s) => `\n  ${s.project.configPath ?? s.project.here}: ${s.scripts.map.size} revisions, heads ${s.scripts.map.heads.join(', ') || '-'}`).join(''),
    );
    this.changed.fire(undefined);
  }

  private overlays(): Map<string, string> {
    const out = new Map<string, string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isDirty && doc.uri.scheme === 'file' && doc.uri.fsPath.endsWith('.py')) out.set(doc.uri.fsPath, doc.getText());
    }
    return out;
  }

  private watchLocations(): void {
    for (const d of this.locationWatchers) d.dispose();
    this.locationWatchers = [];
    for (const state of this.states) {
      const recursive = state.project.recursiveVersionLocations || state.project.configKind === 'bare';
      for (const location of state.project.versionLocations) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(location), recursive ? '**/*.py' : '*.py'));
        const reread = (uri: vscode.Uri) => void this.reread(uri.fsPath);
        this.locationWatchers.push(watcher, watcher.onDidCreate(reread), watcher.onDidChange(reread), watcher.onDidDelete(reread));
      }
    }
  }

  /** The project a migration file belongs to. */
  projectOfFile(file: string): ProjectState | undefined {
    return this.states.find((s) => versionLocationOf(s.project, file) !== undefined);
  }

  /** The project whose version location is `folder`, or whose config is `configPath`. */
  find(configPathOrFolder: string): ProjectState | undefined {
    const target = path.resolve(configPathOrFolder);
    return (
      this.states.find((s) => s.key === target) ??
      this.states.find((s) => s.project.versionLocations.some((l) => path.resolve(l) === target)) ??
      this.states.find((s) => path.resolve(s.project.here) === target)
    );
  }

  private updateFile(file: string, text: string | undefined): void {
    if (!file.endsWith('.py')) return;
    const state = this.projectOfFile(file);
    if (!state) return;
    const before = state.scripts.knownText(file);
    if (before !== undefined && before === text) return;
    state.scripts.update(file, text);
    this.changed.fire(state);
  }

  /** Reads one file again (unless an open dirty editor holds newer text) and updates its project. */
  private reread(file: string): Promise<void> {
    // Serialized so a delete cannot overtake the read of an earlier change to the same file.
    this.pending = this.pending.then(async () => {
      if (!file.endsWith('.py') || !this.projectOfFile(file)) return;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
      if (open?.isDirty) return this.updateFile(file, open.getText());
      const text = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
      this.updateFile(file, text);
    });
    return this.pending;
  }

  /**
   * Reads these files again now, in line with the watcher's own rereads. After a write of ours (a
   * squash, its undo, a roll back) the graph then follows the disk without waiting for file events,
   * which a busy machine can deliver late or coalesce; the events that come later change nothing.
   */
  rereadFiles(files: readonly string[]): Promise<void> {
    for (const file of files) void this.reread(file);
    return this.pending;
  }

  /**
   * The project as the disk holds it now (open unsaved editors still win), as a separate view for one
   * squash: watcher events can lag behind a write (an undo just before, a checkout, another tool), and
   * a squash planned on that older view could miss a child to rewire. The live view is left to its
   * watchers, so its change events stay the ones the files caused.
   */
  async current(state: ProjectState): Promise<ProjectState> {
    await this.pending;
    const scripts = await ScriptDirectory.load(state.project, { overlays: this.overlays(), cache: HeaderCache.forProject(state.project, 'extension') });
    return { ...state, scripts };
  }

  private async publishContext(): Promise<void> {
    // `resourcePath` is the fsPath; the URI path form is added for platforms where they differ.
    const locations = this.states.flatMap((s) => s.project.versionLocations.flatMap((l) => [vscode.Uri.file(l).fsPath, vscode.Uri.file(l).path]));
    await vscode.commands.executeCommand('setContext', ContextKeys.hasProject, this.states.length > 0);
    await vscode.commands.executeCommand('setContext', ContextKeys.versionLocations, [...new Set(locations)]);
  }

  dispose(): void {
    for (const d of [...this.locationWatchers, ...this.disposables]) d.dispose();
  }
}

export function keyOf(project: ProjectConfig): string {
  return path.resolve(project.configPath ?? project.here);
}

function isConfigName(file: string): boolean {
  const name = path.basename(file);
  return name === 'pyproject.toml' || name.endsWith('.ini');
}

/** Loads the project a config path names even before discovery found it (commands given a path). */
export function loadOne(configPath: string): ProjectConfig {
  return loadProject(configPath);
}
