import { byKindAndName, compareTable, diffObjects, sameObject, type DataDiff, type ObjectDifference, type SchemaDiff, type TableDataDifference } from '../schema';
import type { CapturedDatabase } from './capture';
import type { MigrationFailedError } from '../alembic';
import type { HistoryNote } from './types';

export interface DowngradeJudgement {
  schema: SchemaDiff;
  data: DataDiff;
  information: HistoryNote[];
}

const LOSSY = "your history's downgrade is lossy here (not caused by the squash)";

/**
 * The squash's downgrade, object by object: right when it gives what the chain's own downgrade gives
 * OR what a fresh upgrade to the target gives (the ideal). A squash may reproduce the chain's lossy
 * downgrade or be cleaner than it, nothing else. Where the chain itself misses the ideal, that is
 * information about the history, never a difference.
 */
export function judgeDowngrade(chain: CapturedDatabase, squash: CapturedDatabase, ideal: CapturedDatabase, target: string): DowngradeJudgement {
  const differences: ObjectDifference[] = [];
  const information: HistoryNote[] = [];
  const keys = new Set([...chain.schema.objects.keys(), ...squash.schema.objects.keys(), ...ideal.schema.objects.keys()]);
  for (const key of keys) {
    const a = chain.schema.objects.get(key);
    const b = squash.schema.objects.get(key);
    const c = ideal.schema.objects.get(key);
    const lossy = diffObjects(c, a, { left: `upgrade to ${target}`, right: "chain's downgrade" });
    if (lossy) information.push({ where: 'downgrade', kind: lossy.kind, name: lossy.name, message: LOSSY, detail: lossy.summary });
    if (sameObject(a, b) || sameObject(c, b)) continue;
    const d = diffObjects(a, b)!;
    differences.push(lossy ? { ...d, detail: `${d.detail} (nor what an upgrade to ${target} gives)`, summary: `${d.summary} (nor what an upgrade to ${target} gives)` } : d);
  }
  differences.sort(byKindAndName);

  const tables: TableDataDifference[] = [];
  const names = new Set([...chain.data!.tables.keys(), ...squash.data!.tables.keys(), ...ideal.data!.tables.keys()]);
  for (const name of [...names].sort()) {
    const [a, b, c] = [chain, squash, ideal].map((s) => s.data!.tables.get(name));
    const lossy = compareTable(c, a, { left: `upgrade to ${target}`, right: "chain's downgrade" });
    if (lossy) information.push({ where: 'downgrade', kind: 'seed data', name, message: LOSSY, detail: lossy.summary });
    if (!compareTable(a, b) || !compareTable(c, b)) continue;
    tables.push(compareTable(a, b)!);
  }
  information.sort(byKindAndName);
  return {
    schema: { equal: differences.length === 0, differences },
    // Sequence positions after a downgrade say nothing a user relies on (sequences never go back).
    data: { equal: tables.length === 0, differences: tables, sequences: [], leftOut: [] },
    information,
  };
}

/**
 * The chain's own downgrade raised (a `raise RuntimeError("no way back")`, a broken downgrade): said as
 * a fact about the history. The squash's downgrade is then held to a fresh upgrade to the target, or,
 * when it raises too, not compared.
 */
export function downgradeRaisedNote(chain: MigrationFailedError, target: string, squash: MigrationFailedError | undefined): HistoryNote {
  const where = `${chain.file}:${chain.line}`;
  return {
    where: 'downgrade',
    kind: 'revision',
    name: chain.revision ?? '?',
    message: `your history's downgrade to ${target} fails here (not caused by the squash)`,
    detail:
      `${where} raises ${chain.errorType}: ${chain.errorMessage.split('\n', 1)[0]}; ` +
      (squash ? "the squash's downgrade fails too, so the downgrades were not compared" : `the squash's downgrade was compared with a fresh upgrade to ${target}`),
  };
}
