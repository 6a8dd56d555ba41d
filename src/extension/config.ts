import * as vscode from 'vscode';
import { SECTION } from './constants';

export type Provider = 'auto' | 'docker' | 'local' | 'pglite' | 'url';
export type RevisionIdSetting = 'tip' | 'new';
export type PartialDowngrade = 'raise' | 'comment';

/** Typed, per-resource view of the `alembicSquash.*` settings (the manifest declares them). */
export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) this.changed.fire(e);
    });
  }

  private get(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION, scope);
  }

  /** Interpreter to run the project's Alembic with; '' lets the core look for a venv, then python3. */
  python(scope?: vscode.Uri): string {
    return this.get(scope).get<string>('python', '').trim();
  }
  provider(scope?: vscode.Uri): Provider {
    return this.get(scope).get<Provider>('provider', 'auto');
  }
  dockerImage(scope?: vscode.Uri): string {
    return this.get(scope).get<string>('dockerImage', '');
  }
  postgresBinDir(scope?: vscode.Uri): string {
    return this.get(scope).get<string>('postgresBinDir', '').trim();
  }
  urlEnvVars(scope?: vscode.Uri): string[] {
    return this.get(scope).get<string[]>('urlEnvVars', []);
  }
  strategy(scope?: vscode.Uri): 'auto' | 'ops' | 'snapshot' {
    return this.get(scope).get<'auto' | 'ops' | 'snapshot'>('strategy', 'auto');
  }
  /** Show VS Code's refactor preview before a squash is written (off: the review screen is the confirmation). */
  refactorPreview(scope?: vscode.Uri): boolean {
    return this.get(scope).get<boolean>('refactorPreview', false);
  }
  revisionId(scope?: vscode.Uri): RevisionIdSetting {
    return this.get(scope).get<RevisionIdSetting>('revisionId', 'tip');
  }
  /** '' means: delete replaced files rather than move them. */
  archiveFolder(scope?: vscode.Uri): string {
    return this.get(scope).get<string>('archiveFolder', '').trim();
  }
  seedTables(scope?: vscode.Uri): string[] {
    return this.get(scope).get<string[]>('seedTables', []);
  }
  /** `verify --models[=strict]`: compare env.py's target_metadata with the squashed database. */
  verifyModels(scope?: vscode.Uri): boolean | 'strict' {
    const value = this.get(scope).get<'off' | 'on' | 'strict'>('verifyModels', 'off');
    return value === 'strict' ? 'strict' : value === 'on';
  }

  partialDowngrade(scope?: vscode.Uri): PartialDowngrade {
    return this.get(scope).get<PartialDowngrade>('partialDowngrade', 'raise');
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
