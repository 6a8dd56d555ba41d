import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import { findPython } from '../core/alembic';
import { docstringEdits, renderMergeRevision } from '../core/merge';
import { headerIdAt } from './ids';
import { toOffset, toRange } from './positions';
import { SOURCE, type DiagnosticData } from './diagnostics';
import { uriOf } from './uris';
import type { FileContext, ProjectState } from './workspace';

/** Carried by an unresolved "Create merge revision" action until the client asks for its edit. */
export interface MergeActionData {
  kind: 'merge';
  uri: string;
}

/** Quick fixes for our own diagnostics in the request. The merge action's edit may come later (resolve). */
export function codeActions(ctx: FileContext, uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== SOURCE) continue;
    const data = (d.data ?? {}) as DiagnosticData;
    if (d.code === 'multiple-heads' && !out.some((a) => a.title === MERGE_TITLE)) {
      const mergeData: MergeActionData = { kind: 'merge', uri };
      out.push({ title: MERGE_TITLE, kind: CodeActionKind.QuickFix, diagnostics: [d], data: mergeData });
    } else if (d.code === 'docstring-mismatch') {
      const action = updateDocstring(ctx, d);
      if (action && !out.some((a) => a.title === action.title)) out.push(action);
    } else if ((d.code === 'missing-parent' || d.code === 'missing-dependency') && data.suggestions?.length) {
      const at = headerIdAt(ctx.file.migration, ctx.file.text, toOffset(ctx.file, d.range.start));
      if (!at || at.value !== data.target) continue;
      data.suggestions.forEach((s, i) => {
        out.push({
          title: `Change to ${s}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: i === 0,
          edit: { changes: { [uri]: [{ range: toRange(ctx.file, at.inner), newText: s }] } },
        });
      });
    }
  }
  return out;
}

export const MERGE_TITLE = 'Create merge revision';

function updateDocstring(ctx: FileContext, d: Diagnostic): CodeAction | undefined {
  const m = ctx.file.migration;
  const readable = m.header.down_revision === undefined || m.header.down_revision.value.kind !== 'unresolved';
  if (m.revision === undefined) return undefined;
  const edits = docstringEdits(ctx.file.text, m, { revisionId: m.revision, revises: readable ? m.downRevisions : undefined });
  if (edits.length === 0) return undefined;
  return {
    title: 'Update docstring',
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    edit: { changes: { [uriOf(ctx.file.path)]: edits.map((e) => ({ range: toRange(ctx.file, e.range), newText: e.newText })) } },
  };
}

export interface MergeEditOptions {
  /** False in untrusted workspaces: the built-in template is used and no Python runs. */
  trusted: boolean;
  /** `alembicSquash.python` of the file's scope ('' = detect). */
  python: string;
}

/** A new file, as `alembic merge -m "merge heads" heads` would write it, merging the project's current heads. */
export async function mergeEdit(state: ProjectState, options: MergeEditOptions): Promise<WorkspaceEdit | undefined> {
  const { map } = state.scripts;
  const heads = map.heads;
  if (heads.length < 2) return undefined;
  const headFile = state.scripts.fileOf(heads[0]!);
  const python = options.trusted ? findPython({ python: options.python || undefined, projectDir: state.project.here }) : undefined;
  const merge = await renderMergeRevision({
    project: state.project,
    heads,
    taken: (id) => map.has(id) || map.labelOwners(id).length > 0,
    headFolder: headFile ? path.dirname(headFile.path) : undefined,
    python,
  });
  const uri = uriOf(merge.path);
  return {
    documentChanges: [
      { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
      { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: merge.text }] },
    ],
  };
}
