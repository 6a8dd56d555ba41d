export { readVersionRows, DatabaseUnreachableError, type ReadVersionsOptions, type VersionRows } from './read';
export { appliedSquashes, appliedSquashOf, type AppliedSquash } from './applied';
export { placeDatabase, type DatabasePlacement, type Need, type PlaceInput, type RowPlace } from './place';
export { needWords, rowWords } from './words';
