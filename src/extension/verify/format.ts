/** The verify's words for a terminal (the task) and the log, colored like the CLI's output. */
import type { VerifyEvent, VerifyResult } from '../../core/verify';
import { changeWords } from './diagnostics';

const codes = { red: 31, green: 32, yellow: 33, gray: 90, bold: 1 } as const;
export type Style = keyof typeof codes;

export function paint(color: boolean, style: Style, text: string): string {
  return color ? `\x1b[${codes[style]}m${text}\x1b[0m` : text;
}

export function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(2)} s`;
}

/** One line per phase end (begin lines are shown only while running, see the terminal). */
export function eventLine(e: VerifyEvent, color: boolean): string | undefined {
  const what = e.message ?? e.phase;
  if (e.status === 'begin') return paint(color, 'gray', `… ${what}`);
  if (e.status === 'end') return `${e.failed ? paint(color, 'red', '✗') : paint(color, 'green', '✓')} ${what.padEnd(64)} ${paint(color, 'gray', seconds(e.ms))}`;
  return e.message ? paint(color, 'gray', e.message) : undefined;
}

/** The result in a few lines: the back end and why, equal or each difference. */
export function resultLines(r: VerifyResult, color: boolean, downgradeSkipped?: string): string[] {
  const lines = ['', paint(color, 'gray', `on ${r.provider.description} — ${r.provider.reason}`)];
  for (const s of r.provider.skipped) lines.push(paint(color, 'gray', `  (${s.kind} skipped: ${s.reason})`));
  if (r.provider.versionNote) lines.push(paint(color, 'yellow', r.provider.versionNote));
  if (r.equal) {
    lines.push(paint(color, 'green', `✓ equal: same schema, same seed data${r.downgrade ? `, and the downgrade to ${r.downgrade.target} gives the chain's schema there` : ''}`));
    if (!r.downgrade) lines.push(paint(color, 'yellow', `downgrade not checked: ${downgradeSkipped ?? 'not requested'}`));
    lines.push(paint(color, 'gray', `total ${seconds(r.totalMs)}`));
    return lines;
  }
  const section = (title: string, diffs: VerifyResult['schema']['differences']) => {
    if (!diffs.length) return;
    lines.push('', paint(color, 'bold', `${title}: ${diffs.length} difference(s)`));
    for (const d of diffs) {
      const mark = d.change === 'added' ? paint(color, 'green', '+') : d.change === 'removed' ? paint(color, 'red', '-') : paint(color, 'yellow', '~');
      lines.push(`  ${mark} ${d.kind} ${paint(color, 'bold', d.name)} ${changeWords(d.change)}${d.detail ? `: ${d.detail}` : ''}`);
    }
  };
  section('Schema at the tip (chain ↔ squash)', r.schema.differences);
  if (r.data.differences.length) {
    lines.push('', paint(color, 'bold', `Seed data: ${r.data.differences.length} table(s) differ`));
    for (const d of r.data.differences) lines.push(`  ${paint(color, 'yellow', '~')} ${paint(color, 'bold', d.table)}: ${d.detail} (chain ${d.leftCount} rows, squash ${d.rightCount})`);
  }
  for (const d of r.data.sequences) lines.push(`  ${paint(color, 'yellow', '~')} ${d.summary}`);
  if (r.downgrade) section(`After downgrading to ${r.downgrade.target} (chain ↔ squash)`, r.downgrade.schema.differences);
  for (const d of r.downgrade?.data.differences ?? []) lines.push(`  ${paint(color, 'yellow', '~')} after downgrading to ${r.downgrade!.target}: ${d.summary}`);
  lines.push('', paint(color, 'red', `✗ different: ${differenceCount(r)} difference(s)`) + paint(color, 'gray', `  (total ${seconds(r.totalMs)})`));
  return lines;
}

export function differenceCount(r: VerifyResult): number {
  return r.schema.differences.length + r.data.differences.length + r.data.sequences.length + (r.downgrade?.schema.differences.length ?? 0) + (r.downgrade?.data.differences.length ?? 0);
}
