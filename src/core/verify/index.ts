export { verifySquash, filesOf } from './verify';
export { extensionsCreatedBy } from './extensions';
export { VerifyMigrationError, VerifyCancelledError } from './errors';
export type * from './types';
