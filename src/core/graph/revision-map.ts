import { CycleError, InvalidRangeError, MultipleHeadsError, NotSquashableError } from './errors';
import { collectProblems, type GraphProblem } from './problems';
import { resolveRevisions } from './resolve';
import { checkSquashable, type SquashCheck } from './squashable';
import { compareIds, findCycles, reachable, topologicalSort } from './topology';
import type { Revision } from './types';

export interface TraversalOptions {
  /**
   * Follow depends_on edges as well as down_revision ones (Alembic's `include_dependencies`).
   * Off by default: branches, ranges and lineage are defined by down_revision alone.
   */
  includeDependencies?: boolean;
}

/** One revision as it came from one file (or from the iterable, when it has no path). */
export interface RevisionEntry {
  /** The key given to `update()`; for revisions built without a path, undefined. */
  path?: string;
  revision: Revision;
}

interface Derived {
  /** down_revision + depends_on adjacency, built once per change for cycles and ordering. */
  up?: Map<string, string[]>;
  down?: Map<string, string[]>;
  heads?: string[];
  realHeads?: string[];
  bases?: string[];
  realBases?: string[];
  branchPoints?: string[];
  mergePoints?: string[];
  cycles?: string[][];
  order?: string[];
  position?: Map<string, number>;
  revisions?: Revision[];
  problems?: GraphProblem[];
}

const MEMORY_KEY = '\u0000memory:';

/**
 * The revision graph of one Alembic project, as Alembic's `RevisionMap`: pure, built from
 * revisions, never reads files. Unlike Alembic it never throws on a broken graph: duplicates,
 * missing parents, label conflicts and cycles are kept and reported by `graphProblems()`.
 *
 * Two files may claim the same revision id; all are kept (keyed by path) and the one whose path
 * sorts last is the one the graph uses, so the result does not depend on the order of updates.
 */
export class RevisionMap {
  private readonly entriesByKey = new Map<string, Revision>();
  /** revision id → keys of every entry claiming it, sorted; the last one is in effect. */
  private readonly claims = new Map<string, string[]>();
  private readonly inEffect = new Map<string, Revision>();
  /** down_revision id as written → ids naming it (whether or not it exists). */
  private readonly childIndex = new Map<string, Set<string>>();
  /** depends_on name as written (id or label) → ids naming it. */
  private readonly dependencyIndex = new Map<string, Set<string>>();
  /** branch label → ids declaring it (several only when the project is broken). */
  private readonly labelIndex = new Map<string, Set<string>>();
  private derived: Derived = {};
  private memoryCount = 0;

  constructor(revisions: Iterable<Revision> = []) {
    for (const revision of revisions) this.update(this.keyFor(revision), revision);
  }

  // ---------------------------------------------------------------- incremental updates

  /**
   * Replaces what the file at `path` declares (`undefined` removes it). Only the adjacency of the
   * ids involved is touched; derived results (heads, order, problems) are recomputed on next use.
   */
  update(path: string, revision: Revision | undefined): void {
    const previous = this.entriesByKey.get(path);
    if (previous === revision) return;
    if (previous) {
      this.entriesByKey.delete(path);
      this.removeClaim(previous.revision, path);
    }
    if (revision) {
      this.entriesByKey.set(path, revision);
      this.addClaim(revision.revision, path);
    }
    if (previous) this.refreshInEffect(previous.revision);
    if (revision && revision.revision !== previous?.revision) this.refreshInEffect(revision.revision);
    this.derived = {};
  }

  /** Removes every entry (e.g. before a full rescan). */
  clear(): void {
    for (const key of [...this.entriesByKey.keys()]) this.update(key, undefined);
  }

  private keyFor(revision: Revision): string {
    if (revision.path !== undefined && !this.entriesByKey.has(revision.path)) return revision.path;
    return `${MEMORY_KEY}${String(this.memoryCount++).padStart(9, '0')}`;
  }

  private addClaim(id: string, key: string): void {
    const keys = this.claims.get(id) ?? [];
    keys.push(key);
    keys.sort(compareIds);
    this.claims.set(id, keys);
  }

  private removeClaim(id: string, key: string): void {
    const keys = this.claims.get(id);
    if (!keys) return;
    const remaining = keys.filter((k) => k !== key);
    if (remaining.length > 0) this.claims.set(id, remaining);
    else this.claims.delete(id);
  }

  private refreshInEffect(id: string): void {
    const keys = this.claims.get(id);
    const next = keys ? this.entriesByKey.get(keys[keys.length - 1]) : undefined;
    const current = this.inEffect.get(id);
    if (current === next) return;
    if (current) this.unindex(current);
    if (next) {
      this.inEffect.set(id, next);
      this.index(next);
    } else {
      this.inEffect.delete(id);
    }
  }

  private index(revision: Revision): void {
    const id = revision.revision;
    for (const parent of new Set(revision.downRevisions)) addTo(this.childIndex, parent, id);
    for (const name of new Set(revision.dependencies)) addTo(this.dependencyIndex, name, id);
    for (const label of new Set(revision.branchLabels)) addTo(this.labelIndex, label, id);
  }

  private unindex(revision: Revision): void {
    const id = revision.revision;
    for (const parent of new Set(revision.downRevisions)) removeFrom(this.childIndex, parent, id);
    for (const name of new Set(revision.dependencies)) removeFrom(this.dependencyIndex, name, id);
    for (const label of new Set(revision.branchLabels)) removeFrom(this.labelIndex, label, id);
  }

  // ---------------------------------------------------------------- lookups

  /** The revision in effect for an exact id (no prefixes, labels or symbols: see `getRevision`). */
  get(id: string): Revision | undefined {
    return this.inEffect.get(id);
  }

  has(id: string): boolean {
    return this.inEffect.has(id);
  }

  /** Every distinct revision id, unordered (cheap: no sorting or ordering involved). */
  ids(): IterableIterator<string> {
    return this.inEffect.keys();
  }

  /** Number of distinct revision ids. */
  get size(): number {
    return this.inEffect.size;
  }

  /** Every distinct revision, in topological order, then cycle members sorted by id. */
  get revisions(): readonly Revision[] {
    return (this.derived.revisions ??= this.orderedIds().map((id) => this.inEffect.get(id)!));
  }

  /** Every entry, duplicates included, sorted by path. */
  entries(): RevisionEntry[] {
    return [...this.entriesByKey.keys()].sort(compareIds).map((key) => this.entryFor(key));
  }

  /** Every entry claiming `id` (more than one means a duplicate revision id). */
  claimants(id: string): RevisionEntry[] {
    return (this.claims.get(id) ?? []).map((key) => this.entryFor(key));
  }

  private entryFor(key: string): RevisionEntry {
    const revision = this.entriesByKey.get(key)!;
    return { path: key.startsWith(MEMORY_KEY) ? revision.path : key, revision };
  }

  /** Revisions declaring `label` in branch_labels (more than one is a conflict), sorted. */
  labelOwners(label: string): string[] {
    return sortedIds(this.labelIndex.get(label));
  }

  /** Every branch label declared, sorted. */
  get branchLabels(): string[] {
    return [...this.labelIndex.keys()].sort(compareIds);
  }

  /**
   * What a depends_on entry names, as Alembic: an exact revision id, else a branch label
   * (its declaring revision). Alembic takes no prefixes here, so neither do we.
   */
  resolveDependency(name: string): string | undefined {
    if (this.inEffect.has(name)) return name;
    return this.labelOwners(name)[0];
  }

  // ---------------------------------------------------------------- adjacency

  /** down_revision parents that exist. */
  parents(id: string): string[] {
    const revision = this.inEffect.get(id);
    if (!revision) return [];
    return unique(revision.downRevisions.filter((p) => this.inEffect.has(p)));
  }

  /** Revisions whose down_revision names `id`, sorted. */
  children(id: string): string[] {
    return sortedIds(this.childIndex.get(id));
  }

  /** depends_on targets of `id`, resolved to revision ids (unresolvable names left out). */
  dependencies(id: string): string[] {
    const revision = this.inEffect.get(id);
    if (!revision) return [];
    const out: string[] = [];
    for (const name of revision.dependencies) {
      const target = this.resolveDependency(name);
      if (target !== undefined) out.push(target);
    }
    return unique(out);
  }

  /** Revisions whose depends_on resolves to `id` (by id or by one of its labels), sorted. */
  dependents(id: string): string[] {
    const revision = this.inEffect.get(id);
    if (!revision) return [];
    const out = new Set<string>();
    for (const name of [id, ...revision.branchLabels]) {
      const named = this.dependencyIndex.get(name);
      if (!named || this.resolveDependency(name) !== id) continue;
      for (const dependent of named) out.add(dependent);
    }
    return sortedIds(out);
  }

  /** Every revision below `id` (exclusive), in topological order. */
  ancestors(id: string, options: TraversalOptions = {}): string[] {
    return this.inOrder(reachable([id], this.upEdges(options)));
  }

  /** Every revision above `id` (exclusive), in topological order. */
  descendants(id: string, options: TraversalOptions = {}): string[] {
    return this.inOrder(reachable([id], this.downEdges(options)));
  }

  private upEdges(options: TraversalOptions): (id: string) => string[] {
    return options.includeDependencies
      ? (id) => unique([...this.parents(id), ...this.dependencies(id)])
      : (id) => this.parents(id);
  }

  private downEdges(options: TraversalOptions): (id: string) => string[] {
    return options.includeDependencies
      ? (id) => unique([...this.children(id), ...this.dependents(id)])
      : (id) => this.children(id);
  }

  /** Everything reachable from `start` (exclusive) going up (ancestors) or down (descendants), unordered. */
  reach(start: Iterable<string>, direction: 'up' | 'down', options: TraversalOptions = {}): Set<string> {
    return reachable(start, direction === 'up' ? this.upEdges(options) : this.downEdges(options));
  }

  /** Sorts ids by topological position (cycle members last, by id). */
  inOrder(ids: Iterable<string>): string[] {
    const position = this.position();
    return [...ids].sort((a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity) || compareIds(a, b));
  }

  // ---------------------------------------------------------------- heads, bases, points

  /**
   * Alembic's `heads`: revisions no other revision names in down_revision. This is what
   * `alembic heads` prints and what `head` must be unique among. Sorted by id.
   */
  get heads(): string[] {
    return (this.derived.heads ??= this.select((id) => !this.childIndex.has(id)));
  }

  /**
   * Alembic's "real heads": heads that no revision names in depends_on either. The REV `heads`
   * resolves to these (upgrading to them also applies every head they depend on). Sorted by id.
   */
  get realHeads(): string[] {
    return (this.derived.realHeads ??= this.heads.filter((id) => this.dependents(id).length === 0));
  }

  /** Alembic's `bases`: revisions with no down_revision. Sorted by id. */
  get bases(): string[] {
    return (this.derived.bases ??= this.select((id) => this.inEffect.get(id)!.downRevisions.length === 0));
  }

  /** Alembic's "real bases": bases that also have no depends_on. Sorted by id. */
  get realBases(): string[] {
    return (this.derived.realBases ??= this.bases.filter((id) => this.inEffect.get(id)!.dependencies.length === 0));
  }

  /** Revisions named in down_revision by more than one revision. Sorted by id. */
  get branchPoints(): string[] {
    return (this.derived.branchPoints ??= this.select((id) => (this.childIndex.get(id)?.size ?? 0) > 1));
  }

  /** Revisions with more than one down_revision (any number: 3-parent merges exist). Sorted by id. */
  get mergePoints(): string[] {
    return (this.derived.mergePoints ??= this.select((id) => new Set(this.inEffect.get(id)!.downRevisions).size > 1));
  }

  isHead(id: string): boolean {
    return this.inEffect.has(id) && !this.childIndex.has(id);
  }

  isBase(id: string): boolean {
    return this.inEffect.get(id)?.downRevisions.length === 0;
  }

  isBranchPoint(id: string): boolean {
    return this.inEffect.has(id) && (this.childIndex.get(id)?.size ?? 0) > 1;
  }

  isMergePoint(id: string): boolean {
    const revision = this.inEffect.get(id);
    return revision !== undefined && new Set(revision.downRevisions).size > 1;
  }

  private select(test: (id: string) => boolean): string[] {
    const out: string[] = [];
    for (const id of this.inEffect.keys()) if (test(id)) out.push(id);
    return out.sort(compareIds);
  }

  // ---------------------------------------------------------------- order and cycles

  /**
   * Cycles through down_revision and depends_on edges (Alembic refuses to load these: its
   * `CycleDetected` / `DependencyCycleDetected` / `LoopDetected`). Each sorted; empty when acyclic.
   */
  cycles(): string[][] {
    if (!this.derived.cycles) {
      const up = this.allEdges().up;
      this.derived.cycles = findCycles([...this.inEffect.keys()].sort(compareIds), (id) => up.get(id)!);
    }
    return this.derived.cycles;
  }

  private allEdges(): { up: Map<string, string[]>; down: Map<string, string[]> } {
    if (!this.derived.up || !this.derived.down) {
      const up = new Map<string, string[]>();
      const down = new Map<string, string[]>();
      for (const id of this.inEffect.keys()) {
        up.set(id, []);
        down.set(id, []);
      }
      for (const id of this.inEffect.keys()) {
        for (const parent of unique([...this.parents(id), ...this.dependencies(id)])) {
          up.get(id)!.push(parent);
          down.get(parent)!.push(id);
        }
      }
      this.derived.up = up;
      this.derived.down = down;
    }
    return { up: this.derived.up, down: this.derived.down };
  }

  /** Throws `CycleError` naming every cycle member, for callers that cannot work around one. */
  assertAcyclic(): void {
    const members = this.cycles().flat();
    if (members.length > 0) throw new CycleError(members.sort(compareIds));
  }

  /**
   * Oldest first: every revision after its down_revisions and its depends_on targets (the order
   * `alembic upgrade` applies them in); ties go to the smaller id, so the order is deterministic.
   * Cycle members are left out; what depends on them is still ordered, as if those edges were cut.
   */
  topologicalOrder(): string[] {
    if (!this.derived.order) {
      const excluded = new Set(this.cycles().flat());
      const { up, down } = this.allEdges();
      this.derived.order = topologicalSort(this.inEffect.keys(), (id) => up.get(id)!, (id) => down.get(id)!, excluded);
    }
    return [...this.derived.order];
  }

  private orderedIds(): string[] {
    return [...this.topologicalOrder(), ...this.cycles().flat().sort(compareIds)];
  }

  private position(): Map<string, number> {
    if (!this.derived.position) {
      this.derived.position = new Map(this.orderedIds().map((id, i) => [id, i]));
    }
    return this.derived.position;
  }

  // ---------------------------------------------------------------- REV resolution

  /**
   * The revisions a REV names, as Alembic's `get_revisions`: full id, unique prefix (of an id or
   * a label at least 4 characters long), branch label, `head`, `heads`, `base`, `label@head`,
   * `label@heads`, `label@base`, `id@head`, `label@prefix`, and relative forms `rev+N`, `rev-N`,
   * `label@rev-N`, `label@-N`. `base` gives an empty list.
   */
  getRevisions(rev: string): Revision[] {
    return resolveRevisions(this, rev).map((id) => this.inEffect.get(id)!);
  }

  /** One revision for a REV; `null` means base. Throws `MultipleHeadsError` when it names several. */
  getRevision(rev: string): Revision | null {
    const ids = resolveRevisions(this, rev);
    if (ids.length > 1) throw new MultipleHeadsError(ids, rev);
    return ids.length === 0 ? null : this.inEffect.get(ids[0])!;
  }

  // ---------------------------------------------------------------- ranges and squashing

  /**
   * Alembic's `from..to`: revisions that are descendants-or-self of `from` and ancestors-or-self of
   * `to` along down_revision, in topological order. `from` = `base` takes every ancestor of `to`.
   * depends_on targets are not pulled in: they stay dependencies of whatever replaces the range.
   */
  range(from: string, to: string): string[] {
    const upper = this.getRevision(to);
    if (!upper) throw new InvalidRangeError(`The end of a range cannot be base ('${to}')`, null, to);
    const lower = this.getRevision(from);
    const below = this.reach([upper.revision], 'up');
    below.add(upper.revision);
    if (!lower) return this.inOrder(below);
    if (!below.has(lower.revision)) {
      throw new InvalidRangeError(
        `${lower.revision} is not an ancestor of ${upper.revision}: '${from}..${to}' is empty`,
        lower.revision,
        upper.revision,
      );
    }
    const above = this.reach([lower.revision], 'down');
    above.add(lower.revision);
    return this.inOrder([...below].filter((id) => above.has(id)));
  }

  /** Whether `members` can be replaced by one revision (DESIGN.md's convexity), and why not. */
  checkSquashable(members: Iterable<string>): SquashCheck {
    return checkSquashable(this, [...members]);
  }

  /** `checkSquashable`, throwing `NotSquashableError` with every reason when it fails. */
  assertSquashable(members: Iterable<string>): SquashCheck {
    const check = this.checkSquashable(members);
    if (!check.ok) throw new NotSquashableError(check.reasons);
    return check;
  }

  // ---------------------------------------------------------------- problems

  /** Everything wrong or noteworthy in the graph, one entry per file involved, sorted by path. */
  graphProblems(): GraphProblem[] {
    return [...(this.derived.problems ??= collectProblems(this))];
  }
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

function sortedIds(ids: Iterable<string> | undefined): string[] {
  return ids ? [...ids].sort(compareIds) : [];
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
