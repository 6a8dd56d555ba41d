import type { Position, Range } from 'vscode-languageserver';
import type { TextRange } from '../core/common/problem';
import { LineIndex, type ScriptFile } from '../core/scripts';

// ScriptFile objects are replaced on every edit, so the index of a stale text is collected with it.
const indexes = new WeakMap<ScriptFile, LineIndex>();

export function lineIndex(file: ScriptFile): LineIndex {
  let index = indexes.get(file);
  if (!index) indexes.set(file, (index = new LineIndex(file.text)));
  return index;
}

export function toRange(file: ScriptFile, r: TextRange): Range {
  const index = lineIndex(file);
  return { start: index.position(r.start), end: index.position(r.end) };
}

export function toOffset(file: ScriptFile, p: Position): number {
  return lineIndex(file).offset(p.line, p.character);
}
