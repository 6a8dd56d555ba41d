import type { Revision } from '../../../src/core/graph';

/** A revision as a parsed migration file would give it; the path follows Alembic's file naming. */
export function rev(
  revision: string,
  downRevisions: string[],
  extra: { dependencies?: string[]; branchLabels?: string[]; path?: string } = {},
): Revision {
  return {
    revision,
    downRevisions,
    dependencies: extra.dependencies ?? [],
    branchLabels: extra.branchLabels ?? [],
    path: extra.path ?? `versions/${revision}_migration.py`,
  };
}
