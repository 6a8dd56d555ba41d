/** Small revision-writing helpers for editors: the merge revision of several heads, docstring field edits. */
export { renderMergeRevision, type MergeRevision, type MergeRevisionInput } from './render';
export { docstringEdits, type DocstringFields, type TextReplacement } from './docstring';
