/** The snapshot strategy: a squash from base rendered from the database the chain builds, proven before it is offered. */
export { snapshotSquash, withoutTables, differingTables, type SnapshotSquash, type SnapshotSquashInput, type SnapshotPhase } from './snapshot';
export { squashWithStrategy, type Strategy, type StrategySquash } from './strategy';
export { SnapshotNotProvenError, SnapshotRangeError } from './errors';
export { assembleBodies, executeCall, type SnapshotBodies, type SnapshotFormat } from './assemble';
export { countsLine, snapshotDocstring } from './file';
export type { SnapshotFacts } from './facts';
