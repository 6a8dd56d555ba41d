import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { InvalidRangeError, RevisionMap, type Revision } from '../../../src/core/graph';

const RUNS = { numRuns: 300, seed: 20240611 } as const;

/**
 * A random acyclic history: each revision's down_revisions and depends_on are picked among earlier
 * revisions (a depends_on is sometimes written as the earlier revision's branch label).
 */
const dagArb: fc.Arbitrary<Revision[]> = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc
    .tuple(
      fc.uniqueArray(
        fc.integer({ min: 0, max: 0xffffff }).map((v) => v.toString(16).padStart(6, '0')),
        { minLength: n, maxLength: n },
      ),
      fc.array(
        fc.record({
          parents: fc.array(fc.nat(), { maxLength: 3 }),
          dependencies: fc.array(fc.nat(), { maxLength: 2 }),
          labelled: fc.boolean(),
          byLabel: fc.boolean(),
        }),
        { minLength: n, maxLength: n },
      ),
    )
    .map(([ids, specs]) =>
      ids.map((id, i): Revision => {
        const pick = (ks: number[]) => (i === 0 ? [] : [...new Set(ks.map((k) => k % i))]);
        const labelled = (k: number) => specs[k].labelled;
        return {
          revision: id,
          downRevisions: pick(specs[i].parents).map((k) => ids[k]),
          dependencies: pick(specs[i].dependencies).map((k) =>
            specs[i].byLabel && labelled(k) ? `label_${ids[k]}` : ids[k],
          ),
          branchLabels: specs[i].labelled ? [`label_${id}`] : [],
          path: `versions/${id}.py`,
        };
      }),
    ),
);

/** Ancestors computed directly from the headers, as the property's independent oracle. */
function naiveAncestors(revisions: Revision[]): Map<string, Set<string>> {
  const byId = new Map(revisions.map((r) => [r.revision, r]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    let out = memo.get(id);
    if (out) return out;
    out = new Set();
    for (const p of byId.get(id)!.downRevisions) {
      out.add(p);
      for (const a of visit(p)) out.add(a);
    }
    memo.set(id, out);
    return out;
  };
  for (const r of revisions) visit(r.revision);
  return memo;
}

describe('RevisionMap properties on random histories', () => {
  it('orders every parent and dependency before its revision, leaving nothing out', () => {
    fc.assert(
      fc.property(dagArb, (revisions) => {
        const map = new RevisionMap(revisions);
        const order = map.topologicalOrder();
        assert.equal(order.length, revisions.length);
        const position = new Map(order.map((id, i) => [id, i]));
        for (const r of revisions) {
          for (const p of r.downRevisions) assert.ok(position.get(p)! < position.get(r.revision)!);
          for (const d of map.dependencies(r.revision)) assert.ok(position.get(d)! < position.get(r.revision)!);
        }
      }),
      RUNS,
    );
  });

  it('gives the same order whatever the input order', () => {
    fc.assert(
      fc.property(dagArb, fc.nat(), (revisions, rotation) => {
        const k = rotation % revisions.length;
        const rotated = [...revisions.slice(k), ...revisions.slice(0, k)].reverse();
        assert.deepEqual(new RevisionMap(rotated).topologicalOrder(), new RevisionMap(revisions).topologicalOrder());
      }),
      RUNS,
    );
  });

  it('heads are exactly the revisions no down_revision names; bases those with none', () => {
    fc.assert(
      fc.property(dagArb, (revisions) => {
        const map = new RevisionMap(revisions);
        const named = new Set(revisions.flatMap((r) => r.downRevisions));
        const expectedHeads = revisions.map((r) => r.revision).filter((id) => !named.has(id)).sort();
        assert.deepEqual(map.heads, expectedHeads);
        const expectedBases = revisions.filter((r) => r.downRevisions.length === 0).map((r) => r.revision).sort();
        assert.deepEqual(map.bases, expectedBases);
        for (const id of map.realHeads) assert.ok(map.heads.includes(id) && map.dependents(id).length === 0);
      }),
      RUNS,
    );
  });

  it('reaches every revision from some base', () => {
    fc.assert(
      fc.property(dagArb, (revisions) => {
        const map = new RevisionMap(revisions);
        const reached = new Set(map.bases);
        for (const base of map.bases) for (const id of map.descendants(base)) reached.add(id);
        assert.equal(reached.size, revisions.length);
      }),
      RUNS,
    );
  });

  it('ancestors and descendants agree with each other and with the headers', () => {
    fc.assert(
      fc.property(dagArb, (revisions) => {
        const map = new RevisionMap(revisions);
        const oracle = naiveAncestors(revisions);
        const descendants = new Map(revisions.map((r) => [r.revision, new Set(map.descendants(r.revision))]));
        for (const b of revisions) {
          const ancestors = map.ancestors(b.revision);
          assert.deepEqual(new Set(ancestors), oracle.get(b.revision));
          for (const a of revisions) {
            assert.equal(ancestors.includes(a.revision), descendants.get(a.revision)!.has(b.revision));
          }
        }
      }),
      RUNS,
    );
  });

  it('range(a, b) is b and what lies between; when squashable its tip is b and it is convex', () => {
    fc.assert(
      fc.property(dagArb, fc.nat(), fc.nat(), fc.boolean(), (revisions, i, j, fromBelow) => {
        const map = new RevisionMap(revisions);
        const b = revisions[j % revisions.length].revision;
        const below = new Set([b, ...map.ancestors(b)]);
        // Mostly start below b, so that most runs check a real range.
        const a = fromBelow ? [...below][i % below.size] : revisions[i % revisions.length].revision;
        if (!below.has(a)) {
          assert.throws(() => map.range(a, b), InvalidRangeError);
          return;
        }
        const members = map.range(a, b);
        assert.equal(members[members.length - 1], b);
        assert.equal(members[0], a);
        const check = map.checkSquashable(members);
        if (!check.ok) {
          assert.ok(check.reasons.length > 0);
          return;
        }
        assert.equal(check.tip, b);
        // Convex: no outside revision lies on a path (down_revision or depends_on) between members.
        const inside = new Set(members);
        const after = new Set(members.flatMap((m) => map.descendants(m, { includeDependencies: true })));
        const before = new Set(members.flatMap((m) => map.ancestors(m, { includeDependencies: true })));
        for (const r of revisions) {
          if (!inside.has(r.revision)) assert.ok(!(after.has(r.revision) && before.has(r.revision)), r.revision);
        }
      }),
      RUNS,
    );
  });

  it('from base, every range is squashable when the graph has a single head', () => {
    fc.assert(
      fc.property(dagArb, (revisions) => {
        const map = new RevisionMap(revisions);
        if (map.heads.length !== 1 || map.realHeads.length !== 1) return;
        const check = map.checkSquashable(map.range('base', 'head'));
        assert.deepEqual(check.reasons, []);
        assert.equal(check.tip, map.heads[0]);
      }),
      RUNS,
    );
  });
});

/**
 * Random edits to a small project: files appear, change (id, parents, labels, depends_on) and
 * disappear. Ids come from a small pool so duplicates, missing parents and cycles all happen.
 */
const ID_POOL = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff', 'abcd'];
const editArb = fc.record({
  path: fc.constantFrom('v/1.py', 'v/2.py', 'v/3.py', 'v/4.py', 'v/5.py', 'v/6.py'),
  remove: fc.boolean(),
  revision: fc.constantFrom(...ID_POOL),
  parents: fc.uniqueArray(fc.constantFrom(...ID_POOL), { maxLength: 2 }),
  dependencies: fc.uniqueArray(fc.constantFrom(...ID_POOL, 'lbl_x', 'lbl_y'), { maxLength: 2 }),
  labels: fc.subarray(['lbl_x', 'lbl_y']),
});

describe('RevisionMap incremental updates', () => {
  it('end in the same graph as a fresh build of the final files', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 25 }), (edits) => {
        const files = new Map<string, Revision>();
        const map = new RevisionMap();
        for (const edit of edits) {
          if (edit.remove) {
            files.delete(edit.path);
            map.update(edit.path, undefined);
          } else {
            const revision: Revision = {
              revision: edit.revision,
              downRevisions: edit.parents,
              dependencies: edit.dependencies,
              branchLabels: edit.labels,
              path: edit.path,
            };
            files.set(edit.path, revision);
            map.update(edit.path, revision);
          }
          // read derived results mid-way so stale caches would show
          void map.heads;
        }
        const fresh = new RevisionMap([...files.values()].reverse());
        assert.deepEqual(map.heads, fresh.heads);
        assert.deepEqual(map.realHeads, fresh.realHeads);
        assert.deepEqual(map.bases, fresh.bases);
        assert.deepEqual(map.realBases, fresh.realBases);
        assert.deepEqual(map.branchPoints, fresh.branchPoints);
        assert.deepEqual(map.mergePoints, fresh.mergePoints);
        assert.deepEqual(map.cycles(), fresh.cycles());
        assert.deepEqual(map.topologicalOrder(), fresh.topologicalOrder());
        assert.deepEqual(map.graphProblems(), fresh.graphProblems());
        for (const id of ID_POOL) {
          assert.deepEqual(map.dependents(id), fresh.dependents(id));
          assert.deepEqual(map.children(id), fresh.children(id));
        }
      }),
      RUNS,
    );
  });
});
