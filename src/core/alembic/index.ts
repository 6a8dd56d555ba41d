export { findPython, checkAlembic, type FindPythonOptions, type AlembicInfo } from './python';
export {
  runAlembic,
  type AlembicProject,
  type RunAlembicOptions,
  type AlembicCommand,
  type AlembicResults,
} from './run';
export { AlembicSession, type DriverRequest } from './session';
export { copyVersionLocations, type VersionLocationsCopy } from './versionCopy';
export {
  AlembicUnavailableError,
  MigrationFailedError,
  AlembicCommandError,
  AlembicAbortedError,
} from './errors';
export { maskUrl } from '../common/mask';
