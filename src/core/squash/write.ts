import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../common/alive';
import { applyChanges } from './edits';
import { FileChangedError, NoJournalError, UndoConflictError, WriteFailedError } from './errors';
import {
  ensureJournalDir,
  JOURNAL_FILE,
  journalFolders,
  newJournalFolder,
  putFile,
  readIfExists,
  readJournal,
  removeIfOnlyOurs,
  saveJournal,
  sha256,
  step,
  syncDir,
  tempName,
  writeDurable,
  type Journal,
  type JournalEntry,
} from './journal';
import type { FileEdit } from './types';

export type { Journal } from './journal';

/** The file operations the write uses; tests replace some to inject failures. */
export interface WriteOps {
  writeFile(file: string, data: string): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
}

const realOps: WriteOps = {
  writeFile: (f, d) => writeDurable(f, d),
  rename: (a, b) => {
    step();
    fs.renameSync(a, b);
  },
  unlink: (f) => {
    step();
    fs.unlinkSync(f);
  },
};

export interface ApplyEditsOptions {
  /** Folder for journals and backups, e.g. `<project>/.alembic-squash`. */
  journalDir: string;
  ops?: Partial<WriteOps>;
  /** Recorded in the journal for people reading it. */
  description?: string;
}

export interface ApplyResult {
  journalPath: string;
  written: string[];
  deleted: string[];
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

function missingDirs(dir: string, planned: string[]): void {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d) && !planned.includes(d); d = path.dirname(d)) missing.unshift(d);
  planned.push(...missing);
}

/** A journal written and fsynced before the folder is touched: the write's intent, and the way back. */
export interface PendingWrite {
  journalPath: string;
  journal: Journal;
  /** Final content of each touched path (`null` = removed). */
  state: Map<string, string | null>;
}

/**
 * Checks the disk still matches the edits, then writes the journal (backups of every old file, hashes
 * of the new ones, the temporary names) in state `pending` and fsyncs it. From here a kill at any
 * moment can be rolled back (`recoverJournals`); `completeWrite` or `abandonWrite` end it.
 */
export function beginWrite(edits: FileEdit[], options: Omit<ApplyEditsOptions, 'ops'>): PendingWrite {
  const state = targetState(edits);
  const originals = new Map<string, Buffer | undefined>();
  for (const file of state.keys()) originals.set(file, readIfExists(file));

  ensureJournalDir(options.journalDir);
  const folder = newJournalFolder(options.journalDir);
  step();
  fs.mkdirSync(folder);
  const entries: JournalEntry[] = [];
  const createdDirs: string[] = [];
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
      writeDurable(path.join(folder, entry.before.backup), before);
    }
    if (content !== null) missingDirs(path.dirname(file), createdDirs);
    // Reserved for the new content, and for the old one when it is put back: every temporary file
    // the write or an undo may leave is named in the journal.
    entry.temp = tempName(file);
    entries.push(entry);
  }
  const journal: Journal = {
    version: 2,
    state: 'pending',
    createdAt: new Date().toISOString(),
    pid: process.pid,
    description: options.description,
    entries,
    createdDirs,
  };
  const journalPath = saveJournal(folder, journal);
  syncDir(options.journalDir);
  return { journalPath, journal, state };
}

/** The write is in place: the journal stays, complete, for `squash --undo`. */
export function completeWrite(pending: PendingWrite): void {
  saveJournal(path.dirname(pending.journalPath), { ...pending.journal, state: 'complete' });
}

/**
 * The write did not happen or was put back by its writer (a cancel, a refused partial application):
 * the journal goes, once every file is as it was before. Otherwise it stays pending, for a roll back.
 */
export function abandonWrite(pending: PendingWrite): boolean {
  const untouched = pending.journal.entries.every((e) => {
    const now = readIfExists(e.path);
    return e.before.exists ? now !== undefined && sha256(now) === e.before.sha256 : now === undefined;
  });
  if (!untouched) return false;
  forget(pending.journalPath);
  return true;
}

/** Removes one journal (the squash it describes is gone) and the journal root when only ours is left. */
export function forget(journalPath: string): void {
  const folder = path.dirname(journalPath);
  fs.rmSync(journalPath, { force: true });
  fs.rmSync(folder, { recursive: true, force: true });
  removeIfOnlyOurs(path.dirname(folder));
}

/**
 * Applies the edits as one change. The journal is written and fsynced first (`beginWrite`); only then
 * are new contents written to temporary files beside their targets, renamed into place, and the
 * replaced files removed; last the journal is marked complete. A failure rolls everything back here;
 * a kill leaves a pending journal that the next command (or `squash --undo`) rolls back, so the folder
 * is always entirely old or entirely new.
 */
export function applyEdits(edits: FileEdit[], options: ApplyEditsOptions): ApplyResult {
  const ops: WriteOps = { ...realOps, ...options.ops };
  const pending = beginWrite(edits, options);
  const { journalPath, journal, state } = pending;
  const { entries, createdDirs } = journal;

  let current = '';
  try {
    for (const dir of createdDirs) {
      current = dir;
      step();
      fs.mkdirSync(dir);
    }
    for (const e of entries) {
      if (!e.after.exists) continue;
      current = e.path;
      ops.writeFile(e.temp!, state.get(e.path)!);
    }
    for (const e of entries) {
      if (!e.after.exists) continue;
      current = e.path;
      ops.rename(e.temp!, e.path);
    }
    for (const e of entries) {
      if (e.after.exists) continue;
      current = e.path;
      ops.unlink(e.path);
    }
    for (const dir of new Set(entries.map((e) => path.dirname(e.path)))) syncDir(dir);
  } catch (err) {
    let notRestored: string[] = [];
    try {
      notRestored = rollBack(journalPath, journal).notRestored;
    } catch (rollbackError) {
      notRestored = rollbackError instanceof UndoConflictError ? rollbackError.paths : entries.map((e) => e.path);
    }
    throw new WriteFailedError(current, err, notRestored);
  }
  completeWrite(pending);
  return {
    journalPath,
    written: [...state].filter(([, c]) => c !== null).map(([f]) => f),
    deleted: [...state].filter(([, c]) => c === null).map(([f]) => f),
  };
}

/**
 * Puts every file of a journal back as it was before the squash (byte for byte) and removes the
 * journal. Idempotent: a file already back is left alone, so an interrupted undo simply runs again.
 * Refuses (touching nothing) when a file holds neither its old nor its new content: someone edited it.
 */
function rollBack(journalPath: string, journal: Journal): { restored: string[]; notRestored: string[] } {
  const folder = path.dirname(journalPath);
  const conflicts: string[] = [];
  for (const e of journal.entries) {
    const now = readIfExists(e.path);
    const nowSha = now === undefined ? undefined : sha256(now);
    const isAfter = e.after.exists ? nowSha === e.after.sha256 : now === undefined;
    const isBefore = e.before.exists ? nowSha === e.before.sha256 : now === undefined;
    if (!isAfter && !isBefore) conflicts.push(e.path);
  }
  if (conflicts.length) throw new UndoConflictError(conflicts);
  if (journal.state === 'complete') saveJournal(folder, { ...journal, state: 'undoing' });
  const notRestored: string[] = [];
  // Old files first, removals last: an interrupted rollback never loses a replaced file.
  for (const e of journal.entries) {
    if (!e.before.exists) continue;
    const now = readIfExists(e.path);
    if (now !== undefined && sha256(now) === e.before.sha256) continue;
    try {
      putFile(e.path, fs.readFileSync(path.join(folder, e.before.backup!)), e.temp);
    } catch {
      notRestored.push(e.path);
    }
  }
  for (const e of journal.entries) {
    if (e.temp && fs.existsSync(e.temp)) putFile(e.temp, undefined);
    if (!e.before.exists) putFile(e.path, undefined);
  }
  for (const dir of [...journal.createdDirs].reverse()) {
    try {
      step();
      fs.rmdirSync(dir);
    } catch {
      // not empty (someone put files there) or already gone
    }
  }
  for (const dir of new Set(journal.entries.map((e) => path.dirname(e.path)))) if (fs.existsSync(dir)) syncDir(dir);
  if (notRestored.length) return { restored: [], notRestored };
  // The journal file goes first: a folder without one means "nothing left to do".
  step();
  fs.rmSync(journalPath, { force: true });
  fs.rmSync(folder, { recursive: true, force: true });
  removeIfOnlyOurs(path.dirname(folder));
  return { restored: journal.entries.map((e) => e.path), notRestored };
}

/** The newest journal in `journalDir` (complete or not), or undefined. */
export function lastJournal(journalDir: string): string | undefined {
  const folders = journalFolders(journalDir).filter((d) => fs.existsSync(path.join(d, JOURNAL_FILE)));
  const last = folders[folders.length - 1];
  return last ? path.join(last, JOURNAL_FILE) : undefined;
}

/** Restores the state before the squash byte for byte, whether the write completed or was interrupted. */
export function undo(journalPath: string): { restored: string[]; state: Journal['state'] } {
  const journal = readJournal(journalPath);
  const { restored, notRestored } = rollBack(journalPath, journal);
  if (notRestored.length) throw new WriteFailedError(notRestored[0]!, new Error('could not restore'), notRestored);
  return { restored, state: journal.state };
}

export function undoLast(journalDir: string): { restored: string[]; journalPath: string; state: Journal['state'] } {
  const journalPath = lastJournal(journalDir);
  if (!journalPath) throw new NoJournalError(journalDir);
  return { ...undo(journalPath), journalPath };
}

export interface Recovery {
  journal: string;
  /** rolled-back: a squash was interrupted mid-write and undone; undo-finished: an interrupted undo was completed; discarded: the write had not touched any file yet. */
  action: 'rolled-back' | 'undo-finished' | 'discarded';
  description?: string;
  files: string[];
}

/**
 * The journal folders a recovery looks at, oldest first: the unfinished ones (pending or undoing, and
 * not being written by a live process right now) with their journal, and those without a journal file
 * (killed while writing backups, before the folder was touched). Complete journals are left out.
 */
function unfinished(journalDir: string, skip: (journalFolder: string) => boolean): { folder: string; journal?: Journal }[] {
  const out: { folder: string; journal?: Journal }[] = [];
  for (const folder of journalFolders(journalDir)) {
    if (skip(folder)) continue;
    const file = path.join(folder, JOURNAL_FILE);
    if (!fs.existsSync(file)) {
      out.push({ folder });
      continue;
    }
    const journal = readJournal(file);
    if (journal.state !== 'complete' && !stillWriting(journal)) out.push({ folder, journal });
  }
  return out;
}

/**
 * Finishes what a killed squash or undo left: a pending journal is rolled back (the folder returns
 * entirely to its old state), an interrupted undo is completed, a journal folder without a journal
 * file (killed while writing backups, before the folder was touched) is removed. Complete journals
 * stay for `squash --undo`. Throws UndoConflictError when a file was edited since (nothing touched).
 */
export function recoverJournals(journalDir: string, skip: (journalFolder: string) => boolean = () => false): Recovery[] {
  const out: Recovery[] = [];
  for (const { folder, journal } of unfinished(journalDir, skip)) {
    if (!journal) {
      fs.rmSync(folder, { recursive: true, force: true });
      out.push({ journal: folder, action: 'discarded', files: [] });
      continue;
    }
    const { restored } = undo(path.join(folder, JOURNAL_FILE));
    out.push({ journal: folder, action: journal.state === 'pending' ? 'rolled-back' : 'undo-finished', description: journal.description, files: restored });
  }
  if (out.length) removeIfOnlyOurs(journalDir);
  return out;
}

/** A write or undo another live process is doing right now (another terminal): not ours to roll back. */
function stillWriting(journal: Journal): boolean {
  return journal.pid !== process.pid && isAlive(journal.pid);
}

export interface Interrupted {
  journal: string;
  /** pending: a squash stopped mid-write; undoing: an undo stopped midway. */
  state: 'pending' | 'undoing';
  description?: string;
  createdAt: string;
  files: string[];
}

/**
 * The writes a killed process left unfinished, read only: what `recoverJournals` would roll back or
 * finish (a folder without a journal file touched nothing and is not listed).
 */
export function interruptedJournals(journalDir: string, skip: (journalFolder: string) => boolean = () => false): Interrupted[] {
  let found: ReturnType<typeof unfinished>;
  try {
    found = unfinished(journalDir, skip);
  } catch {
    // A journal that cannot be read is for the recovery to report (it says what to do), not for a listing.
    return [];
  }
  return found.flatMap(({ folder, journal }) =>
    journal ? [{ journal: folder, state: journal.state as Interrupted['state'], description: journal.description, createdAt: journal.createdAt, files: journal.entries.map((e) => e.path) }] : [],
  );
}
