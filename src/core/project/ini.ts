import type { Problem, TextRange } from '../common/problem';

/**
 * A reader for the INI dialect of Python's `configparser.ConfigParser` with the options Alembic
 * uses (the defaults): `=` and `:` delimiters, `#`/`;` full-line comments only, indented
 * continuation lines, blank lines kept inside values, lower-cased keys, a `[DEFAULT]` section
 * visible from every section, strict duplicates and BasicInterpolation (`%(name)s`, `%%`).
 * Reading never throws: what configparser would raise becomes a problem and reading goes on.
 */

export const DEFAULT_SECTION = 'DEFAULT';
/** configparser's MAX_INTERPOLATION_DEPTH. */
const MAX_INTERPOLATION_DEPTH = 10;

export interface IniOption {
  /** The key after configparser's `optionxform` (lower-cased). */
  key: string;
  /** The value before interpolation: continuation lines joined with `\n`, trailing blank lines dropped. */
  raw: string;
  /** The key's whole line (without its line break). */
  lineRange: TextRange;
  /** From the key's line start to the end of the value's last line. */
  range: TextRange;
  /** 0-based line of the key. */
  line: number;
}

export interface IniSection {
  /** As written (section names are case-sensitive). */
  name: string;
  headerRange: TextRange;
  options: Map<string, IniOption>;
}

export type Interpolated = { value: string; error?: undefined } | { value?: undefined; error: string };

export class IniFile {
  constructor(
    readonly text: string,
    /** Values configparser receives before reading (Alembic passes `here`); a file `[DEFAULT]` overrides them. */
    private readonly initialDefaults: Readonly<Record<string, string>>,
    readonly defaults: IniSection,
    private readonly sectionMap: Map<string, IniSection>,
  ) {}

  /** Section names in file order, without DEFAULT (as configparser's `sections()`). */
  get sections(): string[] {
    return [...this.sectionMap.keys()];
  }

  section(name: string): IniSection | undefined {
    return this.sectionMap.get(name);
  }

  hasSection(name: string): boolean {
    return this.sectionMap.has(name);
  }

  /** As `has_option`: the section's own keys and DEFAULT's; false when the section is missing. */
  hasOption(section: string, key: string): boolean {
    return this.sectionMap.has(section) && this.lookup(section).has(key.toLowerCase());
  }

  /** Where an option is written (the section's own, else DEFAULT's); undefined for initial defaults. */
  option(section: string, key: string): IniOption | undefined {
    const k = key.toLowerCase();
    return this.sectionMap.get(section)?.options.get(k) ?? this.defaults.options.get(k);
  }

  /** The raw (uninterpolated) value as `get(..., raw=True)`. */
  raw(section: string, key: string): string | undefined {
    if (!this.sectionMap.has(section)) return undefined;
    return this.lookup(section).get(key.toLowerCase());
  }

  /** As `ConfigParser.get`: the value with BasicInterpolation applied, or why interpolation failed. */
  get(section: string, key: string): Interpolated | undefined {
    if (!this.sectionMap.has(section)) return undefined;
    const map = this.lookup(section);
    const k = key.toLowerCase();
    const raw = map.get(k);
    if (raw === undefined) return undefined;
    return interpolate(k, section, raw, map);
  }

  /** As `items(section)`: DEFAULT's keys then the section's, each interpolated. */
  items(section: string): Array<[string, Interpolated]> {
    if (!this.sectionMap.has(section)) return [];
    const map = this.lookup(section);
    return [...map.entries()].map(([k, raw]) => [k, interpolate(k, section, raw, map)]);
  }

  private lookup(section: string): Map<string, string> {
    const map = new Map<string, string>();
    for (const [k, v] of Object.entries(this.initialDefaults)) map.set(k.toLowerCase(), v);
    for (const [k, o] of this.defaults.options) map.set(k, o.raw);
    for (const [k, o] of this.sectionMap.get(section)?.options ?? []) map.set(k, o.raw);
    return map;
  }
}

function interpolate(option: string, section: string, raw: string, map: Map<string, string>): Interpolated {
  const out: string[] = [];
  const error = interpolateSome(option, section, raw, map, out, 1);
  return error === undefined ? { value: out.join('') } : { error };
}

/** BasicInterpolation: `%%` → `%`, `%(name)s` → the named value (itself interpolated); anything else is an error. */
function interpolateSome(
  option: string,
  section: string,
  rest: string,
  map: Map<string, string>,
  out: string[],
  depth: number,
): string | undefined {
  if (depth > MAX_INTERPOLATION_DEPTH) {
    return `value of '${option}' in [${section}] refers to itself, or nests references more than ${MAX_INTERPOLATION_DEPTH} deep`;
  }
  let i = 0;
  while (i < rest.length) {
    const p = rest.indexOf('%', i);
    if (p < 0) {
      out.push(rest.slice(i));
      return undefined;
    }
    out.push(rest.slice(i, p));
    const c = rest[p + 1];
    if (c === '%') {
      out.push('%');
      i = p + 2;
    } else if (c === '(') {
      const close = rest.indexOf(')', p + 2);
      // `%(name)s` only: configparser rejects other conversions (`%(year)d` must be written `%%(year)d`).
      if (close < 0 || close === p + 2 || rest[close + 1] !== 's') {
        // The value itself is never quoted: it may be a database URL with a password.
        return `bad interpolation reference in '${option}' in [${section}]: only %(name)s is allowed (write %% for a literal %)`;
      }
      const name = rest.slice(p + 2, close).toLowerCase();
      const value = map.get(name);
      if (value === undefined) {
        return `'${option}' in [${section}] refers to '%(${name})s', which is not defined in [${section}] or [DEFAULT]`;
      }
      if (value.includes('%')) {
        const error = interpolateSome(option, section, value, map, out, depth + 1);
        if (error !== undefined) return error;
      } else {
        out.push(value);
      }
      i = close + 2;
    } else {
      return `'%' must be followed by '%' or '(' in '${option}' in [${section}] (write %% for a literal %)`;
    }
  }
  return undefined;
}

interface Line {
  text: string;
  start: number;
  end: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  // Python's text mode reads \n, \r\n and a lone \r as line ends.
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') {
      lines.push({ text: text.slice(start, i), start, end: i });
      if (ch === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), start, end: text.length });
  return lines;
}

/** Python's str.strip() whitespace is close enough to JS trim(); the BOM is the one difference that matters. */
function strip(s: string): string {
  return s.trim();
}

function firstNonSpace(s: string): number {
  const m = /\S/u.exec(s);
  return m ? m.index : 0;
}

export interface IniParseResult {
  ini: IniFile;
  /** Problems without `path`; the caller knows the file. */
  problems: Problem[];
}

export function parseIni(text: string, initialDefaults: Readonly<Record<string, string>> = {}): IniParseResult {
  const problems: Problem[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const defaults: IniSection = { name: DEFAULT_SECTION, headerRange: { start: 0, end: 0 }, options: new Map() };
  const sections = new Map<string, IniSection>();
  const seenSections = new Set<string>();
  const parts = new Map<IniOption, string[]>();

  let current: IniSection | undefined;
  let currentOption: IniOption | undefined;
  let indentLevel = 0;

  const lines = splitLines(source);
  lines.forEach((line, lineNo) => {
    const lineRange = { start: line.start, end: line.end };
    const isComment = /^[#;]/.test(strip(line.text));
    const value = isComment ? '' : strip(line.text);
    if (!value) {
      // A blank line (not a comment) belongs to the value being read.
      if (!isComment && current && currentOption) parts.get(currentOption)!.push('');
      return;
    }
    const indent = firstNonSpace(line.text);
    if (current && currentOption && indent > indentLevel) {
      parts.get(currentOption)!.push(value);
      currentOption.range = { start: currentOption.range.start, end: line.end };
      return;
    }
    indentLevel = indent;
    const header = value.startsWith('[') ? value.lastIndexOf(']') : -1;
    if (header > 1) {
      const name = value.slice(1, header);
      currentOption = undefined;
      if (name === DEFAULT_SECTION) {
        current = defaults;
        if (defaults.headerRange.end === 0) defaults.headerRange = lineRange;
        return;
      }
      if (seenSections.has(name)) {
        problems.push(err('ini-duplicate-section', `Section [${name}] appears twice (line ${lineNo + 1}); Python's configparser refuses the file`, lineRange));
        current = sections.get(name);
        return;
      }
      seenSections.add(name);
      current = { name, headerRange: lineRange, options: new Map() };
      sections.set(name, current);
      return;
    }
    if (!current) {
      problems.push(err('ini-syntax', `Line ${lineNo + 1}: text before the first [section] header; Python's configparser refuses the file`, lineRange));
      return;
    }
    const delimiter = firstDelimiter(value);
    if (delimiter < 0) {
      // configparser records the error and keeps the previous option open for continuation lines.
      problems.push(err('ini-syntax', `Line ${lineNo + 1}: expected 'key = value' in [${current.name}]`, lineRange));
      return;
    }
    const key = strip(value.slice(0, delimiter)).toLowerCase();
    if (!key) {
      problems.push(err('ini-syntax', `Line ${lineNo + 1}: option without a name in [${current.name}]`, lineRange));
    }
    if (current.options.has(key)) {
      problems.push(err('ini-duplicate-option', `Option '${key}' appears twice in [${current.name}] (line ${lineNo + 1}); Python's configparser refuses the file`, lineRange));
    }
    const option: IniOption = { key, raw: '', lineRange, range: { ...lineRange }, line: lineNo };
    parts.set(option, [strip(value.slice(delimiter + 1))]);
    // The first value of a duplicated key stays; the second still swallows its continuation lines.
    if (!current.options.has(key)) current.options.set(key, option);
    currentOption = key ? option : undefined;
  });

  for (const [option, chunks] of parts) option.raw = chunks.join('\n').replace(/\s+$/u, '');
  return { ini: new IniFile(text, initialDefaults, defaults, sections), problems };
}

function firstDelimiter(s: string): number {
  const eq = s.indexOf('=');
  const colon = s.indexOf(':');
  if (eq < 0) return colon;
  if (colon < 0) return eq;
  return Math.min(eq, colon);
}

function err(code: string, message: string, range: TextRange): Problem {
  return { code, severity: 'error', message, range };
}
