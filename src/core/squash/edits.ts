import * as path from 'node:path';
import type { TextRange } from '../common/problem';
import type { SourceFile } from './plan';
import type { FileEdit, RenderResult, SquashPlan } from './types';

export interface BuildEditsOptions {
  /** Move replaced files here (relative to each file's folder when not absolute) instead of deleting them. */
  archiveDir?: string;
}

/** Ranges in a child's text where the old tip id must become the new one (literals and `Revises:`). */
function rewireChanges(source: SourceFile, tip: string, next: string): { range: TextRange; newText: string }[] {
  const changes: { range: TextRange; newText: string }[] = [];
  for (const name of ['down_revision', 'depends_on'] as const) {
    const assignment = source.file.header[name];
    if (!assignment) continue;
    const values = assignment.value.kind === 'string' ? [assignment.value.value] : assignment.value.kind === 'sequence' ? assignment.value.values : [];
    values.forEach((value, i) => {
      const range = assignment.itemRanges[i];
      if (value !== tip || !range) return;
      // Only the id inside the literal changes: quotes, prefixes and the tuple's layout stay as written.
      const literal = source.text.slice(range.start, range.end);
      const at = literal.indexOf(tip);
      if (at >= 0) changes.push({ range: { start: range.start + at, end: range.start + at + tip.length }, newText: next });
    });
  }
  const doc = source.file.docstring;
  if (doc) {
    const docText = source.text.slice(doc.range.start, doc.range.end);
    const line = docText.indexOf('Revises:');
    if (line >= 0) {
      const lineEnd = docText.indexOf('\n', line);
      const revises = docText.slice(line, lineEnd < 0 ? undefined : lineEnd);
      // Whole ids only: `Revises: a1, b2` lists ids separated by commas and spaces.
      let offset = 'Revises:'.length;
      for (const part of revises.slice(offset).split(',')) {
        const lead = part.length - part.trimStart().length;
        if (part.trim() === tip) {
          const start = doc.range.start + line + offset + lead;
          changes.push({ range: { start, end: start + tip.length }, newText: next });
        }
        offset += part.length + 1;
      }
    }
  }
  return changes.sort((a, b) => a.range.start - b.range.start);
}

/** Everything the squash changes on disk, as pure edits checked against the text they were planned from. */
export function buildEdits(plan: SquashPlan, render: RenderResult, files: ReadonlyMap<string, SourceFile>, options: BuildEditsOptions = {}): FileEdit[] {
  const edits: FileEdit[] = [];
  const newPath = path.join(plan.directory, render.fileName);
  const archiveDir = options.archiveDir ?? plan.options.archiveDir;
  let newFileWritten = false;
  for (const m of plan.members) {
    const source = files.get(m.path)!;
    if (path.resolve(m.path) === path.resolve(newPath)) {
      // Same name as a replaced file (tip id kept, same slug): rewrite it in place.
      edits.push({ kind: 'modify', path: m.path, expectedText: source.text, changes: [{ range: { start: 0, end: source.text.length }, newText: render.text }] });
      newFileWritten = true;
      if (archiveDir) {
        const to = path.resolve(path.dirname(m.path), archiveDir, path.basename(m.path));
        edits.push({ kind: 'create', path: to, text: source.text });
      }
      continue;
    }
    if (archiveDir) edits.push({ kind: 'move', from: m.path, to: path.resolve(path.dirname(m.path), archiveDir, path.basename(m.path)), expectedText: source.text });
    else edits.push({ kind: 'delete', path: m.path, expectedText: source.text });
  }
  if (!newFileWritten) edits.unshift({ kind: 'create', path: newPath, text: render.text });
  if (plan.idChanged) {
    for (const child of plan.children) {
      const source = files.get(child.path);
      if (!source) continue;
      const changes = rewireChanges(source, plan.tip, plan.newRevision);
      if (changes.length) edits.push({ kind: 'modify', path: child.path, expectedText: source.text, changes });
    }
  }
  return edits;
}

/** Applies a modify edit's changes to its expected text (pure; changes must not overlap). */
export function applyChanges(text: string, changes: { range: TextRange; newText: string }[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, c.range.start) + c.newText + out.slice(c.range.end);
  return out;
}
