/**
 * The shortest unique id of each revision: the shortest prefix (at least MIN_SHORT_ID characters)
 * that Alembic resolves to that revision and nothing else — it must not be, or be the start of,
 * another revision's id or branch label. Never an ambiguous prefix; the full id when nothing
 * shorter is safe or when cutting would save little. The tree, the picture and editor titles use it.
 */

export const MIN_SHORT_ID = 8;
/** Cutting fewer characters than this reads worse than the full id. */
const MIN_SAVED = 3;

export interface ShortIdInput {
  revision: string;
  branchLabels?: readonly string[];
}

/** revision → its shortest unique id. O(n log n) over ids and labels. */
export function shortestUniqueIds(revisions: readonly ShortIdInput[]): Map<string, string> {
  // Every key Alembic matches a prefix against, with the revision that owns it.
  const keys: { key: string; owner: string }[] = [];
  for (const r of revisions) {
    keys.push({ key: r.revision, owner: r.revision });
    for (const label of r.branchLabels ?? []) keys.push({ key: label, owner: r.revision });
  }
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const index = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k.key === k.owner) index.set(k.owner, i);
  });

  const out = new Map<string, string>();
  for (const r of revisions) {
    const id = r.revision;
    const at = index.get(id)!;
    // Sorted order puts the keys sharing the longest prefix with id right next to it (skip own labels
    // and duplicates of the same id, which a prefix cannot tell apart anyway).
    let needed = 0;
    for (const step of [-1, 1]) {
      for (let i = at + step; i >= 0 && i < keys.length; i += step) {
        const other = keys[i]!;
        if (other.owner === id && other.key !== id) continue;
        if (other.owner === id && i !== at && other.key === id) continue;
        needed = Math.max(needed, commonPrefix(id, other.key) + 1);
        break;
      }
    }
    const length = Math.max(Math.min(MIN_SHORT_ID, id.length), needed);
    out.set(id, length >= id.length - (MIN_SAVED - 1) ? id : id.slice(0, length));
  }
  return out;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

const cache = new WeakMap<readonly unknown[], Map<string, string>>();

/**
 * The shortest unique id of `id` in `map`, computed once per state of the graph (the map's
 * `revisions` array is rebuilt on every change, so it keys the cache).
 */
export function shortIdIn(map: { readonly revisions: readonly ShortIdInput[] }, id: string): string {
  const revisions = map.revisions;
  let ids = cache.get(revisions);
  if (!ids) cache.set(revisions, (ids = shortestUniqueIds(revisions)));
  return ids.get(id) ?? id;
}
