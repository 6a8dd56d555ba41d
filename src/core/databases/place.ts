/**
 * Where a deployed database stands on the revision graph, and what it needs — from its
 * alembic_version rows, the current history, and a pending squash (being reviewed) or squashes
 * already written. The advice about replaced revisions comes from the stamp plan (squash/stamp.ts).
 */
import type { RevisionMap } from '../graph';
import { adviseDatabase } from '../squash/stamp';
import type { SquashPlan } from '../squash/types';
import type { AppliedSquash } from './applied';

export type RowPlace =
  | { version: string; at: 'head' }
  | { version: string; at: 'behind'; behind: number }
  /** A revision a squash replaces (pending: still in the files; applied: gone from them). */
  | { version: string; at: 'replaced'; by: string; tip: string; pending: boolean }
  | { version: string; at: 'unknown' };

export type Need =
  | { kind: 'nothing' }
  /** `alembic upgrade <target>`; `first` when it must run with the code before the squash. */
  | { kind: 'upgrade'; target: string; command: string; beforeSquash: boolean }
  /** `alembic stamp <row>`: replace `from` rows by `to` in alembic_version. */
  | { kind: 'stamp'; from: string[]; to: string; command: string; afterDeploy: boolean }
  | { kind: 'unknown'; reason: string };

export interface DatabasePlacement {
  versions: string[];
  tableExists: boolean;
  rows: RowPlace[];
  need: Need;
  /** The stamp plan's steps, in words, for what the need cannot say alone. */
  steps: string[];
}

export interface PlaceInput {
  map: RevisionMap;
  versions: string[];
  tableExists: boolean;
  /** A squash shown for review, not written yet. */
  pending?: SquashPlan;
  /** Squashes found in the history (see appliedSquashOf). */
  applied?: AppliedSquash[];
}

export function placeDatabase(input: PlaceInput): DatabasePlacement {
  const { map, versions, pending } = input;
  const heads = map.heads;
  const upgradeTarget = heads.length === 1 ? heads[0]! : 'heads';
  const base = { versions, tableExists: input.tableExists };

  const appliedOf = new Map<string, AppliedSquash>();
  for (const a of input.applied ?? []) for (const id of a.replaced) if (!map.has(id)) appliedOf.set(id, a);

  if (versions.length === 0) {
    return {
      ...base,
      rows: [],
      need: { kind: 'upgrade', target: upgradeTarget, command: `alembic upgrade ${upgradeTarget}`, beforeSquash: false },
      steps: [input.tableExists ? 'alembic_version is empty: the database is at base.' : 'No alembic_version table: Alembic has never run here.'],
    };
  }

  const pendingMembers = new Set(pending?.members.map((m) => m.revision) ?? []);
  const rows = versions.map((version): RowPlace => {
    if (pending && pendingMembers.has(version) && (version !== pending.tip || pending.idChanged)) return { version, at: 'replaced', by: pending.newRevision, tip: pending.tip, pending: true };
    const applied = appliedOf.get(version);
    if (applied) return { version, at: 'replaced', by: applied.revision, tip: applied.replaced[applied.replaced.length - 1]!, pending: false };
    if (!map.has(version)) return { version, at: 'unknown' };
    if (map.isHead(version)) return { version, at: 'head' };
    return { version, at: 'behind', behind: 0 };
  });
  // Behind by: the revisions `alembic upgrade heads` would still apply to the database as a whole.
  const known = versions.filter((v) => map.has(v));
  if (known.length) {
    const applied = new Set<string>(known);
    for (const v of known) for (const a of map.ancestors(v)) applied.add(a);
    const missing = map.size - applied.size;
    for (const r of rows) if (r.at === 'behind') r.behind = missing;
  }

  const unknown = rows.filter((r) => r.at === 'unknown');
  if (unknown.length) {
    return {
      ...base,
      rows,
      need: { kind: 'unknown', reason: `${unknown.map((r) => r.version).join(', ')} is not in this project's history: Alembic cannot locate it` },
      steps: [],
    };
  }

  const replaced = rows.filter((r): r is Extract<RowPlace, { at: 'replaced' }> => r.at === 'replaced');
  if (replaced.length) {
    const r = replaced[0]!;
    const plan = r.pending ? pending! : appliedPlan(map, appliedOf.get(r.version)!);
    const advice = adviseDatabase(plan, versions);
    const inside = replaced.find((x) => x.version !== x.tip);
    if (inside) {
      return {
        ...base,
        rows,
        need: { kind: 'upgrade', target: inside.tip, command: `alembic upgrade ${inside.tip}`, beforeSquash: true },
        steps: advice.steps,
      };
    }
    // At the tip of a squash: nothing when the squash kept the id (then it is no replaced row at all).
    const from = versions.filter((v) => replaced.some((x) => x.version === v));
    const to = r.by;
    return {
      ...base,
      rows,
      need: {
        kind: 'stamp',
        from,
        to,
        command: versions.length === 1 ? `alembic stamp --purge ${to}` : `UPDATE alembic_version SET version_num = '${to}' WHERE version_num = '${from[0]}'`,
        afterDeploy: r.pending,
      },
      steps: advice.steps,
    };
  }

  if (rows.every((r) => r.at === 'head')) return { ...base, rows, need: { kind: 'nothing' }, steps: [] };
  return { ...base, rows, need: { kind: 'upgrade', target: upgradeTarget, command: `alembic upgrade ${upgradeTarget}`, beforeSquash: false }, steps: [] };
}

/** The facts the stamp plan needs about a squash already written, from the current history. */
function appliedPlan(map: RevisionMap, a: AppliedSquash): SquashPlan {
  const tip = a.replaced[a.replaced.length - 1]!;
  const plan = {
    tip,
    newRevision: a.revision,
    idChanged: tip !== a.revision,
    members: a.replaced.map((revision) => ({ revision })),
    context: {
      ancestors: map.has(a.revision) ? map.ancestors(a.revision) : [],
      descendants: map.has(a.revision) ? map.descendants(a.revision) : [],
      known: [...map.ids(), ...a.replaced],
    },
  };
  // adviseDatabase reads only these fields of a plan.
  return plan as unknown as SquashPlan;
}
