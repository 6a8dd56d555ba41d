/** A span of text as UTF-16 code-unit offsets (what VS Code and JS strings use); `end` is exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * Something wrong or noteworthy found while reading, collected instead of thrown
 * (as jsonc-parser's ParseError). `code` is stable and machine-readable (e.g. `missing-parent`).
 */
export interface Problem {
  code: string;
  severity: Severity;
  message: string;
  range: TextRange;
  /** Set when the problem belongs to a file (graph problems name the file they were found in). */
  path?: string;
}
