import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { LocatedProblem } from '../core/scripts';
import type { GraphProblem } from '../core/graph';
import { toRange } from './positions';
import { settingsFor, type ServerSettings } from './settings';
import { uriOf } from './uris';
import type { ProjectState } from './workspace';

export const SOURCE = 'alembic-squash';

/** What a quick fix needs to know about the problem behind a diagnostic. */
export interface DiagnosticData {
  revision?: string;
  field?: string;
  target?: string;
  suggestions?: string[];
  related?: string[];
}

/**
 * Publishes diagnostics of every file of the projects an edit touched, but only for files whose
 * diagnostics changed: one edit can add or clear a problem in another file (a child losing its parent).
 */
export class DiagnosticsPublisher {
  /** Diagnostics per project (multiple-heads severity not yet applied), kept so a file in several projects gets the union. */
  private readonly perProject = new Map<ProjectState, Map<string, Diagnostic[]>>();
  private readonly sent = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    private readonly live: () => ProjectState[],
    private readonly configurationSupported: () => boolean,
  ) {}

  /** Recomputes the touched projects and publishes what changed; runs after any refresh already under way. */
  refresh(touched: Iterable<ProjectState>): Promise<void> {
    const states = [...new Set(touched)];
    this.queue = this.queue.then(() => this.run(states)).catch((e) => this.connection.console.error(String(e?.stack ?? e)));
    return this.queue;
  }

  private async run(touched: ProjectState[]): Promise<void> {
    const live = new Set(this.live());
    const candidates = new Set<string>();
    for (const [state, files] of this.perProject) {
      if (live.has(state)) continue;
      for (const p of files.keys()) candidates.add(p);
      this.perProject.delete(state);
    }
    for (const state of touched) {
      if (!live.has(state)) continue;
      const before = this.perProject.get(state);
      const now = projectDiagnostics(state);
      for (const p of before?.keys() ?? []) candidates.add(p);
      for (const p of now.keys()) candidates.add(p);
      this.perProject.set(state, now);
    }

    const byPath = new Map<string, Diagnostic[]>();
    for (const p of candidates) {
      const all: Diagnostic[] = [];
      for (const files of this.perProject.values()) all.push(...(files.get(p) ?? []));
      byPath.set(p, all);
    }
    await this.applySettings(byPath);
    for (const [p, diagnostics] of byPath) {
      const key = JSON.stringify(diagnostics);
      if ((this.sent.get(p) ?? '[]') === key) continue;
      if (diagnostics.length) this.sent.set(p, key);
      else this.sent.delete(p);
      void this.connection.sendDiagnostics({ uri: uriOf(p), diagnostics });
    }
  }

  /** Multiple-heads diagnostics follow `alembicSquash.lsp.multipleHeads` of their file's scope. */
  private async applySettings(byPath: Map<string, Diagnostic[]>): Promise<void> {
    const paths = [...byPath].filter(([, ds]) => ds.some((d) => d.code === 'multiple-heads')).map(([p]) => p);
    if (paths.length === 0) return;
    const settings = await settingsFor(this.connection, this.configurationSupported(), paths.map(uriOf));
    paths.forEach((p, i) => {
      const { multipleHeads } = settings[i] as ServerSettings;
      const ds = byPath.get(p)!;
      byPath.set(
        p,
        multipleHeads === 'off'
          ? ds.filter((d) => d.code !== 'multiple-heads')
          : ds.map((d) =>
              d.code === 'multiple-heads'
                ? { ...d, severity: multipleHeads === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information }
                : d,
            ),
      );
    });
  }
}

/** Every problem of one project, per file path. */
export function projectDiagnostics(state: ProjectState): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const p of state.scripts.problems()) {
    const file = state.scripts.file(p.path);
    if (!file) continue;
    const list = out.get(p.path) ?? [];
    list.push(toDiagnostic(p, toRange(file, p.range)));
    out.set(p.path, list);
  }
  return out;
}

function toDiagnostic(p: LocatedProblem, range: Diagnostic['range']): Diagnostic {
  const g = p as LocatedProblem & Partial<GraphProblem>;
  const data: DiagnosticData = {};
  if (g.revision !== undefined) data.revision = g.revision;
  if (g.field !== undefined) data.field = g.field;
  if (g.target !== undefined) data.target = g.target;
  if (p.suggestions?.length) data.suggestions = p.suggestions;
  if (p.related?.length) data.related = p.related;
  return {
    range,
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: p.code,
    source: SOURCE,
    message: p.message,
    ...(Object.keys(data).length ? { data } : {}),
  };
}
