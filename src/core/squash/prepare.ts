import type { ProjectConfig } from '../project';
import { ScriptDirectory } from '../scripts';
import { buildEdits } from './edits';
import { planSquash, type SourceFile } from './plan';
import { renderSquash } from './render';
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

/** The whole squash up to the edits, with no write: load → plan → render → edits (one flow for CLI, editor, verify). */
export async function prepareSquash(input: PrepareSquashInput): Promise<PreparedSquash> {
  const scripts = input.scripts ?? (await ScriptDirectory.load(input.project, { full: true }));
  const files = new Map<string, SourceFile>();
  for (const f of scripts.revisionFiles) {
    const full = scripts.fullFile(f.path)!;
    files.set(f.path, { text: full.text, file: full.migration });
  }
  const plan = planSquash({ map: scripts.map, files, project: input.project, from: input.from, to: input.to, options: input.options });
  const render = await renderSquash({ plan, files, project: input.project, python: input.python, hooks: input.hooks, hooksSkippedBecause: input.hooksSkippedBecause });
  const edits = buildEdits(plan, render, files, { archiveDir: input.options?.archiveDir });
  return { plan, render, edits, scripts };
}
