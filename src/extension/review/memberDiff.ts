/**
 * Per-member diff for the review screen (no vscode): a replaced revision's upgrade()/downgrade()
 * bodies against the block the squash carries for it. The blocks are found by the marker comments
 * the ops renderer writes (`# --- <revision>: <message> ---`), one per member in each function.
 */
import { diffLines } from 'diff';
import { dedent, indent, type MigrationFile } from '../../core/parse';

export interface MemberText {
  upgrade: string;
  downgrade: string;
}

/** One row of a side-by-side diff; a side is absent where the other side has a line of its own. */
export interface DiffRow {
  kind: 'same' | 'removed' | 'added' | 'changed';
  left?: { line: number; text: string };
  right?: { line: number; text: string };
}

export interface MemberDiff {
  revision: string;
  rows: DiffRow[];
  added: number;
  removed: number;
  /** False when the squashed file has no block for this revision (e.g. another strategy). */
  found: boolean;
}

const MARKER = '# --- ';

/** The squashed file's blocks by revision (dedented), for upgrade() and downgrade(). */
export function squashedBlocks(text: string): Map<string, MemberText> {
  const out = new Map<string, MemberText>();
  let fn: keyof MemberText | undefined;
  let current: { revision: string; lines: string[] } | undefined;
  const flush = () => {
    if (!current || !fn) return;
    const entry = out.get(current.revision) ?? { upgrade: '', downgrade: '' };
    entry[fn] = dedent(current.lines.join('\n')).trimEnd();
    out.set(current.revision, entry);
    current = undefined;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('def ')) {
      flush();
      fn = line.startsWith('def upgrade') ? 'upgrade' : line.startsWith('def downgrade') ? 'downgrade' : undefined;
      continue;
    }
    const trimmed = line.trimStart();
    if (fn && trimmed.startsWith(MARKER) && trimmed.includes(':')) {
      flush();
      current = { revision: trimmed.slice(MARKER.length, trimmed.indexOf(':')).trim(), lines: [] };
      continue;
    }
    if (current) {
      // Column-0 code after the functions ends the last block.
      if (line.length && !line.startsWith(' ') && !line.startsWith('\t') && !line.startsWith('#')) flush();
      else current.lines.push(line);
    }
  }
  flush();
  return out;
}

/** The member's own bodies, laid out like the squashed block pair. */
export function memberText(file: MigrationFile | undefined): MemberText {
  return { upgrade: (file?.upgrade?.body ?? '').trimEnd(), downgrade: (file?.downgrade?.body ?? '').trimEnd() };
}

// An empty side says so (e.g. a squash whose downgrade() only raises carries no member's downgrade).
const body = (text: string) => indent(text || '# (nothing for this revision here)', '    ');
const layout = (t: MemberText) => `def upgrade():\n${body(t.upgrade)}\n\ndef downgrade():\n${body(t.downgrade)}\n`;

/** Side-by-side rows: runs of removed lines next to the added lines that follow them are `changed`. */
export function memberDiff(revision: string, original: MemberText, squashed: MemberText | undefined): MemberDiff {
  const parts = diffLines(layout(original), layout(squashed ?? { upgrade: '', downgrade: '' }));
  const rows: DiffRow[] = [];
  let l = 1;
  let r = 1;
  let added = 0;
  let removed = 0;
  const lines = (v: string) => v.replace(/\n$/, '').split('\n');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!p.added && !p.removed) {
      for (const t of lines(p.value)) rows.push({ kind: 'same', left: { line: l++, text: t }, right: { line: r++, text: t } });
      continue;
    }
    if (p.removed) {
      const gone = lines(p.value);
      const next = parts[i + 1];
      const came = next?.added ? lines(next.value) : [];
      if (next?.added) i++;
      removed += gone.length;
      added += came.length;
      for (let k = 0; k < Math.max(gone.length, came.length); k++) {
        const a = gone[k];
        const b = came[k];
        rows.push({
          kind: a !== undefined && b !== undefined ? 'changed' : a !== undefined ? 'removed' : 'added',
          ...(a !== undefined ? { left: { line: l++, text: a } } : {}),
          ...(b !== undefined ? { right: { line: r++, text: b } } : {}),
        });
      }
      continue;
    }
    for (const t of lines(p.value)) {
      rows.push({ kind: 'added', right: { line: r++, text: t } });
      added++;
    }
  }
  return { revision, rows, added, removed, found: squashed !== undefined };
}

/** Both sides as text, for VS Code's diff editor on one member. */
export function memberDiffTexts(original: MemberText, squashed: MemberText | undefined): { left: string; right: string } {
  return { left: layout(original), right: layout(squashed ?? { upgrade: '', downgrade: '' }) };
}
