import type { Problem, TextRange } from '../common/problem';

/** The module-level names Alembic reads from a revision file. */
export type HeaderName = 'revision' | 'down_revision' | 'branch_labels' | 'depends_on';

/** A header value as written; never guessed. */
export type HeaderValue =
  | { kind: 'none' }
  | { kind: 'string'; value: string }
  /** A tuple or list of strings (`()` and `[]` give an empty list). */
  | { kind: 'sequence'; values: string[]; form: 'tuple' | 'list' }
  /** Anything that is not a literal (a name, an attribute, a call, an error node): reported, not trusted. */
  | { kind: 'unresolved'; text: string };

export interface HeaderAssignment {
  name: HeaderName;
  value: HeaderValue;
  /** The whole statement (`down_revision: str = 'abc'`), used to rewrite it. */
  range: TextRange;
  /** Just the value expression (`'abc'`, `('a', 'b')`, `None`). */
  valueRange: TextRange;
  /** For string values: the range of each string literal, quotes included, in order of `values`. */
  itemRanges: TextRange[];
  /** The type annotation text when present (`Union[str, None]`). */
  annotation?: string;
}

export interface Docstring {
  /** The string literal, quotes included. */
  range: TextRange;
  /** The string's value (quotes removed, raw text otherwise). */
  text: string;
  /** First non-empty line. */
  message: string;
  revisionId?: string;
  revises?: string;
  createDate?: string;
}

/** One import statement at module level. */
export interface ImportStatement {
  range: TextRange;
  /** `import a.b as c` → module 'a.b', names [] , alias 'c'; `from x import a as b, c` → module 'x', names. */
  kind: 'import' | 'from';
  module: string;
  /** For `from` imports; `*` appears as name '*'. */
  names: { name: string; alias?: string }[];
  /** For `import m as alias`. */
  alias?: string;
  /** Leading dots of a relative `from . import x`. */
  level: number;
}

/** A module-level statement that is neither header, docstring, import, upgrade nor downgrade. */
export interface ModuleStatement {
  range: TextRange;
  kind: 'function' | 'class' | 'assignment' | 'other';
  /** Names this statement binds at module level (function/class name, assignment targets). */
  defines: string[];
  /**
   * Module-level names (other helpers, imports, header names) that this statement's own text reads,
   * without the names it defines; lets a consumer find which helpers a body needs, transitively.
   */
  uses?: string[];
}

/** A top-level `def upgrade()` / `def downgrade()`. */
export interface MigrationFunction {
  /** From `def` to the end of the body's last non-comment token. */
  range: TextRange;
  /** The body: from the first statement's line start to the end of the last non-comment token. */
  bodyRange: TextRange;
  /** The body text de-indented to column 0, ready to re-indent elsewhere. */
  body: string;
  /** True when the body is only `pass`, `...` and/or a docstring and comments. */
  isEmpty: boolean;
  /** Parameters as written (Alembic allows `def upgrade(engine_name: str)` in multi-db templates). */
  params: string;
  /** The return annotation text, e.g. `None`. */
  returns?: string;
}

/** Every name reference in a range, so a rename can follow it (from the parse tree, not text search). */
export interface NameReference {
  name: string;
  range: TextRange;
}

export interface MigrationFile {
  /** True when the file assigns `revision` at module level (Alembic's test for a revision file). */
  isRevision: boolean;
  revision?: string;
  downRevisions: string[];
  dependencies: string[];
  branchLabels: string[];
  /** The last assignment of each header name (Python: last wins). */
  header: Partial<Record<HeaderName, HeaderAssignment>>;
  docstring?: Docstring;
  /** Docstring message, or '' when none. */
  message: string;
  imports: ImportStatement[];
  upgrade?: MigrationFunction;
  downgrade?: MigrationFunction;
  helpers: ModuleStatement[];
  /** Names referenced (loads) anywhere in the module, with ranges; used for renames and usage checks. */
  references: NameReference[];
  problems: Problem[];
}
