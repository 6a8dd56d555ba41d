import * as fs from 'node:fs';
import * as path from 'node:path';
import { findProjects, loadProjects, type ProjectConfig } from '../core/project';
import { ProjectConfigError, UsageError } from './errors';
import { HeaderCache, ScriptDirectory, type LoadOptions } from '../core/scripts';
import { recoverJournals, type Recovery } from '../core/squash/write';
import { journalDirOf } from '../core/squash/journal';

/** Where the CLI keeps its write journals (and the originals' backups), beside the project's config. */
export const journalDir = journalDirOf;

/** Where recoveries are told (main sets it to stderr); commands read `recovered` for their own answer. */
let reportRecovery: (r: Recovery, project: ProjectConfig) => void = () => {};
let reportBlocked: (error: Error, journalDir: string) => void = () => {};
export function onRecovery(report: typeof reportRecovery, blocked: typeof reportBlocked = () => {}): void {
  reportRecovery = report;
  reportBlocked = blocked;
}

/**
 * A squash or undo killed midway left a journal: roll it back (or finish the undo) before anything
 * reads the folder, so no command ever sees a half-written versions folder.
 */
function recover(projects: ProjectConfig[]): Recovery[] {
  const out: Recovery[] = [];
  for (const project of projects) {
    let recovered: Recovery[];
    try {
      recovered = recoverJournals(journalDir(project.here));
    } catch (error) {
      // A file was edited since the interruption: nothing is touched; say so, and let the command run.
      reportBlocked(error as Error, journalDir(project.here));
      continue;
    }
    for (const r of recovered) {
      reportRecovery(r, project);
      out.push(r);
    }
  }
  return out;
}

/**
 * The projects a PATH names (DESIGN.md: an alembic.ini, a pyproject.toml, a folder holding one, or a
 * versions folder). A folder that holds no config itself but has projects below it gives all of them;
 * one with none is read as a bare versions folder.
 */
export async function projectsFor(input: string): Promise<{ root: string; projects: ProjectConfig[]; recovered: Recovery[] }> {
  const found = await findFor(input);
  return { ...found, recovered: recover(found.projects) };
}

async function findFor(input: string): Promise<{ root: string; projects: ProjectConfig[] }> {
  const abs = path.resolve(input);
  const isDir = fs.existsSync(abs) && fs.statSync(abs).isDirectory();
  const root = isDir ? abs : path.dirname(abs);
  if (isDir && !hasConfig(abs)) {
    const found = (await findProjects(abs)).filter((p) => selectedName === undefined || p.section === selectedName);
    if (found.length) return { root, projects: found };
    if (selectedName !== undefined) throw new UsageError(`no Alembic section [${selectedName}] in the projects under ${input}`);
  }
  const projects = loadProjects(abs, { root, ...(selectedName !== undefined ? { section: selectedName } : {}) });
  if (selectedName !== undefined && projects[0]?.section !== selectedName) {
    throw new UsageError(`${input} has no Alembic section [${selectedName}] (--name picks an ini section, as Alembic's -n does)`);
  }
  return { root, projects };
}

let selectedName: string | undefined;

/** `--name NAME` (Alembic's `-n`): the ini section every command works on. */
export function selectProjectName(name: string | undefined): void {
  selectedName = name;
}

function hasConfig(folder: string): boolean {
  return fs.existsSync(path.join(folder, 'alembic.ini')) || fs.existsSync(path.join(folder, 'pyproject.toml'));
}

/** The one project a command that changes files works on; several found is a usage error. */
export async function singleProject(input: string): Promise<{ root: string; project: ProjectConfig; recovered: Recovery[] }> {
  const { root, projects, recovered } = await projectsFor(input);
  if (projects.length > 1) {
    const names = projects.map((p) => `  ${p.configPath ? path.relative(process.cwd(), p.configPath) || p.configPath : p.here}`).join('\n');
    const sections = projects.filter((p) => p.section && p.configPath === projects[0]!.configPath).length === projects.length;
    if (sections) throw new UsageError(`${input} has ${projects.length} Alembic sections (${projects.map((p) => p.section).join(', ')}); pick one with --name NAME, as with Alembic's -n`);
    throw new Error(`${input} holds ${projects.length} Alembic projects; name one of them:\n${names}`);
  }
  const project = projects[0]!;
  // A config that does not resolve has no history to squash, verify or read: say why, not "no head".
  const unresolved = project.problems.filter((p) => p.code === 'missing-script-location' || p.code === 'script-location-not-found');
  if (unresolved.length) throw new ProjectConfigError(`${project.configPath ?? input}: ${unresolved.map((p) => p.message).join('; ')}`);
  return { root, project, recovered };
}

/** Header-only loads reuse earlier parses of unchanged files (ALEMBIC_SQUASH_NO_CACHE=1 turns that off). */
export async function loadScripts(project: ProjectConfig, options: LoadOptions = {}): Promise<ScriptDirectory> {
  return ScriptDirectory.load(project, { ...options, cache: options.full ? undefined : HeaderCache.forProject(project, 'cli') });
}

export function relativeTo(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}
