import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';

/** The fields of @lezer/lr's running parse this module touches (not part of its typed API). */
interface RunningParse {
  advance(): Tree | null;
  bigReductionCount?: number;
}

/**
 * Parses Python text like `parser.parse`, without @lezer/lr's guard against deep left-associative
 * trees. That guard counts reductions of 2,000+ characters that start at the same place; a function
 * body of some 400 statements separated by blank lines (a squash of a long history) passes the
 * count of 300, and the guard then forces the parse out of the body: the rest of upgrade() turns into
 * stray indented statements and a syntax error that CPython does not see. Statement lists are
 * repetitions, which lezer stores as balanced trees, so they never get deep. Should a truly deep tree
 * exhaust the stack, the ordinary parse is used.
 */
export function parsePython(text: string): Tree {
  try {
    const parse = parser.startParse(text) as unknown as RunningParse;
    if (typeof parse.bigReductionCount !== 'number') return parser.parse(text);
    for (;;) {
      parse.bigReductionCount = 0;
      const tree = parse.advance();
      if (tree) return tree;
    }
  } catch (err) {
    if (err instanceof RangeError) return parser.parse(text);
    throw err;
  }
}
