import * as vscode from 'vscode';
import { SECRET_DATABASE_URL } from '../constants';
import type { Ctx } from '../ctx';
import { maskUrl } from '../../core/alembic';
import type { ProjectState } from '../state/projects';
import type { RevisionNode } from '../views/revisionsView';
import type { Cmd } from './types';

export function refresh(ctx: Ctx): Cmd {
  return () => ctx.store.refresh();
}

export function showLog(ctx: Ctx): Cmd {
  return () => ctx.log.show();
}

export function openRevision(_ctx: Ctx): Cmd {
  return async (node?: RevisionNode) => {
    if (node?.model.path) await vscode.window.showTextDocument(vscode.Uri.file(node.model.path), { preview: true });
  };
}

/** The revision the active editor holds (or the one given) selected and revealed in the tree. */
export function revealRevision(ctx: Ctx): Cmd {
  return async (args?: { configPath?: string; revision?: string }): Promise<string | undefined> => {
    await ctx.store.ready;
    let state: ProjectState | undefined;
    let revision = args?.revision;
    if (args?.configPath) state = ctx.store.find(args.configPath);
    if (!revision) {
      // Focus in a view (the tree itself) may leave no active editor: the visible one is meant then.
      const doc = (vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0])?.document;
      if (!doc || doc.uri.scheme !== 'file') return undefined;
      state = ctx.store.projectOfFile(doc.uri.fsPath);
      revision = state?.scripts.file(doc.uri.fsPath)?.migration.revision;
    }
    state ??= ctx.store.all.find((s) => revision !== undefined && s.scripts.map.has(revision));
    const node = state && revision ? ctx.revisions.nodeOf(state, revision) : undefined;
    if (!node) return undefined;
    await ctx.revisions.reveal(ctx.view, node);
    return node.revision;
  };
}

/** Stores the `url` back end's database URL in SecretStorage; an empty input removes it. */
export function setDatabaseUrl(ctx: Ctx): Cmd {
  return async () => {
    const value = await vscode.window.showInputBox({
      title: 'Database URL for Verify (url back end)',
      prompt: 'postgresql://user:password@host:5432/dbname — kept in VS Code\'s secret storage; verify only creates and drops its own temporary databases there. Empty: remove.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || /^postgres(ql)?:\/\//.test(v) ? undefined : 'Expected a postgresql:// URL'),
    });
    if (value === undefined) return;
    if (value === '') {
      await ctx.extension.secrets.delete(SECRET_DATABASE_URL);
      ctx.log.info('database URL for verify removed');
    } else {
      await ctx.extension.secrets.store(SECRET_DATABASE_URL, value);
      ctx.log.info(`database URL for verify set: ${maskUrl(value)}`);
    }
  };
}
