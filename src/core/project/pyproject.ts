import { parse, TomlError } from 'smol-toml';
import type { Problem, TextRange } from '../common/problem';

export type TomlTable = Record<string, unknown>;

export interface ToolAlembic {
  /** `[tool.alembic]`, or undefined when the file has none (or cannot be read as TOML). */
  table?: TomlTable;
  /** Where a key of `[tool.alembic]` is written, for problem ranges; the table header when not found. */
  rangeOf(key: string): TextRange;
  /** Problems without `path`. */
  problems: Problem[];
}

export function readToolAlembic(text: string): ToolAlembic {
  const problems: Problem[] = [];
  const lines = lineStarts(text);
  let table: TomlTable | undefined;
  try {
    const doc = parse(text) as TomlTable;
    const tool = doc['tool'];
    const alembic = isTable(tool) ? tool['alembic'] : undefined;
    if (alembic !== undefined && !isTable(alembic)) {
      problems.push({ code: 'toml-invalid', severity: 'error', message: '`tool.alembic` must be a table', range: { start: 0, end: 0 } });
    } else {
      table = alembic;
    }
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const line = Math.max(1, e.line);
    const range = lineRange(text, lines, line - 1);
    const reason = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    problems.push({ code: 'toml-syntax', severity: 'error', message: `Invalid TOML at line ${line}, column ${e.column}: ${reason}`, range });
  }
  const locator = new KeyLocator(text, lines);
  return { table, problems, rangeOf: (key) => locator.rangeOf(key) };
}

function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Finds the line a `[tool.alembic]` key is written on. The values come from smol-toml; this only
 * points at lines (header `[tool.alembic]` or `[[tool.alembic.<key>]]`, then `key =` below it).
 */
class KeyLocator {
  private readonly header: number;
  constructor(private readonly text: string, private readonly lines: number[]) {
    this.header = this.findLine((t) => compact(t) === '[tool.alembic]');
  }

  rangeOf(key: string): TextRange {
    const arrayHeader = this.findLine((t) => compact(t) === `[[tool.alembic.${key}]]`);
    if (arrayHeader >= 0) return lineRange(this.text, this.lines, arrayHeader);
    if (this.header >= 0) {
      for (let i = this.header + 1; i < this.lines.length; i++) {
        const t = this.lineText(i).trim();
        if (t.startsWith('[')) break;
        if (t.startsWith(key) && /^\s*=/.test(t.slice(key.length))) return lineRange(this.text, this.lines, i);
        if (t.startsWith(`"${key}"`) || t.startsWith(`'${key}'`)) return lineRange(this.text, this.lines, i);
      }
      return lineRange(this.text, this.lines, this.header);
    }
    const dotted = this.findLine((t) => compact(t).startsWith(`tool.alembic.${key}=`) || compact(t).startsWith(`alembic.${key}=`));
    return dotted >= 0 ? lineRange(this.text, this.lines, dotted) : { start: 0, end: 0 };
  }

  private findLine(test: (text: string) => boolean): number {
    for (let i = 0; i < this.lines.length; i++) if (test(this.lineText(i))) return i;
    return -1;
  }

  private lineText(i: number): string {
    const r = lineRange(this.text, this.lines, i);
    return this.text.slice(r.start, r.end);
  }
}

/** A line without spaces and without a trailing comment, for comparing headers. */
function compact(line: string): string {
  const hash = line.indexOf('#');
  return (hash >= 0 ? line.slice(0, hash) : line).replace(/\s+/g, '');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineRange(text: string, starts: number[], line: number): TextRange {
  const start = starts[Math.min(line, starts.length - 1)]!;
  let end = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

/**
 * Python's `value % args` as Alembic applies it to pyproject strings: `%%` → `%`, `%(name)s` →
 * the argument. Other conversions are reported rather than emulated.
 */
export function percentFormat(value: string, args: Readonly<Record<string, string>>): { value: string } | { error: string } {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const p = value.indexOf('%', i);
    if (p < 0) break;
    out += value.slice(i, p);
    if (value[p + 1] === '%') {
      out += '%';
      i = p + 2;
      continue;
    }
    const close = value[p + 1] === '(' ? value.indexOf(')', p + 2) : -1;
    if (close < 0 || value[close + 1] !== 's') {
      return { error: `unsupported '%' at character ${p + 1}: only %(name)s is allowed (write %% for a literal %)` };
    }
    const name = value.slice(p + 2, close);
    const arg = args[name];
    if (arg === undefined) return { error: `unknown token %(${name})s (only %(here)s is defined)` };
    out += arg;
    i = close + 2;
  }
  return { value: out + value.slice(i) };
}
