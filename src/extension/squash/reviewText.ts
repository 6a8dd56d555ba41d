/** Texts for the squash review and the after-squash documents (no vscode). */
import { indent } from '../../core/parse';
import type { SourceFile, SquashPlan, StampPlan } from '../../core/squash';

/**
 * The replaced revisions as one module: each upgrade() body in topological order and each
 * downgrade() body in reverse, marked with its revision — the left side of "Review Squash",
 * laid out like the new file so the diff lines up body by body.
 */
export function replacedBodiesText(plan: SquashPlan, files: ReadonlyMap<string, SourceFile>): string {
  const block = (revision: string, message: string, body: string | undefined): string =>
    indent(`# --- ${revision}: ${message.replace(/\s+/g, ' ').trim()} ---\n${(body ?? 'pass').replace(/\s+$/, '')}`, '    ');
  const member = (m: SquashPlan['members'][number]) => files.get(m.path)?.file;
  const up = plan.members.map((m) => block(m.revision, m.message, member(m)?.upgrade?.body));
  const down = [...plan.members].reverse().map((m) => block(m.revision, m.message, member(m)?.downgrade?.body ?? '# (no downgrade())'));
  return [
    `"""The ${plan.members.length} revision(s) replaced by ${plan.newRevision}: ${plan.members.map((m) => m.revision).join(', ')}.`,
    '',
    'Their upgrade() bodies in the order Alembic applies them, and downgrade() bodies in reverse.',
    '"""',
    '',
    '',
    'def upgrade() -> None:',
    up.join('\n\n'),
    '',
    '',
    'def downgrade() -> None:',
    down.join('\n\n'),
    '',
  ].join('\n');
}

/** The stamp plan as a Markdown document for people deploying the squash. */
export function stampPlanMarkdown(plan: SquashPlan, stamp: StampPlan): string {
  const lines = [
    `# Stamp plan: ${plan.members[0]?.revision ?? ''}..${plan.tip} → ${plan.newRevision}`,
    '',
    stamp.idChanged
      ? `The squash gives the range a **new id** \`${stamp.newRevision}\` (old tip \`${stamp.oldTip}\`). Databases stamped at the old tip need a step.`
      : `The squash **keeps the tip's id** \`${stamp.oldTip}\`: a database stamped at the tip or later needs nothing.`,
    '',
    '| database at | ready | what to do |',
    '|---|---|---|',
    ...stamp.entries.map((e) => `| ${e.state} | ${e.ready ? 'yes' : '**no**'} | ${e.advice.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
    '',
    `Replaced: ${plan.members.map((m) => `\`${m.revision}\``).join(', ')}.`,
  ];
  if (plan.children.length) lines.push(`Rewired to the new id: ${plan.children.map((c) => `\`${c.revision}\``).join(', ')}.`);
  return lines.join('\n') + '\n';
}
