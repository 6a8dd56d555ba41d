/**
 * FileEdit[] (the squash engine's pure edits) → the operations of one WorkspaceEdit, with ranges
 * as line/character positions and the label each entry shows in the refactor preview. No vscode:
 * apply.ts turns these into a vscode.WorkspaceEdit.
 */
import * as path from 'node:path';
import { LineIndex } from '../../core/scripts';
// The edits module alone: the squash index would pull the SQL parser (and its .wasm) into every bundle that applies edits.
import { applyChanges } from '../../core/squash/edits';
import type { FileEdit } from '../../core/squash';

export interface Position {
  line: number;
  character: number;
}

export type EditOperation =
  | { op: 'create'; path: string; text: string; label: string; description: string }
  | { op: 'delete'; path: string; label: string; description: string }
  | { op: 'rename'; from: string; to: string; label: string; description: string }
  | { op: 'replace'; path: string; start: Position; end: Position; newText: string; label: string; description: string };

/** Labels group the refactor preview's entries; one per kind of change. */
export const Labels = {
  create: 'New squashed revision',
  archive: 'Replaced revisions (archived)',
  delete: 'Replaced revisions (deleted)',
  rewire: 'Revisions rewired to the new id',
  rewrite: 'Tip rewritten in place',
} as const;

export function toOperations(edits: readonly FileEdit[], describe: (file: string) => string = (f) => path.basename(f)): EditOperation[] {
  const ops: EditOperation[] = [];
  for (const e of edits) {
    switch (e.kind) {
      case 'create':
        ops.push({ op: 'create', path: e.path, text: e.text, label: Labels.create, description: describe(e.path) });
        break;
      case 'delete':
        ops.push({ op: 'delete', path: e.path, label: Labels.delete, description: describe(e.path) });
        break;
      case 'move':
        ops.push({ op: 'rename', from: e.from, to: e.to, label: Labels.archive, description: `${describe(e.from)} → ${describe(e.to)}` });
        break;
      case 'modify': {
        const lines = new LineIndex(e.expectedText);
        const whole = e.changes.length === 1 && e.changes[0]!.range.start === 0 && e.changes[0]!.range.end === e.expectedText.length;
        for (const c of e.changes) {
          ops.push({
            op: 'replace',
            path: e.path,
            start: lines.position(c.range.start),
            end: lines.position(c.range.end),
            newText: c.newText,
            label: whole ? Labels.rewrite : Labels.rewire,
            description: describe(e.path),
          });
        }
        break;
      }
    }
  }
  return ops;
}

/** Every file the squash reads or writes (sources of deletes/moves/modifies, targets of creates/moves). */
export function involvedPaths(edits: readonly FileEdit[]): string[] {
  const out = new Set<string>();
  for (const e of edits) {
    if (e.kind === 'move') {
      out.add(e.from);
      out.add(e.to);
    } else out.add(e.path);
  }
  return [...out];
}

export interface Mismatch {
  path: string;
  reason: 'changed' | 'missing' | 'exists';
}

/**
 * Files whose current text is not what the edits were planned from (or a create/move target that
 * already exists). `read` returns the current text (editor buffer or disk), undefined when absent.
 */
export function checkExpected(edits: readonly FileEdit[], read: (file: string) => string | undefined): Mismatch[] {
  const out: Mismatch[] = [];
  const createdHere = new Set<string>();
  for (const e of edits) {
    const source = e.kind === 'move' ? e.from : e.path;
    if (e.kind === 'create') {
      if (read(e.path) !== undefined) out.push({ path: e.path, reason: 'exists' });
      createdHere.add(e.path);
      continue;
    }
    const text = read(source);
    if (text === undefined) out.push({ path: source, reason: 'missing' });
    else if (text !== e.expectedText) out.push({ path: source, reason: 'changed' });
    if (e.kind === 'move' && read(e.to) !== undefined) out.push({ path: e.to, reason: 'exists' });
  }
  return out;
}

/**
 * The edits that undo what was actually applied (the user may have unticked entries in the preview):
 * each step is reversed only when the disk shows it happened and nothing changed it since.
 */
export function inverseEdits(edits: readonly FileEdit[], read: (file: string) => string | undefined): FileEdit[] {
  const out: FileEdit[] = [];
  for (const e of [...edits].reverse()) {
    switch (e.kind) {
      case 'create': {
        const now = read(e.path);
        if (now === e.text) out.push({ kind: 'delete', path: e.path, expectedText: e.text });
        break;
      }
      case 'delete':
        if (read(e.path) === undefined) out.push({ kind: 'create', path: e.path, text: e.expectedText });
        break;
      case 'move':
        if (read(e.from) === undefined && read(e.to) === e.expectedText) out.push({ kind: 'move', from: e.to, to: e.from, expectedText: e.expectedText });
        break;
      case 'modify': {
        const applied = applyChanges(e.expectedText, e.changes);
        const now = read(e.path);
        if (now === applied && applied !== e.expectedText) {
          out.push({ kind: 'modify', path: e.path, expectedText: applied, changes: [{ range: { start: 0, end: applied.length }, newText: e.expectedText }] });
        }
        break;
      }
    }
  }
  return out;
}

/** Where one FileEdit stands on disk: not started, done, or something else (changed by someone). */
export type StepState = 'pending' | 'done' | 'other';

/**
 * Compares the files with the plan, step by step: the refactor preview lets the user untick entries,
 * so what was applied is read back rather than assumed. A modify counts as done only when every one
 * of its changes is there; some of them only → 'other' (see `partlyModified`).
 */
export function stepStates(edits: readonly FileEdit[], read: (file: string) => string | undefined): StepState[] {
  return edits.map((e) => {
    switch (e.kind) {
      case 'create': {
        const now = read(e.path);
        return now === undefined ? 'pending' : now === e.text ? 'done' : 'other';
      }
      case 'delete': {
        const now = read(e.path);
        return now === undefined ? 'done' : now === e.expectedText ? 'pending' : 'other';
      }
      case 'move': {
        const from = read(e.from);
        const to = read(e.to);
        if (from === undefined && to === e.expectedText) return 'done';
        if (from === e.expectedText && to === undefined) return 'pending';
        return 'other';
      }
      case 'modify': {
        const now = read(e.path);
        if (now === e.expectedText) return 'pending';
        return now === applyChanges(e.expectedText, e.changes) ? 'done' : 'other';
      }
    }
  });
}

/** True when `now` is `expectedText` with a subset of the changes applied (the preview's entries are per change). */
export function partlyModified(e: Extract<FileEdit, { kind: 'modify' }>, now: string): boolean {
  if (e.changes.length > 8) return false;
  for (let mask = 1; mask < 1 << e.changes.length; mask++) {
    const subset = e.changes.filter((_, i) => mask & (1 << i));
    if (applyChanges(e.expectedText, subset) === now) return true;
  }
  return false;
}

/**
 * The edits that put back what a partial application wrote: `inverseEdits` for whole steps, plus a
 * rewrite to the original text for a file where only some of its changes were applied.
 */
export function restoreEdits(edits: readonly FileEdit[], read: (file: string) => string | undefined): FileEdit[] {
  const out = inverseEdits(edits, read);
  for (const e of edits) {
    if (e.kind !== 'modify') continue;
    const now = read(e.path);
    if (now === undefined || now === e.expectedText || now === applyChanges(e.expectedText, e.changes)) continue;
    if (partlyModified(e, now)) out.push({ kind: 'modify', path: e.path, expectedText: now, changes: [{ range: { start: 0, end: now.length }, newText: e.expectedText }] });
  }
  return out;
}

/** The path a step is about (a move: where the file was). */
export function stepPath(e: FileEdit): string {
  return e.kind === 'move' ? e.from : e.path;
}
