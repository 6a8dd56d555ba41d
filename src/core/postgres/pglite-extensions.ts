import type { Extension } from '@electric-sql/pglite';

/* eslint-disable @typescript-eslint/no-require-imports */
// Literal requires, one per contrib extension, so a bundler can see (and lazily keep) each of them.
const CONTRIB: Record<string, () => Extension> = {
  amcheck: () => require('@electric-sql/pglite/contrib/amcheck').amcheck,
  auto_explain: () => require('@electric-sql/pglite/contrib/auto_explain').auto_explain,
  bloom: () => require('@electric-sql/pglite/contrib/bloom').bloom,
  btree_gin: () => require('@electric-sql/pglite/contrib/btree_gin').btree_gin,
  btree_gist: () => require('@electric-sql/pglite/contrib/btree_gist').btree_gist,
  citext: () => require('@electric-sql/pglite/contrib/citext').citext,
  cube: () => require('@electric-sql/pglite/contrib/cube').cube,
  dict_int: () => require('@electric-sql/pglite/contrib/dict_int').dict_int,
  dict_xsyn: () => require('@electric-sql/pglite/contrib/dict_xsyn').dict_xsyn,
  earthdistance: () => require('@electric-sql/pglite/contrib/earthdistance').earthdistance,
  file_fdw: () => require('@electric-sql/pglite/contrib/file_fdw').file_fdw,
  fuzzystrmatch: () => require('@electric-sql/pglite/contrib/fuzzystrmatch').fuzzystrmatch,
  hstore: () => require('@electric-sql/pglite/contrib/hstore').hstore,
  intarray: () => require('@electric-sql/pglite/contrib/intarray').intarray,
  isn: () => require('@electric-sql/pglite/contrib/isn').isn,
  lo: () => require('@electric-sql/pglite/contrib/lo').lo,
  ltree: () => require('@electric-sql/pglite/contrib/ltree').ltree,
  moddatetime: () => require('@electric-sql/pglite/contrib/moddatetime').moddatetime,
  pageinspect: () => require('@electric-sql/pglite/contrib/pageinspect').pageinspect,
  pg_buffercache: () => require('@electric-sql/pglite/contrib/pg_buffercache').pg_buffercache,
  pg_freespacemap: () => require('@electric-sql/pglite/contrib/pg_freespacemap').pg_freespacemap,
  pg_stat_statements: () => require('@electric-sql/pglite/contrib/pg_stat_statements').pg_stat_statements,
  pg_surgery: () => require('@electric-sql/pglite/contrib/pg_surgery').pg_surgery,
  pg_trgm: () => require('@electric-sql/pglite/contrib/pg_trgm').pg_trgm,
  pg_visibility: () => require('@electric-sql/pglite/contrib/pg_visibility').pg_visibility,
  pg_walinspect: () => require('@electric-sql/pglite/contrib/pg_walinspect').pg_walinspect,
  pgcrypto: () => require('@electric-sql/pglite/contrib/pgcrypto').pgcrypto,
  seg: () => require('@electric-sql/pglite/contrib/seg').seg,
  tablefunc: () => require('@electric-sql/pglite/contrib/tablefunc').tablefunc,
  tcn: () => require('@electric-sql/pglite/contrib/tcn').tcn,
  tsm_system_rows: () => require('@electric-sql/pglite/contrib/tsm_system_rows').tsm_system_rows,
  tsm_system_time: () => require('@electric-sql/pglite/contrib/tsm_system_time').tsm_system_time,
  unaccent: () => require('@electric-sql/pglite/contrib/unaccent').unaccent,
  uuid_ossp: () => require('@electric-sql/pglite/contrib/uuid_ossp').uuid_ossp,
  // Shipped as a separate package; only usable when it is installed next to PGlite.
  vector: () => require('@electric-sql/pglite-pgvector').vector,
};

/** Part of PGlite itself: nothing to load. */
const BUILT_IN = new Set(['plpgsql']);

/** `"uuid-ossp"` → `uuid_ossp` (PGlite's spelling); case and quotes as written in CREATE EXTENSION. */
export function pgliteExtensionName(name: string): string {
  return name.trim().replace(/^"|"$/g, '').toLowerCase().replace(/-/g, '_');
}

export interface ResolvedExtensions {
  extensions: Record<string, Extension>;
  /** Sorted PGlite names, for the data-dir cache key. */
  names: string[];
  /** Names as the caller gave them, that PGlite cannot load. */
  unsupported: string[];
}

export function resolveExtensions(requested: string[] | undefined): ResolvedExtensions {
  const extensions: Record<string, Extension> = {};
  const unsupported: string[] = [];
  for (const raw of requested ?? []) {
    const name = pgliteExtensionName(raw);
    if (BUILT_IN.has(name) || name in extensions) continue;
    const load = Object.prototype.hasOwnProperty.call(CONTRIB, name) ? CONTRIB[name] : undefined;
    try {
      if (!load) throw new Error('unknown');
      extensions[name] = load();
    } catch {
      unsupported.push(raw);
    }
  }
  return { extensions, names: Object.keys(extensions).sort(), unsupported };
}
