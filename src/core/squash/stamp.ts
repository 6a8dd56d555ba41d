import type { SquashPlan } from './types';

/** Where one alembic_version row sits relative to the squashed range. */
export type RowPosition = 'at-tip' | 'after' | 'inside' | 'before' | 'unrelated' | 'unknown';

export interface RowAdvice {
  version: string;
  position: RowPosition;
  /** True when the database can run `alembic upgrade` with the squashed code without any step first. */
  ready: boolean;
  /** What to do, in order; empty when nothing is needed. */
  steps: string[];
}

export interface DatabaseAdvice {
  /** The rows read from alembic_version (several when the database has several heads). */
  versions: string[];
  rows: RowAdvice[];
  ready: boolean;
  /** Steps for the whole database (row steps merged, in order, de-duplicated). */
  steps: string[];
}

export interface StampPlanEntry {
  state: 'empty' | 'before' | 'inside' | 'at-tip' | 'after' | 'unrelated';
  ready: boolean;
  advice: string;
}

export interface StampPlan {
  newRevision: string;
  oldTip: string;
  idChanged: boolean;
  entries: StampPlanEntry[];
  text: string;
}

/** The ancestry facts the advice needs; planSquash fills them from the graph. */
function positionOf(plan: SquashPlan, version: string): RowPosition {
  if (version === plan.tip) return 'at-tip';
  if (plan.members.some((m) => m.revision === version)) return 'inside';
  if (plan.context.descendants.includes(version)) return 'after';
  if (plan.context.ancestors.includes(version)) return 'before';
  if (plan.context.known.includes(version)) return 'unrelated';
  return 'unknown';
}

function fixTipRow(plan: SquashPlan, onlyRow: boolean): string {
  const sql = `UPDATE alembic_version SET version_num = '${plan.newRevision}' WHERE version_num = '${plan.tip}';`;
  return onlyRow
    ? `alembic stamp --purge ${plan.newRevision}   (or: ${sql})`
    : `${sql}   (not \`stamp --purge\`: it would drop the database's other heads)`;
}

/** Advice for one database from the rows of its alembic_version table (pure). */
export function adviseDatabase(plan: SquashPlan, versions: string[]): DatabaseAdvice {
  const rows = versions.map((version): RowAdvice => {
    const position = positionOf(plan, version);
    switch (position) {
      case 'at-tip':
        return plan.idChanged
          ? {
              version,
              position,
              ready: false,
              steps: [
                `After deploying the squash, replace the old tip id in alembic_version: ${fixTipRow(plan, versions.length === 1)}`,
              ],
            }
          : { version, position, ready: true, steps: [] };
      case 'after':
      case 'unrelated':
        return { version, position, ready: true, steps: [] };
      case 'before':
        return {
          version,
          position,
          ready: true,
          steps: [`\`alembic upgrade ${plan.newRevision}\` (or head) runs the squashed revision, which applies the replaced revisions' operations in order`],
        };
      case 'inside':
        return {
          version,
          position,
          ready: false,
          steps: [
            `BEFORE deploying the squash, with the current (unsquashed) code: alembic upgrade ${plan.tip}`,
            ...(plan.idChanged
              ? [`After deploying the squash: ${fixTipRow(plan, versions.length === 1)}`]
              : []),
          ],
        };
      case 'unknown':
        return {
          version,
          position,
          ready: false,
          steps: [`Revision ${version} is not in this project's history: Alembic cannot locate it, with or without the squash`],
        };
    }
  });
  const steps: string[] = [];
  for (const row of rows) for (const s of row.steps) if (!steps.includes(s)) steps.push(s);
  if (versions.length === 0) steps.push(`Empty database: \`alembic upgrade head\` runs the squashed revision like any other`);
  return { versions, rows, ready: rows.every((r) => r.ready), steps };
}

/** The stamp plan for every state a deployed database can be in (pure). */
export function stampPlan(plan: SquashPlan): StampPlan {
  const n = plan.newRevision;
  const t = plan.tip;
  const entries: StampPlanEntry[] = [
    {
      state: 'empty',
      ready: true,
      advice: 'Empty database (no alembic_version rows): `alembic upgrade head` runs the squashed revision; nothing else to do.',
    },
    {
      state: 'before',
      ready: true,
      advice: plan.fromBase
        ? 'The range starts at base, so every non-empty database is inside or after it.'
        : `At ${plan.downRevisions.join(', ')} or earlier: \`alembic upgrade head\` runs ${n}, whose upgrade() applies every replaced revision's operations in the same order; nothing to stamp.`,
    },
    {
      state: 'inside',
      ready: false,
      advice:
        `At a replaced revision other than the tip (${plan.members.filter((m) => m.revision !== t).map((m) => m.revision).join(', ') || 'none'}): ` +
        `that id no longer exists after the squash and Alembic would stop with "Can't locate revision". ` +
        `Before deploying the squash, upgrade it with the current code: \`alembic upgrade ${t}\`` +
        (plan.idChanged ? `; then treat it as "at the tip".` : '; it is then at the tip and needs nothing more.'),
    },
    {
      state: 'at-tip',
      ready: !plan.idChanged,
      advice: plan.idChanged
        ? `At the tip ${t}: alembic_version holds ${t}, which no longer exists. After deploying, run ` +
          `\`alembic stamp --purge ${n}\` when that is the table's only row, otherwise ` +
          `\`UPDATE alembic_version SET version_num = '${n}' WHERE version_num = '${t}'\` ` +
          `(plain \`alembic stamp\` fails: it must first locate the current revision).`
        : `At the tip ${t}: the squash keeps that id; nothing to do.`,
    },
    {
      state: 'after',
      ready: true,
      advice:
        `After the tip (a revision that descends from it): alembic_version holds that later revision, which still exists` +
        (plan.idChanged ? ` and is rewired to ${n} in the same change` : '') +
        '; Alembic treats the squashed revision as applied. Nothing to do.',
    },
    {
      state: 'unrelated',
      ready: true,
      advice: 'On a branch that does not touch the range: unaffected.',
    },
  ];
  const text = [
    `Squash ${plan.members[0]?.revision ?? ''}..${t} → ${n}${plan.idChanged ? ` (new id; old tip ${t})` : ' (keeps the tip id)'}`,
    ...entries.map((e) => `- ${e.ready ? 'ok     ' : 'ACTION '} ${e.state}: ${e.advice}`),
  ].join('\n');
  return { newRevision: n, oldTip: t, idChanged: plan.idChanged, entries, text };
}
