import type { AlembicSession } from '../alembic/session';
import type { ProviderChoice, ProviderOptions, ThrowawayDatabase, ThrowawayServer } from '../postgres/types';
import type { DataDiff, ObjectKind, SchemaDiff } from '../schema/types';
import type { FileEdit } from '../squash/types';
import type { ProjectConfig } from '../project/types';

/** The phases of a verify, in the order they run (progress, timings, the task's terminal). */
export type VerifyPhase =
  | 'start'
  | 'migrate-chain'
  | 'migrate-squash'
  | 'capture'
  | 'compare'
  | 'downgrade'
  | 'cleanup';

export interface VerifyEvent {
  phase: VerifyPhase;
  status: 'begin' | 'end' | 'info';
  /** Milliseconds, on `end`. */
  ms?: number;
  /** On `end`: the phase threw (the error itself reaches the caller of verifySquash). */
  failed?: boolean;
  /** People's words, never containing a password. */
  message?: string;
}

/**
 * What is compared with the project's history on disk (the chain):
 * - `edits`: a squash not yet written (FileEdit[] from the squash engine), applied to a temporary copy;
 * - `versionLocations`: another history already on disk (e.g. a git worktree of a ref, or --candidate DIR).
 * The chain side may itself be given as `chainVersionLocations` (e.g. `--against-ref`: the ref's history is the chain).
 */
export type VerifyCandidate =
  | { kind: 'edits'; edits: FileEdit[] }
  | { kind: 'versionLocations'; versionLocations: string[] };

export interface VerifyOptions {
  project: ProjectConfig;
  /** The project's interpreter (found with core/alembic's findPython when not given). */
  python?: string;
  provider: ProviderOptions;
  /**
   * A server already running (kept warm by an editor session or a benchmark) to use instead of
   * starting one; it is not disposed, only the databases created on it are dropped.
   */
  server?: {
    server: ThrowawayServer;
    choice: ProviderChoice;
    /** The caller disposes the server as soon as verify returns: its databases go with it (except on a user's server, `url`). */
    disposedAfter?: boolean;
  };
  candidate: VerifyCandidate;
  /**
   * A database on `server` that a run of the chain (the project's own history) was already upgraded
   * into up to `to`, started early by the caller: it becomes side A instead of running the chain inside
   * verify (which downgrades it, unless `chainDowngraded` did). Never the database the candidate was
   * made from: two independent runs are what catch a chain whose rows differ from run to run. The
   * caller created it and drops it. Only with `server` and without `chainVersionLocations`.
   */
  chainDatabase?: ThrowawayDatabase;
  /**
   * Side A's downgrade, done early by the caller: a copy of `chainDatabase` made as soon as its upgrade
   * ended (`cloneDatabase`, before verify reads it), downgraded by the chain to `downgradeTo` while the
   * caller did other work. Verify compares it instead of downgrading `chainDatabase`; undefined (no copy
   * could be made) leaves the downgrade to verify. A failure counts as the chain's downgrade failing.
   * The caller created it and drops it; verify may drop its Alembic version table (left out of every
   * capture) to compare its catalogs with an empty database's.
   */
  chainDowngraded?: Promise<ThrowawayDatabase | undefined>;
  /**
   * Side A is downgraded only when the candidate's downgrade misses what a fresh upgrade to
   * `downgradeTo` gives: otherwise side A's downgrade cannot change the verdict, only add notes on
   * the history's own downgrade (lossy, or raising), moot for a squash that replaces the whole
   * history from base (the snapshot strategy's proof).
   */
  chainDowngradeWhenNeeded?: boolean;
  /**
   * Fresh databases on `server`, created by the caller ahead of time (while the machine waited for
   * something else): verify takes them, in order, before it creates any of its own, and drops them
   * with its own. Only with `server`.
   */
  spareDatabases?: Promise<ThrowawayDatabase>[];
  /**
   * The two Alembic drivers, started by the caller so their interpreters import Alembic while it works;
   * verify uses them for its sides and ends them.
   */
  sessions?: { chain: AlembicSession; squash: AlembicSession };
  /** Version locations of the chain side; default: the project's own. */
  chainVersionLocations?: string[];
  /** The squashed range's tip: both sides are migrated to it (default `heads`). */
  to?: string;
  /**
   * Where the downgrade check goes: the range's parent(s) (`base` for a range from base).
   * Undefined skips the downgrade check.
   */
  downgradeTo?: string;
  /** Tables whose rows are compared even when empty; by default every table the chain leaves non-empty. */
  seedTables?: string[];
  /**
   * Compare the project's models (env.py's target_metadata) with the squashed database at the tip,
   * with Alembic's autogenerate comparison. `strict` makes disagreements count as differences.
   */
  models?: boolean | 'strict';
  /** Extra environment variable names env.py reads the URL from. */
  urlEnvVars?: string[];
  signal?: AbortSignal;
  onEvent?: (event: VerifyEvent) => void;
  log?: (line: string) => void;
}

export interface DowngradeCheck {
  /**
   * Chain and squash are both upgraded to the tip and downgraded to `target`; each object of the
   * squash's downgrade must match the chain's downgrade or a fresh upgrade to `target` (the ideal).
   */
  target: string;
  /** Objects where the squash's downgrade matches neither (left: the chain's downgrade). */
  schema: SchemaDiff;
  /** Seed tables where the squash's downgrade matches neither. */
  data: DataDiff;
  /** Normalized schemas: the chain's downgrade, the squash's downgrade, and a fresh upgrade to `target`. */
  texts: { chain: string; squash: string; ideal: string };
}

/**
 * A fact about the project's history worth knowing, never a difference: where the chain's own
 * downgrade misses the ideal, or which seed columns were left out of the comparison.
 */
export interface HistoryNote {
  where: 'tip' | 'downgrade';
  /** An object kind, `seed data`, or `revision` (its downgrade raised). */
  kind: ObjectKind | 'seed data' | 'revision';
  name: string;
  /** The general statement (`your history's downgrade is lossy here (not caused by the squash)`). */
  message: string;
  /** The object's own fact, one line. */
  detail: string;
}

export interface VerifyResult {
  equal: boolean;
  schema: SchemaDiff;
  data: DataDiff;
  downgrade?: DowngradeCheck;
  /** The models against the squashed database, when asked for. */
  models?: ModelsCheck;
  /** Information, never a difference: lossy downgrades of the history, seed columns left out. */
  information: HistoryNote[];
  /** Normalized schema texts at the tip, for side-by-side diff editors. */
  texts: { chain: string; squash: string };
  /** Unified diff of the normalized schemas (empty when equal). */
  unifiedDiff: string;
  timings: Partial<Record<VerifyPhase, number>>;
  totalMs: number;
  provider: ProviderChoice & { description: string };
}

/** What autogenerate would still generate against the squashed database (the models and the schema disagree). */
export interface ModelsCheck {
  /** False when env.py sets no target_metadata. */
  available: boolean;
  differences: string[];
  /** Why the models could not be compared (e.g. an import in env.py failed). */
  error?: string;
  strict: boolean;
}
