import type { StatementKind } from '../../core/squash';
import { planSquash, renderSquash, type SourceFile } from '../../core/squash';
import type { ProjectState } from '../state/projects';

const NAMES: Partial<Record<StatementKind, string>> = {
  schema: 'schema',
  'raw-sql-ddl': 'SQL DDL',
  'raw-sql-dml': 'SQL data',
  'raw-sql-unknown': 'SQL (unclassified)',
  data: 'data',
  external: 'project code',
  control: 'control flow',
  other: 'other',
};

/**
 * "schema 3 · data 1" for one revision's upgrade(), from the squash engine's own classification
 * (a one-revision squash rendered with the built-in template: no Python, no disk writes).
 */
export async function classificationCounts(state: ProjectState, revision: string): Promise<string | undefined> {
  const file = state.scripts.fileOf(revision);
  if (!file) return undefined;
  const full = state.scripts.fullFile(file.path)!;
  const files = new Map<string, SourceFile>([[full.path, { text: full.text, file: full.migration }]]);
  const plan = planSquash({ map: state.scripts.map, files, from: revision, to: revision, project: state.project });
  const { classification } = await renderSquash({ plan, files, project: state.project });
  const counts = new Map<string, number>();
  for (const c of classification) {
    if (c.fn !== 'upgrade') continue;
    const kind = c.kind === 'control' && c.contains ? c.contains : c.kind;
    const name = NAMES[kind] ?? kind;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (counts.size === 0) return 'none (empty upgrade)';
  return [...counts].map(([k, n]) => (k === 'data' || k === 'SQL data' ? `**${k} ${n}**` : `${k} ${n}`)).join(' · ');
}
