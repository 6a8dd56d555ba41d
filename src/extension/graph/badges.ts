import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RevisionBadges } from '../../core/layout/badges';
import { parseMigration } from '../../core/parse';
import type { ProjectState } from '../state/projects';

/**
 * Data-operation and app-code badges per revision, computed in the background (a full parse of
 * each file) and kept per file text, so an edit recomputes one file. Fires when new badges are known.
 */
export class BadgeCache implements vscode.Disposable {
  private readonly byPath = new Map<string, { text: string; revision: string; badges: RevisionBadges }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private running: Promise<void> | undefined;
  private again = false;

  /** What is known now for a project: revision → badges. */
  of(state: ProjectState): Map<string, RevisionBadges> {
    const out = new Map<string, RevisionBadges>();
    for (const f of state.scripts.revisionFiles) {
      const known = this.byPath.get(f.path);
      if (known && f.migration.revision === known.revision) out.set(known.revision, known.badges);
    }
    return out;
  }

  /** Brings the cache up to date with these projects, yielding between files. */
  update(states: readonly ProjectState[]): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run(states).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.update(states);
      }
    });
    return this.running;
  }

  private async run(states: readonly ProjectState[]): Promise<void> {
    // Loaded on first use: the classifier brings PostgreSQL's parser, which activation must not pay for.
    const { badgesOf, prepareBadges } = require('../../core/layout/badges') as typeof import('../../core/layout/badges');
    await prepareBadges();
    let fresh = 0;
    for (const state of states) {
      for (const f of state.scripts.revisionFiles) {
        const text = textOf(f.path);
        if (text === undefined) continue;
        const known = this.byPath.get(f.path);
        if (known && known.text === text) continue;
        // Parsed here, not through scripts.fullFile: the project's own state stays as the store keeps it.
        try {
          const migration = parseMigration(text);
          if (!migration.revision) continue;
          this.byPath.set(f.path, { text, revision: migration.revision, badges: badgesOf(text, migration) });
        } catch {
          // A file the classifier cannot read gets no badge; its problems are reported elsewhere.
        }
        if (++fresh % 50 === 0) await new Promise((r) => setImmediate(r));
      }
    }
    if (fresh) this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * The file's text as the editor or the disk has it now. Not `ScriptFile.text`: for files adopted
 * from the header cache that getter reads the disk once and keeps it, and reading it early (before
 * the watcher reports a change) would make the store take the change for one it already has.
 */
export function textOf(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return open.getText();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
