import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyChanges } from './edits';
import { FileChangedError, NoJournalError, UndoConflictError, WriteFailedError } from './errors';
import type { FileEdit } from './types';

/** The file operations the write uses; tests replace some to inject failures. */
export interface WriteOps {
  writeFile(file: string, data: string): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
}

const realOps: WriteOps = {
  writeFile: (f, d) => fs.writeFileSync(f, d),
  rename: (a, b) => fs.renameSync(a, b),
  unlink: (f) => fs.unlinkSync(f),
};

export interface ApplyEditsOptions {
  /** Folder for journals and backups, e.g. `<script_location>/.alembic-squash`. */
  journalDir: string;
  ops?: Partial<WriteOps>;
  /** Recorded in the journal for people reading it. */
  description?: string;
}

interface JournalEntry {
  path: string;
  before: { exists: boolean; sha256?: string; backup?: string };
  after: { exists: boolean; sha256?: string };
}

export interface Journal {
  version: 1;
  createdAt: string;
  description?: string;
  entries: JournalEntry[];
  createdDirs: string[];
}

export interface ApplyResult {
  journalPath: string;
  written: string[];
  deleted: string[];
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Final content of each touched path (`null` = removed), after checking the disk still matches the plan. */
function targetState(edits: FileEdit[]): Map<string, string | null> {
  const state = new Map<string, string | null>();
  const changed: string[] = [];
  const missing: string[] = [];
  const existing: string[] = [];
  const expect = (file: string, text: string) => {
    const current = readIfExists(file);
    if (current === undefined) missing.push(file);
    else if (current.toString('utf8') !== text || !current.equals(Buffer.from(text, 'utf8'))) changed.push(file);
  };
  const mustBeFree = (file: string) => {
    if (fs.existsSync(file) && !state.has(path.resolve(file))) existing.push(file);
  };
  for (const e of edits) {
    if (e.kind === 'delete') {
      expect(e.path, e.expectedText);
      state.set(path.resolve(e.path), null);
    } else if (e.kind === 'move') {
      expect(e.from, e.expectedText);
      state.set(path.resolve(e.from), null);
    } else if (e.kind === 'modify') {
      expect(e.path, e.expectedText);
      state.set(path.resolve(e.path), applyChanges(e.expectedText, e.changes));
    }
  }
  for (const e of edits) {
    if (e.kind === 'create') {
      mustBeFree(e.path);
      state.set(path.resolve(e.path), e.text);
    } else if (e.kind === 'move') {
      mustBeFree(e.to);
      state.set(path.resolve(e.to), e.expectedText);
    }
  }
  if (changed.length) throw new FileChangedError(changed, 'changed');
  if (missing.length) throw new FileChangedError(missing, 'missing');
  if (existing.length) throw new FileChangedError(existing, 'exists');
  return state;
}

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
}

function ensureDir(dir: string, created: string[]): void {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    fs.mkdirSync(d);
    created.push(d);
  }
}

/** Puts `content` (or absence) at `file` with the real file system, atomically when writing. */
function restore(file: string, content: Buffer | undefined): void {
  if (content === undefined) {
    fs.rmSync(file, { force: true });
    return;
  }
  const tmp = tempName(file);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * Applies the edits as one change: every file is checked against the text it was planned from,
 * new contents go to temporary files in the same folders and are then renamed into place; on any
 * failure everything is put back. A journal with backups makes `undoLast` possible.
 */
export function applyEdits(edits: FileEdit[], options: ApplyEditsOptions): ApplyResult {
  const ops: WriteOps = { ...realOps, ...options.ops };
  const state = targetState(edits);
  const originals = new Map<string, Buffer | undefined>();
  for (const file of state.keys()) originals.set(file, readIfExists(file));

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const journalFolder = path.join(options.journalDir, `journal-${stamp}-${randomBytes(3).toString('hex')}`);
  const createdDirs: string[] = [];
  ensureDir(journalFolder, []);
  const entries: JournalEntry[] = [];
  let n = 0;
  for (const [file, content] of state) {
    const before = originals.get(file);
    const entry: JournalEntry = {
      path: file,
      before: { exists: before !== undefined },
      after: content === null ? { exists: false } : { exists: true, sha256: sha256(Buffer.from(content, 'utf8')) },
    };
    if (before !== undefined) {
      entry.before.sha256 = sha256(before);
      entry.before.backup = `backup-${n++}-${path.basename(file)}`;
      fs.writeFileSync(path.join(journalFolder, entry.before.backup), before);
    }
    entries.push(entry);
  }

  const temps = new Map<string, string>();
  const done: string[] = [];
  let current = '';
  try {
    for (const [file, content] of state) {
      if (content === null) continue;
      current = file;
      ensureDir(path.dirname(file), createdDirs);
      const tmp = tempName(file);
      temps.set(file, tmp);
      ops.writeFile(tmp, content);
    }
    for (const [file, tmp] of temps) {
      current = file;
      ops.rename(tmp, file);
      temps.delete(file);
      done.push(file);
    }
    for (const [file, content] of state) {
      if (content !== null) continue;
      current = file;
      ops.unlink(file);
      done.push(file);
    }
  } catch (err) {
    const notRestored: string[] = [];
    for (const tmp of temps.values()) fs.rmSync(tmp, { force: true });
    for (const file of done) {
      try {
        restore(file, originals.get(file));
      } catch {
        notRestored.push(file);
      }
    }
    for (const dir of createdDirs.reverse()) fs.rmSync(dir, { recursive: false, force: true });
    fs.rmSync(journalFolder, { recursive: true, force: true });
    throw new WriteFailedError(current, err, notRestored);
  }

  const journal: Journal = { version: 1, createdAt: new Date().toISOString(), description: options.description, entries, createdDirs };
  const journalPath = path.join(journalFolder, 'journal.json');
  fs.writeFileSync(journalPath, JSON.stringify(journal, null, 2));
  // Journals and backups are the user's safety net, not project files: keep them out of version control.
  const ignore = path.join(options.journalDir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, IGNORE_TEXT);
  return {
    journalPath,
    written: [...state].filter(([, c]) => c !== null).map(([f]) => f),
    deleted: [...state].filter(([, c]) => c === null).map(([f]) => f),
  };
}

/** The newest journal in `journalDir`, or undefined. */
export function lastJournal(journalDir: string): string | undefined {
  if (!fs.existsSync(journalDir)) return undefined;
  const folders = fs
    .readdirSync(journalDir)
    .filter((d) => d.startsWith('journal-') && fs.existsSync(path.join(journalDir, d, 'journal.json')))
    .sort();
  const last = folders[folders.length - 1];
  return last ? path.join(journalDir, last, 'journal.json') : undefined;
}

const IGNORE_TEXT = '# written by alembic-squash: journals of squashes, for `alembic-squash squash --undo`\n*\n';

/** After the last undo the journal folder holds only the .gitignore we wrote: remove both, as before the squash. */
function removeIfOnlyOurs(journalDir: string): void {
  try {
    const left = fs.readdirSync(journalDir);
    if (left.length === 1 && left[0] === '.gitignore' && fs.readFileSync(path.join(journalDir, '.gitignore'), 'utf8') === IGNORE_TEXT) {
      fs.rmSync(journalDir, { recursive: true, force: true });
    }
  } catch {
    // already gone
  }
}

/** Restores the state before the squash byte for byte; refuses (naming them) when files changed since. */
export function undo(journalPath: string): { restored: string[] } {
  const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as Journal;
  const folder = path.dirname(journalPath);
  const conflicts: string[] = [];
  for (const e of journal.entries) {
    const now = readIfExists(e.path);
    const ok = e.after.exists ? now !== undefined && sha256(now) === e.after.sha256 : now === undefined;
    if (!ok) conflicts.push(e.path);
  }
  if (conflicts.length) throw new UndoConflictError(conflicts);
  const backups = new Map<string, Buffer | undefined>();
  for (const e of journal.entries) backups.set(e.path, e.before.backup ? fs.readFileSync(path.join(folder, e.before.backup)) : undefined);
  // Restore files first, removals last, so an interrupted undo never loses a replaced file.
  for (const e of journal.entries) if (e.before.exists) restore(e.path, backups.get(e.path));
  for (const e of journal.entries) if (!e.before.exists) restore(e.path, undefined);
  for (const dir of [...journal.createdDirs].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // not empty: someone put files there
    }
  }
  fs.rmSync(folder, { recursive: true, force: true });
  removeIfOnlyOurs(path.dirname(folder));
  return { restored: journal.entries.map((e) => e.path) };
}

export function undoLast(journalDir: string): { restored: string[]; journalPath: string } {
  const journalPath = lastJournal(journalDir);
  if (!journalPath) throw new NoJournalError(journalDir);
  return { ...undo(journalPath), journalPath };
}
