export type { ConfigKind, FindProjectsOptions, LoadProjectOptions, PostWriteHook, ProjectConfig } from './types';
export { ProjectPathNotFoundError } from './errors';
export { findProjects } from './find';
export { loadProject, loadProjects } from './load';
export { listMigrationFiles, listMigrationFilesSync, isVersionLocation, versionLocationOf } from './files';
export { parseIni, IniFile, type IniOption, type IniSection, type IniParseResult } from './ini';
