/** What the API and the tests see of a project: plain data, no vscode types. */
import type { ScriptDirectory } from '../../core/scripts';

export interface RevisionSnapshot {
  revision: string;
  downRevisions: string[];
  dependencies: string[];
  branchLabels: string[];
  path?: string;
  message?: string;
}

export interface ProjectSnapshot {
  /** The alembic.ini or pyproject.toml; the folder for bare projects. */
  configPath: string;
  name: string;
  versionLocations: string[];
  /** Topological order, oldest first. */
  revisions: RevisionSnapshot[];
  heads: string[];
  bases: string[];
  problems: { path: string; line: number; severity: string; code: string; message: string }[];
}

export function snapshotOf(scripts: ScriptDirectory): ProjectSnapshot {
  const { project, map } = scripts;
  return {
    configPath: project.configPath ?? project.here,
    name: project.name,
    versionLocations: [...project.versionLocations],
    revisions: map.inOrder(map.ids()).map((id) => {
      const r = map.get(id)!;
      return {
        revision: r.revision,
        downRevisions: [...r.downRevisions],
        dependencies: [...r.dependencies],
        branchLabels: [...r.branchLabels],
        path: r.path,
        message: r.message,
      };
    }),
    heads: [...map.heads],
    bases: [...map.bases],
    problems: scripts.problems().map((p) => ({ path: p.path, line: p.line, severity: p.severity, code: p.code, message: p.message })),
  };
}
