import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAlembic } from '../alembic';
import type { ProjectConfig } from '../project';
import { formatFileName, newRevisionId } from '../squash';
// The built-in rendering of Alembic's generic template lives with the squash renderer.
import { pythonDateString, renderBuiltinTemplate, revAsScalar, type TemplateVariables } from '../squash';

export interface MergeRevisionInput {
  project: ProjectConfig;
  /** The revisions to merge (the heads), in the order `down_revision` lists them. */
  heads: string[];
  /** Default `merge heads`. */
  message?: string;
  /** Default: a fresh id as `alembic revision` makes one. */
  revisionId?: string;
  /** Ids already used in the project, so a fresh id never collides. */
  taken?: (id: string) => boolean;
  /** Folder of the first head's file: Alembic puts the merge next to it when there are several version locations. */
  headFolder?: string;
  date?: Date;
  /** Interpreter that renders the project's script.py.mako; without it the built-in template is used. */
  python?: string;
  signal?: AbortSignal;
}

export interface MergeRevision {
  revision: string;
  downRevisions: string[];
  /** Absolute path of the new file. */
  path: string;
  text: string;
  renderedWith: 'project-template' | 'built-in';
  /** Why the project's template could not be used, when `python` was given. */
  fallbackReason?: string;
}

/** The file `alembic merge -m MESSAGE HEAD...` would write: project template, file_template name, fresh id. */
export async function renderMergeRevision(input: MergeRevisionInput): Promise<MergeRevision> {
  const { project, heads } = input;
  const message = input.message ?? 'merge heads';
  const date = input.date ?? new Date();
  const revision = input.revisionId ?? newRevisionId(input.taken);
  const variables: TemplateVariables = {
    up_revision: revision,
    down_revision: revAsScalar(heads),
    branch_labels: null,
    depends_on: null,
    message,
    create_date: pythonDateString(date, project.timezone),
    upgrades: '',
    downgrades: '',
    imports: '',
  };
  const folder =
    project.versionLocations.length > 1 && input.headFolder ? input.headFolder : (project.versionLocations[0] ?? project.here);
  const file = path.join(folder, formatFileName(project.fileTemplate, revision, message, date, project.truncateSlugLength, project.timezone));

  let text: string | undefined;
  let fallbackReason: string | undefined;
  if (input.python && project.configPath && project.templatePath && fs.existsSync(project.templatePath)) {
    try {
      const rendered = await runAlembic(
        { python: input.python, project: { configPath: project.configPath, section: project.section || undefined }, signal: input.signal },
        { command: 'render-template', template: project.templatePath, variables: { ...variables } },
      );
      text = rendered.text;
    } catch (e) {
      fallbackReason = e instanceof Error ? e.message : String(e);
    }
  } else if (input.python && project.templatePath && !fs.existsSync(project.templatePath)) {
    fallbackReason = `the project has no template at ${project.templatePath}`;
  }
  return {
    revision,
    downRevisions: [...heads],
    path: file,
    text: text ?? renderBuiltinTemplate(variables),
    renderedWith: text !== undefined ? 'project-template' : 'built-in',
    ...(fallbackReason !== undefined ? { fallbackReason } : {}),
  };
}
