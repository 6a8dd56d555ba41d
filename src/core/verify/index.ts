export { verifySquash, filesOf } from './verify';
export { extensionsCreatedBy } from './extensions';
export { VerifyMigrationError, VerifyCancelledError, BackendLostError } from './errors';
export type * from './types';
export { schemasAt, type SchemaAt, type SchemaAtOptions } from './schemaAt';
export { detectSquashedRange, type DetectedRange } from './detect';
export { versionLocationsAtRef, GitRefError, type RefHistory } from './gitRef';
