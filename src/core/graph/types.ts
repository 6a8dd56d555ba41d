/** One node of the revision graph, as Alembic's `Revision`: no file access, just ids. */
export interface Revision {
  revision: string;
  /** `down_revision` normalized: none → [], one id → [id], a tuple → its ids. */
  downRevisions: string[];
  /** `depends_on`, with labels/prefixes already written as in the file (resolved by the map). */
  dependencies: string[];
  branchLabels: string[];
  /** Where it came from, for messages; the graph never reads it. */
  path?: string;
  message?: string;
  /** Create Date from the docstring, for display only. */
  createDate?: string;
}
