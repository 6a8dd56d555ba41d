export { captureSchema, type CaptureOptions } from './capture';
export { compareSchemas, diffObjects, sameObject, smallestChange, byKindAndName, renderSchemaText, unifiedDiff, objectText, type DiffLabels } from './compare';
export { captureData, compareData, compareTable, type CaptureDataOptions } from './data';
export { catalogFingerprint, dropVersionTables } from './pristine';
export { splitDump, blankMetaCommands, type DumpStatement } from './dump';
export * from './types';
