import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem, Severity, TextRange } from '../common/problem';
import { ProjectPathNotFoundError } from './errors';
import { type IniFile, parseIni } from './ini';
import { locate, isDirectory, isFile, separatorFor, SEPARATOR_VALUES, splitLegacy, splitOn, sysPathCandidates } from './paths';
import { percentFormat, readToolAlembic, type ToolAlembic } from './pyproject';
import type { LoadProjectOptions, PostWriteHook, ProjectConfig } from './types';

export const DEFAULT_SECTION_NAME = 'alembic';
const DEFAULT_FILE_TEMPLATE = '%(rev)s_%(slug)s';
const DEFAULT_TRUNCATE_SLUG_LENGTH = 40;
const ZERO: TextRange = { start: 0, end: 0 };

/**
 * Reads one project. PATH is an .ini, a pyproject.toml, a folder holding `alembic.ini` or a
 * pyproject.toml with `[tool.alembic]`, or any other folder, read as a bare versions folder.
 * Throws only ProjectPathNotFoundError; everything wrong in a config is in `problems`.
 */
export function loadProject(input: string, options: LoadProjectOptions = {}): ProjectConfig {
  const abs = path.resolve(input);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new ProjectPathNotFoundError(abs);
  }
  if (stat.isDirectory()) {
    const ini = path.join(abs, 'alembic.ini');
    if (isFile(ini)) return loadConfigFiles({ iniPath: ini, pyprojectPath: path.join(abs, 'pyproject.toml') }, options);
    const toml = path.join(abs, 'pyproject.toml');
    const pyproject = isFile(toml) ? readPyproject(toml) : undefined;
    if (pyproject && isAlembicPyproject(pyproject)) return loadConfigFiles({ pyprojectPath: toml }, options);
    return bareProject(abs, options);
  }
  if (abs.toLowerCase().endsWith('.toml')) {
    return loadConfigFiles({ pyprojectPath: abs, iniPath: path.join(path.dirname(abs), 'alembic.ini') }, options, 'pyproject');
  }
  return loadConfigFiles({ iniPath: abs, pyprojectPath: path.join(path.dirname(abs), 'pyproject.toml') }, options, 'ini');
}

/**
 * The projects a path names: as loadProject, but an ini with several Alembic sections (`[alembic]`
 * plus `[schema_private]`, chosen in Alembic with `-n NAME`) gives one project per section. With
 * `options.section`, only that one.
 */
export function loadProjects(input: string, options: LoadProjectOptions = {}): ProjectConfig[] {
  const first = loadProject(input, options);
  if (options.section || first.configKind !== 'ini' || !first.iniPath) return [first];
  const text = readText(first.iniPath);
  if (text === undefined) return [first];
  const { ini } = parseIni(text);
  const candidates = alembicSections(ini);
  // `[alembic]` without script_location beside per-database sections holds shared settings only.
  const sections = candidates.filter((s) => s !== DEFAULT_SECTION_NAME || ini.hasOption(s, 'script_location') || candidates.length === 1);
  if (sections.length <= 1) return sections[0] && sections[0] !== first.section ? [loadProject(input, { ...options, section: sections[0] })] : [first];
  return sections.map((section) => (section === first.section ? first : loadProject(input, { ...options, section })));
}

/** The ini sections that are Alembic configurations: `[alembic]` and any section with its own `script_location`. */
export function alembicSections(ini: IniFile): string[] {
  return ini.sections.filter((s) => s === DEFAULT_SECTION_NAME || ini.section(s)!.options.has('script_location'));
}

interface ConfigFiles {
  iniPath?: string;
  pyprojectPath?: string;
}

interface ReadPyproject {
  path: string;
  text: string;
  tool: ToolAlembic;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readPyproject(file: string): ReadPyproject | undefined {
  const text = readText(file);
  return text === undefined ? undefined : { path: file, text, tool: readToolAlembic(text) };
}

/** Has `[tool.alembic]`, or cannot be read as TOML but mentions it (reported, not skipped). */
export function isAlembicPyproject(read: { text: string; tool: ToolAlembic }): boolean {
  return read.tool.table !== undefined || (read.tool.problems.length > 0 && read.text.includes('tool.alembic'));
}

/**
 * `given` names the file the caller asked for: it must exist; the other one (a sibling found by
 * convention, as the `alembic` command finds both in its working directory) takes part only when
 * present (and, for pyproject.toml, when it has `[tool.alembic]` or cannot be read).
 */
export function loadConfigFiles(files: ConfigFiles, options: LoadProjectOptions, given?: 'ini' | 'pyproject'): ProjectConfig {
  const problems: Problem[] = [];
  let ini: { path: string; file: IniFile } | undefined;
  let pyproject: ReadPyproject | undefined;

  if (files.iniPath && (given === 'ini' || isFile(files.iniPath))) {
    const text = readText(files.iniPath);
    if (text === undefined) {
      problems.push(problem('config-unreadable', 'error', `Cannot read ${files.iniPath}`, ZERO, files.iniPath));
    } else {
      const parsed = parseIni(text, { here: toPosix(path.dirname(files.iniPath)) });
      ini = { path: files.iniPath, file: parsed.ini };
      problems.push(...parsed.problems.map((p) => ({ ...p, path: files.iniPath })));
    }
  }
  if (files.pyprojectPath && (given === 'pyproject' || isFile(files.pyprojectPath))) {
    const read = readPyproject(files.pyprojectPath);
    if (!read) {
      problems.push(problem('config-unreadable', 'error', `Cannot read ${files.pyprojectPath}`, ZERO, files.pyprojectPath));
    } else if (given === 'pyproject' || isAlembicPyproject(read)) {
      pyproject = read;
      // A broken sibling pyproject.toml only matters to Alembic ≥ 1.16, which reads it next to the ini.
      const severity: Severity | undefined = given === 'pyproject' || !ini ? undefined : 'warning';
      problems.push(
        ...read.tool.problems.map((p) => ({
          ...p,
          severity: severity ?? p.severity,
          message: severity ? `${p.message} (Alembic 1.16+ reads this file next to the ini)` : p.message,
          path: read.path,
        })),
      );
      if (given === 'pyproject' && !read.tool.table && read.tool.problems.length === 0 && !ini) {
        problems.push(problem('missing-tool-alembic', 'error', 'pyproject.toml has no [tool.alembic] table', ZERO, read.path));
      }
    }
  }
  return buildProject(ini, pyproject, options, problems);
}

function chooseSection(ini: IniFile, requested: string | undefined): string {
  if (requested) return requested;
  if (ini.hasSection(DEFAULT_SECTION_NAME)) return DEFAULT_SECTION_NAME;
  return alembicSections(ini)[0] ?? DEFAULT_SECTION_NAME;
}

interface Setting {
  value: unknown;
  range: TextRange;
  path: string;
  from: 'ini' | 'toml';
}

/** Alembic's `get_alembic_option` and friends: the ini section first, then `[tool.alembic]`. */
class Sources {
  readonly problems: Problem[];
  constructor(
    readonly ini: { path: string; file: IniFile; section: string } | undefined,
    readonly toml: { path: string; tool: ToolAlembic; args: Record<string, string> } | undefined,
    problems: Problem[],
  ) {
    this.problems = problems;
  }

  report(code: string, severity: Severity, message: string, range: TextRange, file: string): void {
    if (this.problems.some((p) => p.code === code && p.path === file && p.range.start === range.start && p.message === message)) return;
    this.problems.push(problem(code, severity, message, range, file));
  }

  /** The ini value (interpolated) when the section has the option; undefined value when interpolation failed. */
  iniSetting(name: string, severity: Severity = 'error'): Setting | undefined {
    if (!this.ini || !this.ini.file.hasOption(this.ini.section, name)) return undefined;
    const range = this.ini.file.option(this.ini.section, name)?.lineRange ?? this.iniHeader();
    const got = this.ini.file.get(this.ini.section, name)!;
    if (got.error !== undefined) this.report('ini-interpolation', severity, got.error, range, this.ini.path);
    return { value: got.value, range, path: this.ini.path, from: 'ini' };
  }

  tomlSetting(name: string): Setting | undefined {
    const table = this.toml?.tool.table;
    if (!this.toml || !table || !(name in table)) return undefined;
    return { value: table[name], range: this.toml.tool.rangeOf(name), path: this.toml.path, from: 'toml' };
  }

  setting(name: string): Setting | undefined {
    return this.iniSetting(name) ?? this.tomlSetting(name);
  }

  string(name: string): { value: string; setting: Setting } | undefined {
    const s = this.setting(name);
    if (!s || s.value === undefined) return undefined;
    if (s.from === 'ini') return { value: s.value as string, setting: s };
    if (typeof s.value === 'number' || typeof s.value === 'bigint') return { value: String(s.value), setting: s };
    if (typeof s.value !== 'string') {
      this.report('invalid-value', 'error', `[tool.alembic] ${name} must be a string`, s.range, s.path);
      return undefined;
    }
    const formatted = this.format(name, s.value, s);
    return formatted === undefined ? undefined : { value: formatted, setting: s };
  }

  /** Alembic 1.16 booleans: the ini value must be exactly `true`; a TOML value must be a boolean. */
  boolean(name: string): boolean {
    const s = this.setting(name);
    if (!s || s.value === undefined) return false;
    if (s.from === 'ini') {
      const v = s.value as string;
      if (v !== 'true' && TRUTHY.has(v.trim().toLowerCase())) {
        this.report('ignored-boolean', 'warning', `${name} = ${v} is read as false: Alembic only accepts the exact value 'true'`, s.range, s.path);
      }
      return v === 'true';
    }
    if (typeof s.value !== 'boolean') {
      this.report('invalid-value', 'error', `[tool.alembic] ${name} must be true or false`, s.range, s.path);
      return false;
    }
    return s.value;
  }

  /** A TOML list of strings, each interpolated. */
  tomlList(name: string): { values: string[]; setting: Setting } | undefined {
    const s = this.tomlSetting(name);
    if (!s) return undefined;
    const items = typeof s.value === 'string' ? [s.value] : s.value;
    if (typeof s.value === 'string') {
      this.report('invalid-value', 'warning', `[tool.alembic] ${name} should be a list of strings`, s.range, s.path);
    }
    if (!Array.isArray(items) || !items.every((v) => typeof v === 'string')) {
      this.report('invalid-value', 'error', `[tool.alembic] ${name} must be a list of strings`, s.range, s.path);
      return undefined;
    }
    const values: string[] = [];
    for (const item of items as string[]) {
      const v = this.format(name, item, s);
      if (v !== undefined) values.push(v);
    }
    return { values, setting: s };
  }

  format(name: string, value: string, s: Setting): string | undefined {
    const r = percentFormat(value, this.toml?.args ?? {});
    if ('error' in r) {
      this.report('toml-interpolation', 'error', `[tool.alembic] ${name}: ${r.error}`, s.range, s.path);
      return undefined;
    }
    return r.value;
  }

  iniHeader(): TextRange {
    return (this.ini && this.ini.file.section(this.ini.section)?.headerRange) ?? ZERO;
  }
}

const TRUTHY = new Set(['true', 'yes', 'on', 'y', 't', '1']);
const FALSY = new Set(['false', 'no', 'off', 'n', 'f', '0']);

function buildProject(
  iniRead: { path: string; file: IniFile } | undefined,
  pyproject: ReadPyproject | undefined,
  options: LoadProjectOptions,
  problems: Problem[],
): ProjectConfig {
  const section = iniRead ? chooseSection(iniRead.file, options.section) : 'tool.alembic';
  const src = new Sources(
    iniRead && { ...iniRead, section },
    pyproject && { path: pyproject.path, tool: pyproject.tool, args: { here: toPosix(path.dirname(pyproject.path)) } },
    problems,
  );
  const tomlTable = pyproject?.tool.table;
  if (iniRead && !iniRead.file.hasSection(section) && !tomlTable) {
    src.report('missing-section', 'error', `No [${section}] section in ${path.basename(iniRead.path)}`, ZERO, iniRead.path);
  }

  const scriptSetting = src.setting('script_location');
  const configPath =
    scriptSetting?.path ?? iniRead?.path ?? pyproject?.path ?? /* unreachable: one file is always given */ '';
  const configKind = configPath === pyproject?.path && configPath !== iniRead?.path ? 'pyproject' : 'ini';
  const here = path.dirname(configPath);

  const prependSysPath = readPrependSysPath(src).map((p) => path.resolve(here, p));
  const sysPath = sysPathCandidates(here, prependSysPath);

  // script_location
  let scriptLocation: string | undefined;
  const script = src.string('script_location');
  if (!scriptSetting) {
    const range = iniRead?.file.section(section)?.headerRange ?? pyproject?.tool.rangeOf('script_location') ?? ZERO;
    src.report('missing-script-location', 'error', `No 'script_location' key found in [${section}]`, range, configPath);
  } else if (script) {
    scriptLocation = resolveLocation(src, 'script_location', script.value, script.setting, here, sysPath, 'script-location');
  }

  // version_locations
  const versionLocations: string[] = [];
  const listed = readVersionLocations(src);
  if (listed) {
    for (const entry of listed.values) {
      const loc = resolveLocation(src, 'version_locations', entry, listed.setting, here, sysPath, 'version-location');
      if (loc && !versionLocations.includes(loc)) versionLocations.push(loc);
    }
  } else if (scriptLocation) {
    const loc = path.join(scriptLocation, 'versions');
    versionLocations.push(loc);
    if (isDirectory(scriptLocation) && !isDirectory(loc)) {
      src.report('version-location-missing', 'warning', `Version location not found: ${loc}`, script!.setting.range, script!.setting.path);
    }
  }

  const fileTemplate = src.string('file_template')?.value ?? DEFAULT_FILE_TEMPLATE;
  const truncateSlugLength = readTruncateSlugLength(src);
  const timezone = src.string('timezone')?.value || undefined;
  const revisionEnvironment = readRevisionEnvironment(src);
  const recursiveVersionLocations = src.boolean('recursive_version_locations');
  const sourceless = src.boolean('sourceless');
  if (sourceless) {
    const s = src.setting('sourceless')!;
    src.report('sourceless-unsupported', 'info', 'sourceless = true: revisions that exist only as .pyc files are not shown', s.range, s.path);
  }
  const sqlalchemyUrl = src.iniSetting('sqlalchemy.url', 'warning')?.value as string | undefined;
  const postWriteHooks = readHooks(src);

  let templatePath: string | undefined;
  if (scriptLocation) {
    templatePath = path.join(scriptLocation, 'script.py.mako');
    if (isDirectory(scriptLocation) && !isFile(templatePath)) {
      src.report('template-missing', 'warning', `script.py.mako not found in ${scriptLocation}`, script!.setting.range, script!.setting.path);
    }
  }

  const config: ProjectConfig = {
    configPath,
    configKind,
    ...(iniRead ? { iniPath: iniRead.path } : {}),
    ...(pyproject ? { pyprojectPath: pyproject.path } : {}),
    section,
    here,
    name: displayName(configPath, configKind === 'ini' && section !== DEFAULT_SECTION_NAME ? section : undefined, options.root),
    ...(scriptLocation !== undefined ? { scriptLocation } : {}),
    versionLocations,
    recursiveVersionLocations,
    fileTemplate,
    truncateSlugLength,
    ...(timezone !== undefined ? { timezone } : {}),
    ...(revisionEnvironment !== undefined ? { revisionEnvironment } : {}),
    prependSysPath,
    sourceless,
    postWriteHooks,
    ...(templatePath !== undefined ? { templatePath } : {}),
    problems: src.problems,
  };
  setSqlalchemyUrl(config, sqlalchemyUrl);
  return config;
}

/** Non-enumerable so that JSON output, logs and `util.inspect` never show the URL. */
function setSqlalchemyUrl(config: ProjectConfig, url: string | undefined): void {
  if (url === undefined) return;
  Object.defineProperty(config, 'sqlalchemyUrl', { value: url, enumerable: false, writable: true, configurable: true });
}

function bareProject(folder: string, options: LoadProjectOptions): ProjectConfig {
  return {
    configKind: 'bare',
    section: '',
    here: folder,
    name: displayName(folder, undefined, options.root, true),
    versionLocations: [folder],
    recursiveVersionLocations: true,
    fileTemplate: DEFAULT_FILE_TEMPLATE,
    truncateSlugLength: DEFAULT_TRUNCATE_SLUG_LENGTH,
    prependSysPath: [],
    sourceless: false,
    postWriteHooks: [],
    problems: [],
  };
}

/** `folder` relative to the root, then the file when it is not a conventional name, then the section. */
export function displayName(configPath: string, section: string | undefined, root: string | undefined, isFolder = false): string {
  const here = isFolder ? configPath : path.dirname(configPath);
  const base = root ? path.resolve(root) : path.dirname(here);
  const rel = path.relative(base, here);
  const folder = rel === '' ? path.basename(here) || here : rel.startsWith('..') || path.isAbsolute(rel) ? here : rel;
  let shown = folder.split(path.sep).join('/');
  const file = path.basename(configPath);
  if (!isFolder && file !== 'alembic.ini' && file !== 'pyproject.toml') shown += `/${file}`;
  return section ? `${shown} [${section}]` : shown;
}

/**
 * `path_separator` (or the deprecated `version_path_separator`) from the ini section; the first
 * key present wins, even with an invalid value, which Alembic then refuses.
 */
function separator(src: Sources, names: string[]): { char?: string; legacy: boolean } {
  for (const name of names) {
    const s = src.iniSetting(name);
    if (!s) continue;
    const value = s.value as string | undefined;
    if (value === undefined) return { legacy: true };
    const char = separatorFor(value);
    if (char === undefined) {
      src.report(
        'unknown-path-separator',
        'error',
        `'${value}' is not a valid value for ${name}; expected ${SEPARATOR_VALUES.map((v) => `'${v}'`).join(', ')}`,
        s.range,
        s.path,
      );
      return { legacy: true };
    }
    if (name === 'version_path_separator') {
      src.report('deprecated-version-path-separator', 'info', 'version_path_separator is deprecated since Alembic 1.16; use path_separator', s.range, s.path);
    }
    return { char, legacy: false };
  }
  return { legacy: true };
}

function readVersionLocations(src: Sources): { values: string[]; setting: Setting } | undefined {
  const s = src.iniSetting('version_locations');
  if (s && s.value) {
    const value = s.value as string;
    const sep = separator(src, ['path_separator', 'version_path_separator']);
    if (sep.char !== undefined) return { values: splitOn(value, sep.char), setting: s };
    const values = splitLegacy(value);
    if (values.some((v) => v.includes('\n'))) {
      src.report(
        'version-locations-newline',
        'warning',
        'version_locations spans several lines but is split on spaces and commas only; add path_separator = newline',
        s.range,
        s.path,
      );
    }
    return { values, setting: s };
  }
  return src.tomlList('version_locations');
}

function readPrependSysPath(src: Sources): string[] {
  const s = src.iniSetting('prepend_sys_path');
  if (s && s.value) {
    const sep = separator(src, ['path_separator']);
    return sep.char !== undefined ? splitOn(s.value as string, sep.char) : splitLegacy(s.value as string, true);
  }
  return src.tomlList('prepend_sys_path')?.values ?? [];
}

function resolveLocation(
  src: Sources,
  key: string,
  value: string,
  setting: Setting,
  here: string,
  sysPath: string[],
  kind: 'script-location' | 'version-location',
): string | undefined {
  const located = locate(value, here, sysPath);
  if (located.kind === 'unresolved') {
    src.report(
      `${kind}-unresolved`,
      'error',
      `${key}: package '${located.packageName}' of '${value}' not found (searched ${located.searched.join(', ')})`,
      setting.range,
      setting.path,
    );
    return undefined;
  }
  if (!isDirectory(located.path)) {
    const [code, severity]: [string, Severity] = kind === 'script-location' ? ['script-location-not-found', 'error'] : ['version-location-missing', 'warning'];
    src.report(code, severity, `${key}: folder not found: ${located.path}`, setting.range, setting.path);
  }
  return located.path;
}

function readTruncateSlugLength(src: Sources): number {
  const s = src.setting('truncate_slug_length');
  if (!s || s.value === undefined) return DEFAULT_TRUNCATE_SLUG_LENGTH;
  let n: number | undefined;
  if (typeof s.value === 'number' && Number.isInteger(s.value)) n = s.value;
  else if (typeof s.value === 'bigint') n = Number(s.value);
  else if (typeof s.value === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(s.value)) n = Number(s.value.replace(/_/g, '').trim());
  if (n === undefined) {
    src.report('invalid-value', 'error', 'truncate_slug_length must be an integer', s.range, s.path);
    return DEFAULT_TRUNCATE_SLUG_LENGTH;
  }
  // Alembic: `truncate_slug_length or 40`.
  return n || DEFAULT_TRUNCATE_SLUG_LENGTH;
}

function readRevisionEnvironment(src: Sources): boolean | undefined {
  const s = src.setting('revision_environment');
  if (!s || s.value === undefined) return undefined;
  if (typeof s.value === 'boolean') return s.value;
  if (typeof s.value === 'string') {
    // SQLAlchemy's asbool, as Alembic's `revision` command reads it from the ini.
    const v = s.value.trim().toLowerCase();
    if (TRUTHY.has(v)) return true;
    if (FALSY.has(v)) return false;
  }
  src.report('invalid-value', 'error', 'revision_environment must be true or false', s.range, s.path);
  return undefined;
}

const HOOK_FIELDS = ['type', 'entrypoint', 'executable', 'module', 'options', 'cwd'] as const;

function readHooks(src: Sources): PostWriteHook[] {
  const ini = src.ini;
  if (ini && ini.file.hasSection('post_write_hooks')) {
    const items = new Map<string, string | undefined>();
    for (const [key, got] of ini.file.items('post_write_hooks')) {
      if (got.error !== undefined) {
        const opt = ini.file.option('post_write_hooks', key);
        src.report('ini-interpolation', 'error', got.error, opt?.lineRange ?? ZERO, ini.path);
      }
      items.set(key, got.value);
    }
    const hooksOption = ini.file.option('post_write_hooks', 'hooks');
    const range = hooksOption?.lineRange ?? ini.file.section('post_write_hooks')!.headerRange;
    const hooks: PostWriteHook[] = [];
    for (const name of splitLegacy(items.get('hooks') ?? '')) {
      const settings: Record<string, string> = {};
      for (const [key, value] of items) {
        if (key.startsWith(`${name}.`) && value !== undefined) settings[key.slice(name.length + 1)] = value;
      }
      hooks.push(makeHook(src, name, settings, range, ini.path));
    }
    return hooks;
  }
  const s = src.tomlSetting('post_write_hooks');
  if (!s) return [];
  if (!Array.isArray(s.value)) {
    src.report('invalid-value', 'error', '[tool.alembic] post_write_hooks must be an array of tables ([[tool.alembic.post_write_hooks]])', s.range, s.path);
    return [];
  }
  const hooks: PostWriteHook[] = [];
  for (const entry of s.value) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      src.report('invalid-value', 'error', 'each post_write_hooks entry must be a table', s.range, s.path);
      continue;
    }
    const settings: Record<string, string> = {};
    let name: string | undefined;
    for (const [key, raw] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof raw !== 'string') {
        src.report('invalid-value', 'error', `post_write_hooks: '${key}' must be a string`, s.range, s.path);
        continue;
      }
      const value = src.format('post_write_hooks', raw, s);
      if (value === undefined) continue;
      if (key === 'name') name = value;
      else settings[key] = value;
    }
    if (name === undefined) {
      src.report('hook-missing-name', 'error', 'a post_write_hooks entry has no name', s.range, s.path);
      continue;
    }
    hooks.push(makeHook(src, name, settings, s.range, s.path));
  }
  return hooks;
}

function makeHook(src: Sources, name: string, settings: Record<string, string>, range: TextRange, file: string): PostWriteHook {
  const hook: PostWriteHook = { name, settings };
  for (const field of HOOK_FIELDS) if (settings[field] !== undefined) hook[field] = settings[field];
  if (hook.type === undefined) {
    src.report('hook-missing-type', 'error', `Post write hook '${name}' has no type (console_scripts, exec or module)`, range, file);
  }
  return hook;
}

function problem(code: string, severity: Severity, message: string, range: TextRange, file: string): Problem {
  return { code, severity, message, range, path: file };
}

/** Alembic 1.16 gives `%(here)s` as a POSIX path (`Path.as_posix()`). */
function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
