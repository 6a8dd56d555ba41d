/** Graph algorithms over plain ids; the map hands in its edges (parent → child direction). */

export type Edges = (id: string) => Iterable<string>;

/**
 * Strongly connected components that are cycles (size > 1, or a self-loop), each sorted, the list
 * sorted by first member. Iterative Tarjan: long linear histories must not overflow the stack.
 */
export function findCycles(ids: Iterable<string>, next: Edges): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  for (const start of ids) {
    if (index.has(start)) continue;
    const work: { id: string; it: Iterator<string> }[] = [];
    const enter = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      work.push({ id, it: next(id)[Symbol.iterator]() });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const step = frame.it.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.id);
        const selfLoop = component.length === 1 && [...next(frame.id)].includes(frame.id);
        if (component.length > 1 || selfLoop) cycles.push(component.sort());
      }
    }
  }
  return cycles.sort((a, b) => compareIds(a[0], b[0]));
}

/**
 * Kahn's algorithm (edges must be free of repeats); among revisions ready at the same time the smallest id goes first, so the
 * order depends only on the graph, never on input order. Ids in `exclude` (cycle members) are left
 * out and their outgoing edges ignored, so what hangs below a cycle is still ordered.
 */
export function topologicalSort(
  ids: Iterable<string>,
  parentsOf: Edges,
  childrenOf: Edges,
  exclude: ReadonlySet<string>,
): string[] {
  const pending = new Map<string, number>();
  const ready = new MinHeap();
  for (const id of ids) {
    if (exclude.has(id)) continue;
    let n = 0;
    for (const p of parentsOf(id)) if (!exclude.has(p)) n++;
    pending.set(id, n);
    if (n === 0) ready.push(id);
  }
  const order: string[] = [];
  while (ready.size > 0) {
    const id = ready.pop()!;
    order.push(id);
    for (const child of childrenOf(id)) {
      const n = pending.get(child);
      if (n === undefined) continue;
      if (n === 1) ready.push(child);
      pending.set(child, n - 1);
    }
  }
  return order;
}

/** Breadth-first closure, `start` itself excluded unless reachable through a cycle. */
export function reachable(start: Iterable<string>, next: Edges): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  for (let i = 0; i < queue.length; i++) {
    for (const n of next(queue[i])) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

/** Plain code-unit order (not locale order), so results are identical on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class MinHeap {
  private items: string[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: string): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): string | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
