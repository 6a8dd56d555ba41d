import * as vscode from 'vscode';
import { CommandIds } from '../constants';
import type { ProjectState, ProjectStore } from '../state/projects';
import { shortId } from './revisionModel';

/** The head of the active editor's project (else the first one), or "N heads" on a warning background. */
export class HeadStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alembicSquash.head', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];

  /** `held()` true: a squash is being written (or sits in the refactor preview); keep the last text. */
  constructor(
    private readonly store: ProjectStore,
    private readonly held: () => boolean = () => false,
  ) {
    this.item.name = 'Alembic Head';
    this.item.command = CommandIds.focusRevisions;
    this.disposables.push(this.item, vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.update();
  }

  private current(): ProjectState | undefined {
    const file = vscode.window.activeTextEditor?.document.uri;
    const own = file?.scheme === 'file' ? this.store.projectOfFile(file.fsPath) : undefined;
    return own ?? this.store.all[0];
  }

  update(): void {
    if (this.held()) return;
    const state = this.current();
    if (!state) {
      this.item.hide();
      return;
    }
    const heads = state.scripts.map.heads;
    const several = this.store.all.length > 1 ? ` (${state.project.name})` : '';
    if (heads.length === 1) {
      this.item.text = `$(git-commit) ${shortId(heads[0]!, state.scripts.map)}`;
      this.item.tooltip = `Alembic head${several}: ${heads[0]}`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = heads.length === 0 ? '$(warning) no head' : `$(warning) ${heads.length} heads`;
      this.item.tooltip = `Alembic${several}: ${heads.length ? `several heads (${heads.join(', ')}): a merge revision is needed` : 'no revisions found'}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
