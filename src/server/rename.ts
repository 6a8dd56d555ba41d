import { LSPErrorCodes, ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { docstringEdits, type TextReplacement } from '../core/merge';
import { revisionIdError } from '../core/parse';
import type { ScriptFile } from '../core/scripts';
import { headerIds } from './ids';
import { revisionAt } from './navigation';
import { toRange } from './positions';
import { uriOf } from './uris';
import type { FileContext, ProjectState } from './workspace';

function fail(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** Renaming starts on the `revision` value or on any id string that names a revision. */
export function prepareRename(ctx: FileContext, offset: number): { range: Range; placeholder: string } {
  const found = revisionAt(ctx, offset);
  if (!found) throw fail('Put the cursor on a revision id in the header (revision, down_revision or depends_on) to rename it.');
  if (found.at.value !== found.id) {
    throw fail(`'${found.at.value}' is a branch label or a prefix of ${found.id}, not a revision id; rename ${found.id} where it is declared.`);
  }
  return { range: toRange(ctx.file, found.at.inner), placeholder: found.id };
}

/** Why `newName` cannot become a revision id of this project, or undefined. */
export function renameError(state: ProjectState, oldId: string, newName: string): string | undefined {
  const invalid = revisionIdError(newName);
  if (invalid) return `'${newName}' cannot be a revision id: ${invalid}`;
  if (/[\s'"\\]/.test(newName)) return `'${newName}' cannot be a revision id: it must not contain spaces, quotes or backslashes.`;
  if (newName === oldId) return undefined;
  const { map } = state.scripts;
  const other = map.claimants(newName)[0];
  if (other) return `Revision ${newName} already exists${other.path ? ` (${other.path})` : ''}; revision ids must be unique.`;
  if (map.labelOwners(newName).length) return `'${newName}' is already a branch label of ${map.labelOwners(newName).join(', ')}; Alembic could not tell them apart.`;
  return undefined;
}

/**
 * Renames a revision id: its `revision` string, every down_revision / depends_on string naming it, and the
 * docstrings' `Revision ID:` / `Revises:` lines. File names are left as they are.
 */
export function rename(ctx: FileContext, offset: number, newName: string): WorkspaceEdit {
  const { id } = (() => {
    const found = revisionAt(ctx, offset);
    if (!found || found.at.value !== found.id) throw fail('Only a revision id can be renamed here.');
    return found;
  })();
  const state = ctx.state;
  const error = renameError(state, id, newName);
  if (error) throw fail(error);

  const perFile = new Map<string, { file: ScriptFile; edits: TextReplacement[] }>();
  const add = (file: ScriptFile, r: TextReplacement) => {
    const entry = perFile.get(file.path) ?? { file, edits: [] };
    if (!entry.edits.some((e) => e.range.start === r.range.start)) entry.edits.push(r);
    perFile.set(file.path, entry);
  };
  const { map } = state.scripts;
  const touched = new Set([...map.claimants(id).map((e) => e.path), ...[...map.children(id), ...map.dependents(id)].flatMap((c) => map.claimants(c).map((e) => e.path))]);
  for (const path of touched) {
    const file = path ? state.scripts.file(path) : undefined;
    if (!file) continue;
    const m = file.migration;
    for (const at of headerIds(m, file.text)) {
      const names = at.field === 'revision' || at.field === 'down_revision' || at.field === 'depends_on';
      if (names && at.value === id) add(file, { range: at.inner, newText: newName });
    }
    const docs = docstringEdits(file.text, m, {
      revisionId: m.revision === id ? newName : undefined,
      revises: m.downRevisions.includes(id) ? m.downRevisions.map((d) => (d === id ? newName : d)) : undefined,
    });
    for (const d of docs) add(file, d);
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const { file, edits } of perFile.values()) {
    changes[uriOf(file.path)] = edits.sort((a, b) => a.range.start - b.range.start).map((e) => ({ range: toRange(file, e.range), newText: e.newText }));
  }
  return { changes };
}
