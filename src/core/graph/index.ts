export type { Revision } from './types';
export { RevisionMap, type RevisionEntry, type TraversalOptions } from './revision-map';
export type { GraphProblem, GraphProblemCode, GraphProblemField } from './problems';
export { headLabels } from './problems';
export type { GraphEdge, SquashCheck, SquashRefusal, SquashRefusalCode } from './squashable';
export {
  AmbiguousRevisionError,
  CycleError,
  GraphError,
  InvalidRangeError,
  MultipleHeadsError,
  NotSquashableError,
  RelativeRevisionError,
  ResolutionError,
  type GraphErrorCode,
} from './errors';
