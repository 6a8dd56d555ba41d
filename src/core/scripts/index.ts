export { ScriptDirectory, readText, readSource, toRevision, graphProblemRange, type ScriptFile, type LocatedProblem, type LoadOptions } from './scriptDirectory';
export { LineIndex } from './lines';
export { HeaderCache } from './headerCache';
