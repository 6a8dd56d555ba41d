/** Every id the manifest and the code share, in one place so they cannot drift apart. */

export const EXTENSION_ID = 'alembic-squash.alembic-squash';
export const SECTION = 'alembicSquash';

export const ContextKeys = {
  hasProject: 'alembicSquash.hasProject',
  /** Absolute paths of every version location, for `resourcePath in alembicSquash.versionLocations`. */
  versionLocations: 'alembicSquash.versionLocations',
  trusted: 'alembicSquash.trusted',
  canUndoSquash: 'alembicSquash.canUndoSquash',
  /** True once a verify produced a result (the Schema Differences view's title actions). */
  hasVerifyResult: 'alembicSquash.hasVerifyResult',
} as const;

export const ViewIds = {
  container: 'alembicSquash',
  revisions: 'alembicSquash.revisions',
  /** Declared now with a welcome text; filled by the verify feature. */
  schemaDifferences: 'alembicSquash.schemaDifferences',
} as const;

export const CommandIds = {
  squashRange: 'alembicSquash.squashRange',
  squashSelected: 'alembicSquash.squashSelected',
  squashUpToHere: 'alembicSquash.squashUpToHere',
  squashFolder: 'alembicSquash.squashFolder',
  reviewSquash: 'alembicSquash.reviewSquash',
  undoLastSquash: 'alembicSquash.undoLastSquash',
  rollBackInterrupted: 'alembicSquash.rollBackInterrupted',
  showStampPlan: 'alembicSquash.showStampPlan',
  refresh: 'alembicSquash.refresh',
  revealRevision: 'alembicSquash.revealRevision',
  openRevision: 'alembicSquash.openRevision',
  showLog: 'alembicSquash.showLog',
  setDatabaseUrl: 'alembicSquash.setDatabaseUrl',
  verifySquash: 'alembicSquash.verifySquash',
  showSchemaDiff: 'alembicSquash.showSchemaDiff',
  showSchemaAtRevision: 'alembicSquash.showSchemaAtRevision',
  compareSchemas: 'alembicSquash.compareSchemas',
  compareWithParent: 'alembicSquash.compareWithParent',
  openSchemaDifference: 'alembicSquash.openSchemaDifference',
  focusRevisions: 'alembicSquash.revisions.focus',
} as const;

/** URI schemes of the read-only virtual documents; each has paired to/from helpers in documents/. */
export enum Schemes {
  /** Squash review: the replaced bodies vs the new file (documents/review.ts). */
  Review = 'alembic-squash-review',
  /** Normalized schema texts (chain, squash, a revision): served by the schema diff feature. */
  Schema = 'alembic-squash-schema',
}

/** The task type of `taskDefinitions` (Tasks: Run Task, tasks.json). */
export const TASK_TYPE = 'alembic-squash';

/** Source and codes of the Problems entries a verify publishes. */
export const VERIFY_DIAGNOSTIC_SOURCE = 'Alembic Squash verify';

export const SECRET_DATABASE_URL = 'alembicSquash.databaseUrl';
