import type { ProjectConfig } from '../project';
import { ScriptDirectory } from '../scripts';
import { buildEdits } from './edits';
import { planSquash, type SourceFile } from './plan';
import { renderSquash, type RenderSquashInput } from './render';
import type { FileEdit, RenderResult, SquashOptions, SquashPlan } from './types';

export interface PrepareSquashInput {
  project: ProjectConfig;
  /** A loaded directory to reuse (editor state); read from disk when absent. */
  scripts?: ScriptDirectory;
  from: string;
  to: string;
  options?: SquashOptions;
  /** The project's interpreter; without it the built-in template is used (and said so in the result). */
  python?: string;
  /** false: do not run post_write_hooks; `hooksSkippedBecause` says why in the result. */
  hooks?: boolean;
  hooksSkippedBecause?: string;
}

export interface PreparedSquash {
  plan: SquashPlan;
  render: RenderResult;
  edits: FileEdit[];
  scripts: ScriptDirectory;
}

/** A squash planned and not rendered yet: what the snapshot strategy needs before the chain runs. */
export interface PlannedSquash {
  plan: SquashPlan;
  scripts: ScriptDirectory;
  files: Map<string, SourceFile>;
}

/** The whole squash up to the edits, with no write: load → plan → render → edits (one flow for CLI, editor, verify). */
export async function prepareSquash(input: PrepareSquashInput): Promise<PreparedSquash> {
  return renderPlanned(input, await planRange(input));
}

/** The first half of prepareSquash: the history loaded and the range planned. */
export async function planRange(input: Pick<PrepareSquashInput, 'project' | 'scripts' | 'from' | 'to' | 'options'>): Promise<PlannedSquash> {
  const scripts = input.scripts ?? (await ScriptDirectory.load(input.project, { full: true }));
  const files = new Map<string, SourceFile>();
  for (const f of scripts.revisionFiles) {
    const full = scripts.fullFile(f.path)!;
    files.set(f.path, { text: full.text, file: full.migration });
  }
  const plan = planSquash({ map: scripts.map, files, project: input.project, from: input.from, to: input.to, options: input.options });
  return { plan, scripts, files };
}

/** The second half: the planned range rendered as one revision, and its edits. */
export async function renderPlanned(
  input: Pick<PrepareSquashInput, 'project' | 'options' | 'python' | 'hooks' | 'hooksSkippedBecause'> & Pick<RenderSquashInput, 'session' | 'check'>,
  { plan, scripts, files }: PlannedSquash,
): Promise<PreparedSquash> {
  const render = await renderSquash({ plan, files, project: input.project, python: input.python, session: input.session, hooks: input.hooks, hooksSkippedBecause: input.hooksSkippedBecause, check: input.check });
  const edits = buildEdits(plan, render, files, { archiveDir: input.options?.archiveDir });
  return { plan, render, edits, scripts };
}
