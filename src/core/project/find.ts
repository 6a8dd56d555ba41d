import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseIni } from './ini';
import { alembicSections, isAlembicPyproject, loadConfigFiles } from './load';
import { readToolAlembic } from './pyproject';
import type { FindProjectsOptions, ProjectConfig } from './types';

const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  'site-packages',
  '__pycache__',
  'dist',
  'build',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
]);
const DEFAULT_MAX_DEPTH = 8;
/** Config files larger than this are not Alembic configs worth reading. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Every Alembic project under `folder`: `*.ini` files with an `[alembic]` section or sections
 * holding `script_location` (one project per section), and pyproject.toml files with
 * `[tool.alembic]`. An ini and a pyproject.toml in the same folder form one project each
 * (Alembic ≥ 1.16 reads both). Virtual environments, dependencies and build output are skipped.
 * Ordered by folder, then file name, then section order in the file.
 */
export async function findProjects(folder: string, options: FindProjectsOptions = {}): Promise<ProjectConfig[]> {
  const root = path.resolve(folder);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const ignore = new Set((options.ignore ?? []).map((i) => i.split(/[\\/]+/).filter(Boolean).join('/')));
  const projects: ProjectConfig[] = [];

  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    // A virtual environment has pyvenv.cfg at its top, whatever it is called.
    if (dir !== root && names.has('pyvenv.cfg')) return;

    projects.push(...(await projectsIn(dir, entries, root)));

    if (depth >= maxDepth) return;
    const subdirs = entries
      .filter((e) => e.isDirectory() && !SKIPPED.has(e.name) && !e.name.endsWith('.egg-info'))
      .map((e) => e.name)
      .sort();
    for (const name of subdirs) {
      const sub = path.join(dir, name);
      const rel = path.relative(root, sub).split(path.sep).join('/');
      if (ignore.has(name) || ignore.has(rel)) continue;
      await visit(sub, depth + 1);
    }
  };

  await visit(root, 0);
  return projects;
}

async function readSmall(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) return undefined;
    return await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function projectsIn(dir: string, entries: fs.Dirent[], root: string): Promise<ProjectConfig[]> {
  const isFileEntry = (e: fs.Dirent): boolean => e.isFile() || e.isSymbolicLink();
  const iniNames = entries
    .filter((e) => isFileEntry(e) && e.name.toLowerCase().endsWith('.ini'))
    .map((e) => e.name)
    .sort();

  const pyprojectPath = path.join(dir, 'pyproject.toml');
  let hasToolAlembic = false;
  if (entries.some((e) => isFileEntry(e) && e.name === 'pyproject.toml')) {
    const text = await readSmall(pyprojectPath);
    if (text !== undefined && text.includes('alembic')) hasToolAlembic = isAlembicPyproject({ text, tool: readToolAlembic(text) });
  }

  const found: ProjectConfig[] = [];
  for (const name of iniNames) {
    const iniPath = path.join(dir, name);
    const text = await readSmall(iniPath);
    const lower = text?.toLowerCase();
    if (text === undefined || !(lower!.includes('[alembic]') || lower!.includes('script_location'))) continue;
    const { ini } = parseIni(text);
    const candidates = alembicSections(ini);
    // `[alembic]` without script_location is the pyproject template's ini (a project only with
    // [tool.alembic]) or shared settings beside per-database sections; alone, it is a broken project.
    const sections = candidates.filter(
      (s) => s !== 'alembic' || ini.hasOption(s, 'script_location') || hasToolAlembic || candidates.length === 1,
    );
    for (const section of sections) {
      found.push(loadConfigFiles({ iniPath, pyprojectPath }, { section, root }, 'ini'));
    }
  }
  if (hasToolAlembic && found.length === 0) {
    found.push(loadConfigFiles({ pyprojectPath }, { root }, 'pyproject'));
  }
  return found;
}
