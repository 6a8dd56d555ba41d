export { captureSchema, type CaptureOptions } from './capture';
export { compareSchemas, diffObjects, sameObject, smallestChange, byKindAndName, renderSchemaText, unifiedDiff, objectText, type DiffLabels } from './compare';
export { captureData, compareData, compareTable, type CaptureDataOptions } from './data';
export { splitDump, blankMetaCommands, type DumpStatement } from './dump';
export * from './types';
