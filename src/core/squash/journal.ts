import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The write-ahead journal of a squash. It is written and fsynced BEFORE the folder is touched: the
 * old content of every file (as a backup), the hash of its new content, the temporary files and
 * folders the write may create. A kill at any moment therefore leaves either no journal (nothing was
 * touched) or a journal from which the folder can be put back as it was, byte for byte.
 *
 * States: `pending` (the write may be half done), `complete` (the squash is in place; undo restores
 * it), `undoing` (an undo may be half done). Any command that finds a `pending` journal rolls it back;
 * an `undoing` one is finished.
 */
export type JournalState = 'pending' | 'complete' | 'undoing';

export interface JournalEntry {
  path: string;
  before: { exists: boolean; sha256?: string; backup?: string };
  after: { exists: boolean; sha256?: string };
  /** Temporary file in the target folder that holds the new content until it is renamed into place. */
  temp?: string;
}

export interface Journal {
  version: 2;
  state: JournalState;
  createdAt: string;
  pid: number;
  description?: string;
  entries: JournalEntry[];
  /** Folders the write creates (outermost first); removed again when empty on undo. */
  createdDirs: string[];
}

export const JOURNAL_FILE = 'journal.json';

/** Where squashes keep their journals (and the originals' backups): beside the project's config. */
export function journalDirOf(here: string): string {
  return path.join(here, '.alembic-squash');
}
const IGNORE_TEXT = '# written by alembic-squash: journals of squashes, for `alembic-squash squash --undo`\n*\n';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Fault injection for the reliability campaign: `ALEMBIC_SQUASH_FAULT_AT=N[:SIGNAL]` sends SIGNAL
 * (default SIGKILL) to this process just before its N-th file-system step (1-based) of a write or an
 * undo; `ALEMBIC_SQUASH_FAULT_AT=end:SIGNAL` sends it right after the write returned (see
 * `faultAfterWrite`). Unset, it costs one comparison per step.
 */
const fault = (() => {
  const spec = process.env.ALEMBIC_SQUASH_FAULT_AT;
  if (!spec) return undefined;
  const [n, signal] = spec.split(':');
  return { at: n === 'end' ? -1 : Number(n), signal: (signal || 'SIGKILL') as NodeJS.Signals };
})();

/** The `end` fault: a signal that arrives once the write is done and its signals are no longer held. */
export function faultAfterWrite(): void {
  if (fault?.at === -1) process.kill(process.pid, fault.signal);
}
let stepCount = 0;

/** Marks one file-system step (a write, rename, unlink, mkdir or rmdir) for fault injection. */
export function step(): void {
  stepCount++;
  if (fault && stepCount === fault.at) process.kill(process.pid, fault.signal);
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the data itself was synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes a file and forces it to disk before returning. */
export function writeDurable(file: string, data: string | Buffer): void {
  step();
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function syncDir(dir: string): void {
  fsyncPath(dir);
}

export function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Replaces `file` with `content` (or removes it) atomically: temp file, fsync, rename. */
export function putFile(file: string, content: Buffer | undefined, temp = tempName(file)): void {
  if (content === undefined) {
    if (fs.existsSync(file)) {
      step();
      fs.rmSync(file, { force: true });
    }
    return;
  }
  writeDurable(temp, content);
  step();
  fs.renameSync(temp, file);
}

/** Saves the journal atomically (temp + fsync + rename + fsync of the folder). */
export function saveJournal(folder: string, journal: Journal): string {
  const file = path.join(folder, JOURNAL_FILE);
  const tmp = `${file}.tmp`;
  writeDurable(tmp, JSON.stringify(journal, null, 2));
  step();
  fs.renameSync(tmp, file);
  syncDir(folder);
  return file;
}

/** Reads a journal; version-1 journals (written after the fact) count as complete. */
export function readJournal(file: string): Journal {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Journal> & { version: number };
  return {
    version: 2,
    state: raw.state ?? 'complete',
    createdAt: raw.createdAt ?? '',
    pid: raw.pid ?? 0,
    description: raw.description,
    entries: raw.entries ?? [],
    createdDirs: raw.createdDirs ?? [],
  };
}

export function newJournalFolder(journalDir: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(journalDir, `journal-${stamp}-${randomBytes(3).toString('hex')}`);
}

/** Creates the journal root with a .gitignore: journals are the user's safety net, not project files. */
export function ensureJournalDir(journalDir: string): void {
  if (!fs.existsSync(journalDir)) fs.mkdirSync(journalDir, { recursive: true });
  const ignore = path.join(journalDir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, IGNORE_TEXT);
}

/** After the last journal is gone the root holds only our .gitignore: remove both, as before the squash. */
export function removeIfOnlyOurs(journalDir: string): void {
  try {
    const left = fs.readdirSync(journalDir);
    if (left.length === 0 || (left.length === 1 && left[0] === '.gitignore' && fs.readFileSync(path.join(journalDir, '.gitignore'), 'utf8') === IGNORE_TEXT)) {
      fs.rmSync(journalDir, { recursive: true, force: true });
    }
  } catch {
    // already gone
  }
}

/** Journal folders in `journalDir`, oldest first (their names sort by time). */
export function journalFolders(journalDir: string): string[] {
  if (!fs.existsSync(journalDir)) return [];
  return fs
    .readdirSync(journalDir)
    .filter((d) => d.startsWith('journal-'))
    .sort()
    .map((d) => path.join(journalDir, d));
}
