/** What the review panel's buttons and links do, for one squash (the panel itself knows none of it). */
import * as vscode from 'vscode';
import type { SourceFile } from '../../core/squash';
import { CommandIds } from '../constants';
import type { Ctx, LastSquash } from '../ctx';
import type { ProjectState } from '../state/projects';
import { verifyWithProgress } from '../commands/verify';
import { differenceCount, resultLines } from '../verify/format';
import type { VerifyOutcome } from '../verify/results';
import { editorWords } from '../verify/words';
import { showStampPlan } from '../squash/flow';
import { memberDiff, memberDiffTexts, memberText, squashedBlocks, type MemberText } from './memberDiff';
import type { ProofSummary, ReviewActions } from './panel';

export function reviewActions(ctx: Ctx, state: ProjectState, squash: LastSquash, files: ReadonlyMap<string, SourceFile>): ReviewActions {
  let blocks: Map<string, MemberText> | undefined;
  const sides = (revision: string) => {
    blocks ??= squashedBlocks(squash.review.squashed);
    const member = squash.plan.members.find((m) => m.revision === revision);
    return { original: memberText(member && files.get(member.path)?.file), squashed: blocks.get(revision) };
  };
  return {
    memberDiff: (revision) => {
      const { original, squashed } = sides(revision);
      return memberDiff(revision, original, squashed);
    },
    openMemberDiff: async (revision) => {
      const { original, squashed } = sides(revision);
      const texts = memberDiffTexts(original, squashed);
      await ctx.reviews.diff(
        squash.review.id,
        { side: `${revision}-before`, name: `${revision}.py`, text: texts.left },
        { side: `${revision}-after`, name: `${revision}-in-${squash.plan.newRevision}.py`, text: texts.right },
        `${revision} ↔ its block in the squash`,
      );
    },
    openNewFile: async () => {
      await ctx.reviews.show(squash.review.id, 'squashed', squash.review.fileName, squash.review.squashed);
    },
    showStampPlan: () => showStampPlan(ctx, squash),
    verify: async () => {
      if (!ctx.trusted) return { status: 'refused', headline: 'Verify runs the project\'s Python: trust this workspace to use it.', lines: [] };
      const outcome = await verifyWithProgress(ctx, state, { kind: 'range', from: squash.from, to: squash.to }, { interactive: false });
      return proofOf(outcome);
    },
    undo: async () => {
      await vscode.commands.executeCommand(CommandIds.undoLastSquash);
    },
    verifyApplied: async () => {
      if (squash.applied) await ctx.verifyHook?.(squash, state);
    },
  };
}

/** A verify outcome in the review's words. */
export function proofOf(outcome: VerifyOutcome): ProofSummary {
  const proof = summaryOf(outcome);
  return { ...proof, lines: proof.lines.map(editorWords) };
}

function summaryOf(outcome: VerifyOutcome): ProofSummary {
  const record = outcome.record;
  if (outcome.status === 'equal' && record) {
    return { status: 'equal', headline: 'Equal: the squash gives the same schema and seed data as the chain.', lines: resultLines(record.result, false, record.downgradeSkipped).filter((l) => l.trim()) };
  }
  if (outcome.status === 'different' && record) {
    return {
      status: 'different',
      headline: `${differenceCount(record.result)} difference(s) between the chain and the squash: see Schema Differences.`,
      lines: resultLines(record.result, false, record.downgradeSkipped).filter((l) => l.trim()),
    };
  }
  const status = outcome.status === 'equal' || outcome.status === 'different' ? 'failed' : outcome.status;
  const headline = status === 'cancelled' ? 'Verify was cancelled.' : status === 'refused' ? 'Verify could not run.' : 'Verify failed.';
  return { status, headline, lines: outcome.reasons ?? [] };
}
