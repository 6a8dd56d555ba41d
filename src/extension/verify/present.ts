import * as vscode from 'vscode';
import type { ObjectDifference, TableDataDifference } from '../../core/schema';
import { dataRows, rowTexts } from './dataRows';
import { ViewIds } from '../constants';
import type { Ctx } from '../ctx';
import type { VerifyRecord } from './results';

/** "Schema: chain ↔ squash (3 differences)" — the tab title of a verify's diff. */
export function chainSquashTitle(record: VerifyRecord, which: 'tip' | 'downgrade' = 'tip'): string {
  const r = record.result;
  const n = which === 'tip' ? r.schema.differences.length : (r.downgrade?.schema.differences.length ?? 0);
  const where = which === 'tip' ? 'Schema' : `Schema after downgrade to ${r.downgrade?.target}`;
  return `${where}: chain ↔ squash (${n === 0 ? 'equal' : `${n} difference${n === 1 ? '' : 's'}`})`;
}

/** The normalized schemas of both sides in the diff editor: at the tip, or after the downgrade. */
export async function openChainSquashDiff(ctx: Ctx, record: VerifyRecord, which: 'tip' | 'downgrade' = 'tip'): Promise<void> {
  const texts = which === 'tip' ? record.result.texts : record.result.downgrade?.texts;
  if (!texts) return;
  const suffix = which === 'tip' ? '' : ` at ${record.result.downgrade!.target}`;
  await ctx.schemas.diff({ side: 'chain', name: `chain${suffix}`, text: texts.chain }, { side: 'squash', name: `squash${suffix}`, text: texts.squash }, chainSquashTitle(record, which));
}

/** Just one object's text on both sides: "<kind> <name>: chain ↔ squash". */
export async function openObjectDiff(ctx: Ctx, d: ObjectDifference): Promise<void> {
  const empty = (side: string) => `-- ${d.kind} ${d.name} does not exist in the ${side}\n`;
  await ctx.schemas.diff(
    { side: 'left', name: `chain ${d.kind} ${d.name}`, text: withNewline(d.left) ?? empty('chain') },
    { side: 'right', name: `squash ${d.kind} ${d.name}`, text: withNewline(d.right) ?? empty('squash') },
    `${d.kind} ${d.name}: chain ↔ squash`,
  );
}

/** A seed-data difference: the rows of both sides next to each other, sorted by key. */
export async function openDataDiff(ctx: Ctx, d: TableDataDifference): Promise<void> {
  const texts = rowTexts(dataRows(d));
  await ctx.schemas.diff({ side: 'chain', name: `chain rows of ${d.table}`, text: texts.chain }, { side: 'squash', name: `squash rows of ${d.table}`, text: texts.squash }, `Rows of ${d.table}: chain ↔ squash`);
}

/** After a verify with differences: the Schema Differences view and the diff editor. */
export async function presentDifferences(ctx: Ctx, record: VerifyRecord): Promise<void> {
  if (record.result.equal) return;
  await vscode.commands.executeCommand(`${ViewIds.schemaDifferences}.focus`).then(undefined, () => undefined);
  const r = record.result;
  if (!r.schema.equal) await openChainSquashDiff(ctx, record, 'tip');
  else if (r.downgrade && !r.downgrade.schema.equal) await openChainSquashDiff(ctx, record, 'downgrade');
}

function withNewline(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.endsWith('\n') ? text : `${text}\n`;
}
