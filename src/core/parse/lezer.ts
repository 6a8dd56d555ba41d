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
  const hit = recent.get(text);
  if (hit) {
    // Most recently used last: the oldest entries go first.
    recent.delete(text);
    recent.set(text, hit);
    return hit;
  }
  const tree = parseUncached(text);
  remember(text, tree);
  return tree;
}

/**
 * Recent parses by text. A squash parses the same bodies in several passes (helpers carried, the
 * optimizer, early returns, docstrings, layout, classification): two in three of its parses repeat
 * one already done. Trees are immutable, so they are shared; the cache is bounded by characters.
 */
const recent = new Map<string, Tree>();
const RECENT_MAX_CHARS = 4_000_000;
let recentChars = 0;

/** Empties the cache (a benchmark that must time cold parses between runs in one process). */
export function forgetRecentParses(): void {
  recent.clear();
  recentChars = 0;
}

function remember(text: string, tree: Tree): void {
  if (text.length > RECENT_MAX_CHARS / 4) return;
  recent.set(text, tree);
  recentChars += text.length;
  for (const oldest of recent.keys()) {
    if (recentChars <= RECENT_MAX_CHARS) break;
    recent.delete(oldest);
    recentChars -= oldest.length;
  }
}

function parseUncached(text: string): Tree {
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
