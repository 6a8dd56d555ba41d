/** The squash engine: plan a range, render the op-merge revision, list the file edits, write them atomically. */
export { planSquash, MissingSourceError, type PlanSquashInput, type SourceFile } from './plan';
export { renderSquash, type RenderSquashInput } from './render';
export { prepareSquash, type PrepareSquashInput, type PreparedSquash } from './prepare';
export { buildEdits, applyChanges, type BuildEditsOptions } from './edits';
export { stampPlan, adviseDatabase, type StampPlan, type StampPlanEntry, type DatabaseAdvice, type RowAdvice, type RowPosition } from './stamp';
export { readDatabaseState, type DatabaseState, type ReadDatabaseStateOptions } from './database';
export { applyEdits, beginWrite, completeWrite, abandonWrite, forget, undo, undoLast, lastJournal, recoverJournals, interruptedJournals, type PendingWrite, type ApplyEditsOptions, type ApplyResult, type Journal, type WriteOps, type Recovery, type Interrupted } from './write';
export { journalDirOf } from './journal';
export { newRevisionId, validateRevisionId } from './ids';
export { classifySql } from './classify';
export { optimizeDowngrade, optimizeUpgrade, type Optimization, type OptimizationRule } from './optimize';
export { isProjectModule, projectCodeImports, projectRoots, type ProjectCodeImport } from './projectCode';
export { formatFileName, slugOf, pythonDateString, renderBuiltinTemplate, revAsScalar, type TemplateVariables } from './template';
export {
  SquashError,
  BranchLabelClashError,
  InvalidRevisionIdError,
  RenderFailedError,
  FileChangedError,
  WriteFailedError,
  UndoConflictError,
  NoJournalError,
} from './errors';
export { NotSquashableError } from '../graph';
export type * from './types';
