// The stamp advice reads a deployed database the same way the Databases view does: one read-only
// transaction, alembic_version only, the password never in a message.
export { readVersionRows as readDatabaseState, type ReadVersionsOptions as ReadDatabaseStateOptions, type VersionRows as DatabaseState } from '../databases/read';
