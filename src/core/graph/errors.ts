import type { SquashRefusal } from './squashable';

/** Stable, machine-readable error codes; the edges (CLI, extension, server) turn them into words. */
export type GraphErrorCode =
  | 'unresolved-revision'
  | 'ambiguous-revision'
  | 'relative-revision'
  | 'multiple-heads'
  | 'cycle'
  | 'invalid-range'
  | 'not-squashable';

export class GraphError extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A REV (id, prefix, label, symbol) that names no revision, as Alembic's `ResolutionError`. */
export class ResolutionError extends GraphError {
  constructor(
    message: string,
    /** The REV text as given. */
    readonly argument: string,
    code: GraphErrorCode = 'unresolved-revision',
  ) {
    super(code, message);
  }
}

/** A prefix (or label prefix) matching several revisions. */
export class AmbiguousRevisionError extends ResolutionError {
  constructor(
    argument: string,
    /** Full ids of every matching revision, sorted. */
    readonly candidates: string[],
  ) {
    super(
      `Multiple revisions start with '${argument}': ${candidates.join(', ')}`,
      argument,
      'ambiguous-revision',
    );
  }
}

/** A relative REV (`head-1`, `abc+2`) that walks past the graph's ends or through a fork. */
export class RelativeRevisionError extends ResolutionError {
  constructor(message: string, argument: string) {
    super(message, argument, 'relative-revision');
  }
}

/** `head` (or `label@head`) when there are several heads, as Alembic's `MultipleHeads`. */
export class MultipleHeadsError extends GraphError {
  constructor(
    readonly heads: string[],
    readonly argument: string,
  ) {
    super(
      'multiple-heads',
      `'${argument}' is ambiguous: there are ${heads.length} heads (${heads.join(', ')}); ` +
        `name one of them, or use 'heads'`,
    );
  }
}

export class CycleError extends GraphError {
  constructor(
    /** Every revision that sits on a cycle, sorted. */
    readonly revisions: string[],
  ) {
    super('cycle', `Cycle in the revision graph: ${revisions.join(', ')}`);
  }
}

/** `range(from, to)` where `from` is not an ancestor-or-self of `to`. */
export class InvalidRangeError extends GraphError {
  constructor(
    message: string,
    readonly from: string | null,
    readonly to: string,
  ) {
    super('invalid-range', message);
  }
}

export class NotSquashableError extends GraphError {
  constructor(readonly reasons: SquashRefusal[]) {
    super('not-squashable', `The range cannot be squashed:\n- ${reasons.map((r) => r.message).join('\n- ')}`);
  }
}
