import type { Problem } from '../common/problem';

/** One entry of `[post_write_hooks]` (ini) or `[[tool.alembic.post_write_hooks]]` (pyproject). */
export interface PostWriteHook {
  name: string;
  /** `console_scripts`, `exec`, `module`, or a type registered in Python code. */
  type?: string;
  entrypoint?: string;
  executable?: string;
  module?: string;
  /** As written; Alembic replaces `REVISION_SCRIPT_FILENAME` with the new file's path. */
  options?: string;
  cwd?: string;
  /** Every `<name>.<key>` option of the hook, including the ones above. */
  settings: Record<string, string>;
}

export type ConfigKind = 'ini' | 'pyproject' | 'bare';

/** An Alembic project's configuration, read as Alembic reads it; paths are absolute. */
export interface ProjectConfig {
  /** The file that supplies `script_location` (the ini when neither does). Undefined for bare projects. */
  configPath?: string;
  configKind: ConfigKind;
  /** The .ini taking part, if any. */
  iniPath?: string;
  /** The pyproject.toml whose `[tool.alembic]` takes part, if any (Alembic ≥ 1.16 reads it next to the ini; the ini wins key by key). */
  pyprojectPath?: string;
  /** The ini section (`-n/--name`, default `alembic`); `tool.alembic` for a pyproject-only project; '' when bare. */
  section: string;
  /** Folder of the config (the `%(here)s` value); the folder itself for bare projects. */
  here: string;
  /** For display: folder relative to the searched root, plus the section when it is not `alembic`. */
  name: string;
  scriptLocation?: string;
  /** Default `<script_location>/versions`. */
  versionLocations: string[];
  recursiveVersionLocations: boolean;
  /** After interpolation, e.g. `%(rev)s_%(slug)s`. */
  fileTemplate: string;
  truncateSlugLength: number;
  timezone?: string;
  revisionEnvironment?: boolean;
  /** Never log or print it (it may hold a password); kept non-enumerable so JSON and inspect skip it. */
  sqlalchemyUrl?: string;
  /** `prepend_sys_path` entries, resolved against `here`. */
  prependSysPath: string[];
  /** `sourceless = true`: .pyc-only revisions are not supported here and are reported. */
  sourceless: boolean;
  postWriteHooks: PostWriteHook[];
  /** `<script_location>/script.py.mako`. */
  templatePath?: string;
  /** Each with `path` set to the file it belongs to. */
  problems: Problem[];
}

export interface FindProjectsOptions {
  /** How many folder levels below the root are searched (root = 0). Default 8. */
  maxDepth?: number;
  /** Extra folder names (or root-relative folder paths) to skip. */
  ignore?: string[];
}

export interface LoadProjectOptions {
  /** The ini section to read (Alembic's `-n/--name`). Default `alembic`, else the first section with `script_location`. */
  section?: string;
  /** Folder that display names are relative to. Default: the config's parent folder. */
  root?: string;
}
