import type { ClassifiedStatement, SquashPlan } from './types';

const DATA_KINDS = new Set(['data', 'raw-sql-dml']);

/** What users must see before trusting a squash: data operations and calls into their own code. */
export function summarize(classification: ClassifiedStatement[]): { data: ClassifiedStatement[]; unknownSql: ClassifiedStatement[]; external: ClassifiedStatement[] } {
  const isData = (c: ClassifiedStatement) => DATA_KINDS.has(c.kind) || (c.kind === 'control' && DATA_KINDS.has(c.contains ?? ''));
  const isExternal = (c: ClassifiedStatement) => c.kind === 'external' || (c.externalNames?.length ?? 0) > 0;
  return {
    data: classification.filter((c) => c.fn === 'upgrade' && isData(c)),
    unknownSql: classification.filter((c) => c.fn === 'upgrade' && !isData(c) && (c.kind === 'raw-sql-unknown' || c.contains === 'raw-sql-unknown')),
    external: classification.filter((c) => c.fn === 'upgrade' && isExternal(c)),
  };
}

/** Text placed in a triple-quoted docstring: backslashes and `"""` must not end or alter it. */
function escapeDocstring(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
}

/**
 * The template's `${message}`: the title (first line, also the slug), then what was replaced and
 * what the reviewer must look at.
 */
export function renderDocstring(
  plan: SquashPlan,
  classification: ClassifiedStatement[],
  partialReason: string,
  projectImports: { revision: string; module: string }[] = [],
  optimized: { rule: string; object: string; fn?: 'downgrade' }[] = [],
): string {
  const lines = [plan.message.split('\n')[0], '', `Squashes ${plan.members.length} revisions:`];
  for (const m of plan.members) lines.push(`- ${m.revision}: ${m.message}`);
  const { data, unknownSql, external } = summarize(classification);
  if (data.length) {
    lines.push('', 'Data operations carried:');
    for (const c of data) lines.push(`- ${c.revision}: ${c.what ?? c.summary} [${c.kind === 'control' ? c.contains : c.kind}]`);
  }
  if (unknownSql.length) {
    lines.push('', 'SQL built at run time (not classified; review it):');
    for (const c of unknownSql) lines.push(`- ${c.revision}: ${c.summary}`);
  }
  if (external.length) {
    lines.push('', 'Calls into project code:');
    for (const c of external) lines.push(`- ${c.revision}: ${(c.externalNames ?? []).join(', ') || c.summary}`);
  }
  if (projectImports.length) {
    lines.push('', "Imports of project code (the squash runs that code as it is today):");
    for (const i of projectImports) lines.push(`- ${i.revision}: ${i.module}`);
  }
  if (optimized.length) {
    const byRule = new Map<string, number>();
    for (const o of optimized) byRule.set(o.rule, (byRule.get(o.rule) ?? 0) + 1);
    lines.push('', `Optimized: removed ${optimized.length} statement(s) from ${optimized.some((o) => o.fn === 'downgrade') ? 'upgrade() and downgrade()' : 'upgrade()'} (${[...byRule].map(([r, n]) => `${r} ×${n}`).join(', ')}).`);
  }
  if (partialReason) lines.push('', `Downgrade is partial: ${partialReason}.`);
  if (plan.idChanged) lines.push('', `Replaces tip ${plan.tip} under a new id; see the stamp plan for deployed databases.`);
  return escapeDocstring(lines.join('\n'));
}
