import type { TextRange } from '../common/problem';

/** How the new revision is identified: keep the tip's id (default), a fresh one, or one given. */
export type RevisionIdPolicy = 'tip' | 'new' | { explicit: string };

export interface SquashOptions {
  /** `'tip'` (default), `'new'`, or an explicit id. */
  revisionId?: 'tip' | 'new' | string;
  /** Message of the new revision; defaults to `squash <first>..<tip>`. */
  message?: string;
  /** What to write when a member has no usable downgrade(). Default `'raise'`. */
  partialDowngrade?: 'raise' | 'comment';
  /** Move replaced files into this folder (absolute or relative to their version location) instead of deleting them. */
  archiveDir?: string;
  /** Create Date of the new revision (tests pin it); defaults to now. */
  createDate?: Date;
  /** false: no optimizer rules (`--no-optimize`). Default true. */
  optimize?: boolean;
}

/** One revision that the squash replaces. */
export interface SquashMember {
  revision: string;
  path: string;
  message: string;
  downRevisions: string[];
  dependencies: string[];
  branchLabels: string[];
}

/** A revision outside the range that points at the tip, and must follow an id change. */
export interface OutsideChild {
  revision: string;
  path: string;
  via: ('down_revision' | 'depends_on')[];
}

export interface SquashPlan {
  /** REV texts as given. */
  from: string;
  to: string;
  /** True when the range starts at base (its roots have no parents). */
  fromBase: boolean;
  /** Topological order, oldest first; the tip is last. */
  members: SquashMember[];
  tip: string;
  roots: string[];
  /** The roots' outside parents: the new revision's down_revision. */
  downRevisions: string[];
  /** depends_on of members pointing outside the range, de-duplicated, minus ones already implied. */
  dependencies: string[];
  /** depends_on entries not kept, and why. */
  droppedDependencies: { revision: string; dependency: string; reason: 'inside-range' | 'implied' | 'duplicate' }[];
  branchLabels: string[];
  children: OutsideChild[];
  /** The id the new revision carries. */
  newRevision: string;
  idChanged: boolean;
  message: string;
  /** The folder the new file goes to (the tip's). */
  directory: string;
  /** Ancestry facts the stamp advice needs, computed from the graph when planning. */
  context: {
    /** Ancestors of the range (strictly before its roots). */
    ancestors: string[];
    /** Descendants of the tip (through down_revision and depends_on). */
    descendants: string[];
    /** Every revision id of the history before the squash. */
    known: string[];
  };
  options: Required<Pick<SquashOptions, 'partialDowngrade'>> & Omit<SquashOptions, 'partialDowngrade'>;
}

export type StatementKind =
  | 'schema'
  | 'raw-sql-ddl'
  | 'raw-sql-dml'
  | 'raw-sql-unknown'
  | 'data'
  | 'external'
  | 'control'
  | 'other';

export interface ClassifiedStatement {
  revision: string;
  fn: 'upgrade' | 'downgrade';
  kind: StatementKind;
  /** First line of the statement, for reports. */
  summary: string;
  /** What its SQL does, from PostgreSQL's parser (`UPDATE phenopackets`), when it runs literal SQL. */
  what?: string;
  /** For `control`: the strongest kind found inside the block. */
  contains?: StatementKind;
  /** For `external`: the project-code names called. */
  externalNames?: string[];
}

export interface RenameRecord {
  revision: string;
  from: string;
  to: string;
  what: 'helper' | 'import';
}

export interface RenderResult {
  text: string;
  fileName: string;
  renderedWith: 'project-template' | 'builtin';
  /** Why the built-in rendering was used. */
  builtinReason?: string;
  classification: ClassifiedStatement[];
  /** Members lacking a usable downgrade() (none, or one that only raises NotImplementedError). */
  partialDowngrade: string[];
  /** Members whose downgrade() is a no-op (`pass`) while their upgrade() does something: carried as such. */
  noOpDowngrades: string[];
  /** Statements the optimizer removed from upgrade(), each with its rule. */
  optimizations: import('./optimize').Optimization[];
  /** Imports of the project's own code in the members (carried, so the squash runs today's code). */
  projectImports: { revision: string; path: string; module: string; line: number }[];
  renames: RenameRecord[];
  droppedHelpers: { revision: string; names: string[] }[];
  /** Hooks that formatted the file. */
  hooksRun: string[];
  /** Hooks that could not run, failed or broke the file (each also in `warnings`); the file is written without them. */
  hookProblems: string[];
  /** Set when the project's post_write_hooks were deliberately not run (e.g. "--dry-run", "--no-hooks"). */
  hooksSkipped?: string;
  warnings: string[];
}

export type FileEdit =
  | { kind: 'create'; path: string; text: string }
  | { kind: 'delete'; path: string; expectedText: string }
  | { kind: 'move'; from: string; to: string; expectedText: string }
  | { kind: 'modify'; path: string; expectedText: string; changes: { range: TextRange; newText: string }[] };
