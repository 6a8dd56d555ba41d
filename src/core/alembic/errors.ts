/** The interpreter cannot run Alembic: missing interpreter, or `import alembic` fails in it. */
export class AlembicUnavailableError extends Error {
  override readonly name = 'AlembicUnavailableError';
  constructor(
    readonly python: string,
    /** What happened, e.g. `No module named 'alembic'` or `spawn /x/python ENOENT`. */
    readonly reason: string,
  ) {
    super(
      `Alembic is not importable with ${python}: install it in that environment (pip install alembic) ` +
        `or choose the interpreter with --python (${reason})`,
    );
  }
}

/** A migration raised while Alembic ran it; points at the line in the revision file. */
export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  constructor(
    /** The revision id of the failing file; undefined only when the file could not even be read. */
    readonly revision: string | undefined,
    readonly file: string,
    readonly line: number,
    /** The end of the Python traceback (passwords masked). */
    readonly traceback: string,
    /** The Python exception's type and message, e.g. `ProgrammingError`, `relation "x" does not exist`. */
    readonly errorType: string,
    readonly errorMessage: string,
    /** Set when the migration imports a module the interpreter cannot find (`app` of `from app.models import X`). */
    readonly missingModule?: string,
    /** The interpreter that ran it. */
    readonly python?: string,
  ) {
    super(`Revision ${revision ?? '?'} failed at ${file}:${line}: ${errorType}: ${firstLine(errorMessage)}`);
  }
}

/** Alembic failed outside any revision file (env.py, configuration, unknown revision, ...). */
export class AlembicCommandError extends Error {
  override readonly name = 'AlembicCommandError';
  constructor(
    /** `config` | `usage` | `alembic` | `protocol` (the driver gave no readable answer). */
    readonly kind: string,
    message: string,
    readonly traceback?: string,
    readonly errorType?: string,
  ) {
    super(message);
  }

  /** Set when env.py (or project code beside it) imports a module the interpreter cannot find. */
  missingModule?: string;
  python?: string;
  /** Where that import is, when it is in the project's folder. */
  file?: string;
  line?: number;
}

/** The run was cancelled through its AbortSignal; the Python process group was killed. */
export class AlembicAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('Alembic run cancelled');
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
