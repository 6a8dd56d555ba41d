/** Typed failures of the squash engine; words for users are made at the edges from these fields. */

export class SquashError extends Error {
  constructor(
    readonly code:
      | 'branch-label-clash'
      | 'invalid-revision-id'
      | 'render-failed'
      | 'file-changed'
      | 'write-failed'
      | 'undo-conflict'
      | 'no-journal'
      | 'missing-file',
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Two members (or a member and an outside revision) carry the same branch label. */
export class BranchLabelClashError extends SquashError {
  constructor(
    readonly label: string,
    readonly revisions: string[],
  ) {
    super('branch-label-clash', `Branch label '${label}' is carried by several revisions: ${revisions.join(', ')}`);
  }
}

export class InvalidRevisionIdError extends SquashError {
  constructor(
    readonly revisionId: string,
    readonly reason: 'characters' | 'exists' | 'empty',
  ) {
    super(
      'invalid-revision-id',
      reason === 'exists'
        ? `Revision id '${revisionId}' is already used by another revision`
        : reason === 'empty'
          ? 'The revision id is empty'
          : `Revision id '${revisionId}' may only contain letters, digits and underscores`,
    );
  }
}

/**
 * The rendered file does not parse or compile: a bug in the engine, reported with the text so it
 * can be filed; nothing is written.
 */
export class RenderFailedError extends SquashError {
  constructor(
    readonly stage: 'parse' | 'compile' | 'template' | 'hook',
    readonly details: string,
    readonly text: string,
    /** 1-based line of `text` where parsing or compiling failed, when known. */
    readonly line?: number,
  ) {
    super('render-failed', `The squashed file failed to ${stage === 'parse' ? 'parse' : stage === 'compile' ? 'compile' : `render (${stage})`}: ${details}`);
  }
}

/** A file changed since the squash was planned (or does not exist / already exists). */
export class FileChangedError extends SquashError {
  constructor(
    readonly paths: string[],
    readonly why: 'changed' | 'missing' | 'exists',
  ) {
    super(
      'file-changed',
      why === 'exists'
        ? `Refusing to overwrite existing file(s): ${paths.join(', ')}`
        : why === 'missing'
          ? `File(s) disappeared since the squash was planned: ${paths.join(', ')}`
          : `File(s) changed since the squash was planned: ${paths.join(', ')}`,
    );
  }
}

/** The write failed midway; every file was put back. */
export class WriteFailedError extends SquashError {
  constructor(
    readonly path: string,
    readonly failure: unknown,
    /** Paths that could not be restored (empty when the rollback succeeded). */
    readonly notRestored: string[],
  ) {
    super(
      'write-failed',
      `Writing ${path} failed (${failure instanceof Error ? failure.message : String(failure)}); ` +
        (notRestored.length ? `could NOT restore: ${notRestored.join(', ')}` : 'every file was restored'),
    );
  }
}

/** Undo refused: files changed since the squash. */
export class UndoConflictError extends SquashError {
  constructor(readonly paths: string[]) {
    super('undo-conflict', `Cannot undo: file(s) changed since the squash: ${paths.join(', ')}`);
  }
}

export class NoJournalError extends SquashError {
  constructor(readonly folder: string) {
    super('no-journal', `No squash to undo in ${folder}`);
  }
}
