export { captureSchema, type CaptureOptions } from './capture';
export { compareSchemas, renderSchemaText, unifiedDiff, objectText, type DiffLabels } from './compare';
export { captureData, compareData, type CaptureDataOptions } from './data';
export { splitDump, blankMetaCommands, type DumpStatement } from './dump';
export * from './types';
