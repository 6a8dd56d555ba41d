import * as vscode from 'vscode';
import { findPython } from '../core/alembic';
import type { FileEdit, SquashPlan, StampPlan } from '../core/squash';
import type { Config } from './config';
import { ContextKeys, SECRET_DATABASE_URL } from './constants';
import type { ReviewDocuments, ReviewTexts } from './documents/review';
import { SchemaDocuments } from './documents/schema';
import type { Log } from './log';
import type { ProjectState, ProjectStore } from './state/projects';
import { Verifications } from './verify/results';
import type { RevisionsProvider, TreeNode } from './views/revisionsView';

/** A squash written through a WorkspaceEdit, kept for Review, Undo, the stamp plan and verify. */
export interface LastSquash {
  configPath: string;
  from: string;
  to: string;
  plan: SquashPlan;
  stamp: StampPlan;
  edits: FileEdit[];
  review: ReviewTexts;
  /** True when the user applied the edit (false: cancelled in the refactor preview). */
  applied: boolean;
  renderedWith: 'project-template' | 'builtin';
  warnings: string[];
  /** The write-ahead journal of the applied squash (`.alembic-squash/`), also what `squash --undo` reads. */
  journalPath?: string;
}

/** Called by "Verify now" after a squash; the verify feature sets it. Absent → the button is hidden. */
export type VerifyHook = (squash: LastSquash, state: ProjectState) => Promise<void>;

/** Everything commands and views share; built once in activate(). */
export class Ctx {
  lastSquash: LastSquash | undefined;
  verifyHook: VerifyHook | undefined;
  /** Journal folders of writes this window is applying now (never "interrupted" while they run). */
  readonly writing = new Set<string>();
  private readonly squashed = new vscode.EventEmitter<LastSquash>();
  readonly onDidSquash = this.squashed.event;
  /** Read-only normalized schema documents (diff editor, Show Schema at Revision). */
  readonly schemas = new SchemaDocuments();
  /** The latest verify result and its Problems entries. */
  readonly verifications = new Verifications();

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: Log,
    readonly config: Config,
    readonly store: ProjectStore,
    readonly reviews: ReviewDocuments,
    readonly revisions: RevisionsProvider,
    readonly view: vscode.TreeView<TreeNode>,
  ) {
    extension.subscriptions.push(this.squashed, this.schemas, this.verifications, this.applyingChanged);
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The interpreter for the project's own Python, or undefined in an untrusted workspace (never run it there). */
  pythonFor(state: ProjectState): string | undefined {
    if (!this.trusted) return undefined;
    const scope = state.folder.uri;
    return findPython({ python: this.config.python(scope) || undefined, projectDir: state.project.here });
  }

  private applyingNow = false;
  private readonly applyingChanged = new vscode.EventEmitter<boolean>();
  /** Fires when a squash starts or stops being written (the status bar holds still meanwhile). */
  readonly onDidChangeApplying = this.applyingChanged.event;
  get applying(): boolean {
    return this.applyingNow;
  }
  setApplying(on: boolean): void {
    this.applyingNow = on;
    this.applyingChanged.fire(on);
  }

  recordSquash(squash: LastSquash): void {
    this.lastSquash = squash;
    void vscode.commands.executeCommand('setContext', ContextKeys.canUndoSquash, squash.applied);
    this.squashed.fire(squash);
  }

  /** The database URL for the `url` back end, from SecretStorage (never from settings). */
  databaseUrl(): Thenable<string | undefined> {
    return this.extension.secrets.get(SECRET_DATABASE_URL);
  }
}
