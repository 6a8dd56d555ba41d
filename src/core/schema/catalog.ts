import type { Queryable, SchemaObject } from './types';
import { IGNORED_TABLES, qualify } from './names';

/** A catalog object, with the name its dump statements are matched under when it differs. */
export interface CatalogObject extends SchemaObject {
  matchName?: string;
}

// Objects in these namespaces are PostgreSQL's own.
const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** True when the object (catalog table, oid) belongs to an extension: pg_trgm's functions, etc. */
const notFromExtension = (classTable: string, oid: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classTable}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

const ignoredTables = [...IGNORED_TABLES].map((t) => `'${t}'`).join(', ');

/**
 * Reads the schema from the catalog: the source of truth for comparison. Names are built the same
 * way as for dump statements (see names.ts) so that both can be joined.
 */
export async function readCatalog(client: Queryable): Promise<CatalogObject[]> {
  const out: CatalogObject[] = [];
  const q = async <R>(sql: string): Promise<R[]> => (await client.query(sql)).rows as R[];

  for (const r of await q<{ name: string }>(`SELECT extname AS name FROM pg_extension`)) {
    // The version is noise (it depends on the server's packages), the name is what migrations create.
    out.push({ kind: 'extension', name: qualify(r.name), attributes: { extension: r.name } });
  }

  for (const r of await q<{ name: string }>(
    `SELECT n.nspname AS name FROM pg_namespace n WHERE ${USER_NAMESPACE} AND ${notFromExtension('pg_namespace', 'n.oid')}`,
  )) {
    out.push({ kind: 'schema', name: qualify(r.name), attributes: { schema: r.name } });
  }

  for (const r of await q<{ schema: string; name: string; labels: string[] }>(
    `SELECT n.nspname AS schema, t.typname AS name,
            array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND ${USER_NAMESPACE} AND ${notFromExtension('pg_type', 't.oid')}`,
  )) {
    out.push({
      kind: 'type',
      name: qualify(r.schema, r.name),
      attributes: { type: 'enum', labels: r.labels.join(', ') },
      labels: r.labels,
    });
  }

  for (const r of await q<{ schema: string; name: string; base: string; notnull: boolean; def: string | null; checks: string[] }>(
    `SELECT n.nspname AS schema, t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base,
            t.typnotnull AS notnull, t.typdefault AS def,
            array(SELECT c.conname || ': ' || pg_get_constraintdef(c.oid) FROM pg_constraint c
                   WHERE c.contypid = t.oid AND c.contype <> 'n' ORDER BY c.conname) AS checks
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'd' AND ${USER_NAMESPACE} AND ${notFromExtension('pg_type', 't.oid')}`,
  )) {
    const attributes: Record<string, string> = { type: `domain over ${r.base}`, 'not null': String(r.notnull) };
    if (r.def !== null) attributes.default = r.def;
    if (r.checks.length) attributes.constraints = r.checks.join('; ');
    out.push({ kind: 'type', name: qualify(r.schema, r.name), attributes });
  }

  // Relations: tables (incl. partitioned/foreign), views, materialized views, sequences, composite types.
  for (const r of await q<{
    schema: string; name: string; relkind: string; persistence: string; rls: boolean; forcerls: boolean;
    viewdef: string | null; partkey: string | null; parents: string[]; options: string[] | null; populated: boolean;
  }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relpersistence::text AS persistence,
            c.relrowsecurity AS rls, c.relforcerowsecurity AS forcerls,
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS viewdef,
            CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
            array(SELECT format('%I.%I', pn.nspname, p.relname) FROM pg_inherits i
                    JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                   WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,
            c.reloptions AS options, c.relispopulated AS populated
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c') AND ${USER_NAMESPACE}
        AND c.relname NOT IN (${ignoredTables}) AND ${notFromExtension('pg_class', 'c.oid')}`,
  )) {
    const name = qualify(r.schema, r.name);
    const attributes: Record<string, string> = {};
    if (r.relkind === 'v' || r.relkind === 'm') {
      attributes.definition = (r.viewdef ?? '').trim();
      out.push({ kind: r.relkind === 'v' ? 'view' : 'materialized view', name, attributes });
      continue;
    }
    if (r.relkind === 'c') {
      attributes.type = 'composite';
      out.push({ kind: 'type', name, attributes });
      continue;
    }
    attributes.table = { r: 'table', p: 'partitioned table', f: 'foreign table' }[r.relkind] ?? r.relkind;
    if (r.persistence === 'u') attributes.unlogged = 'true';
    if (r.partkey) attributes['partition by'] = r.partkey;
    if (r.parents.length) attributes.inherits = r.parents.join(', ');
    if (r.options?.length) attributes.options = [...r.options].sort().join(', ');
    if (r.rls) attributes['row level security'] = r.forcerls ? 'forced' : 'enabled';
    out.push({ kind: 'table', name, attributes, columns: [] });
  }

  const byName = new Map(out.map((o) => [`${o.kind} ${o.name}`, o]));

  // Columns in physical order; dropped columns are skipped, so positions are renumbered by order.
  for (const r of await q<{
    schema: string; table: string; relkind: string; column: string; type: string; notnull: boolean;
    def: string | null; identity: string; generated: string; collation: string | null;
    seqopts: string | null;
  }>(
    `SELECT n.nspname AS schema, c.relname AS table, c.relkind::text AS relkind, a.attname AS column,
            format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(ad.adbin, ad.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated,
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                 THEN (SELECT format('%I.%I', cn.nspname, co.collname) FROM pg_collation co
                         JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation,
            CASE WHEN a.attidentity <> '' THEN (
              SELECT format('start %s increment %s min %s max %s cache %s%s', s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
                            CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END)
                FROM pg_sequence s WHERE s.seqrelid = pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)::regclass) END AS seqopts
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
        AND ${USER_NAMESPACE} AND c.relname NOT IN (${ignoredTables}) AND ${notFromExtension('pg_class', 'c.oid')}
      ORDER BY n.nspname, c.relname, a.attnum`,
  )) {
    const table = qualify(r.schema, r.table);
    const isTable = ['r', 'p', 'f'].includes(r.relkind);
    const owner = isTable ? byName.get(`table ${table}`) : r.relkind === 'c' ? byName.get(`type ${table}`) : undefined;
    if (!owner) continue; // view columns follow from the view definition
    if (r.relkind === 'c') {
      owner.attributes.attributes = [owner.attributes.attributes, `${r.column} ${r.type}`].filter(Boolean).join(', ');
      continue;
    }
    owner.columns!.push(r.column);
    const attributes: Record<string, string> = { type: r.type, nullable: r.notnull ? 'NOT NULL' : 'NULL' };
    if (r.collation) attributes.collation = r.collation;
    if (r.generated === 's') attributes.generated = `ALWAYS AS (${r.def}) STORED`;
    else if (r.def !== null) attributes.default = r.def;
    if (r.identity) attributes.identity = `${r.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'}${r.seqopts ? ` (${r.seqopts})` : ''}`;
    out.push({ kind: 'column', name: qualify(r.schema, r.table, r.column), attributes });
  }

  for (const r of await q<{ schema: string; table: string; name: string; def: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, co.conname AS name, pg_get_constraintdef(co.oid, true) AS def
       FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE co.contype <> 'n' AND ${USER_NAMESPACE} AND c.relname NOT IN (${ignoredTables})
        AND ${notFromExtension('pg_class', 'c.oid')} AND ${notFromExtension('pg_constraint', 'co.oid')}`,
  )) {
    out.push({ kind: 'constraint', name: qualify(r.schema, r.table, r.name), attributes: { definition: r.def } });
  }

  // Indexes that back a constraint are part of the constraint (pg_dump prints no CREATE INDEX for them).
  for (const r of await q<{ schema: string; name: string; def: string; clustered: boolean }>(
    `SELECT n.nspname AS schema, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisclustered AS clustered
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE ${USER_NAMESPACE} AND c.relname NOT IN (${ignoredTables})
        AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
        AND ${notFromExtension('pg_class', 'c.oid')} AND ${notFromExtension('pg_class', 'ic.oid')}`,
  )) {
    const attributes: Record<string, string> = { definition: r.def };
    if (r.clustered) attributes.clustered = 'true';
    out.push({ kind: 'index', name: qualify(r.schema, r.name), attributes });
  }

  // Sequences; identity sequences are described on their column instead.
  for (const r of await q<{ schema: string; name: string; type: string; start: string; inc: string; min: string; max: string; cache: string; cycle: boolean; owner: string | null }>(
    `SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
            s.seqincrement::text AS inc, s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
            (SELECT format('%I.%I.%I', tn.nspname, t.relname, a.attname) FROM pg_depend d
               JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
               JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                AND d.deptype = 'a' LIMIT 1) AS owner
       FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NAMESPACE} AND ${notFromExtension('pg_class', 'c.oid')}
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')`,
  )) {
    const attributes: Record<string, string> = {
      type: r.type, start: r.start, increment: r.inc, min: r.min, max: r.max, cache: r.cache, cycle: String(r.cycle),
    };
    if (r.owner) attributes['owned by'] = r.owner;
    out.push({ kind: 'sequence', name: qualify(r.schema, r.name), attributes });
  }

  for (const r of await q<{ schema: string; name: string; args: string; nargs: number; kind: string; def: string | null }>(
    `SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args, p.pronargs AS nargs,
            p.prokind::text AS kind, CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_get_functiondef(p.oid) END AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_NAMESPACE} AND ${notFromExtension('pg_proc', 'p.oid')}`,
  )) {
    const fn = qualify(r.schema, r.name);
    out.push({
      kind: 'function',
      name: `${fn}(${r.args})`,
      matchName: `${fn}/${r.nargs}`,
      attributes: { definition: r.def?.trim() ?? `aggregate ${fn}(${r.args})` },
    });
  }

  for (const r of await q<{ schema: string; table: string; name: string; def: string; enabled: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid, true) AS def, t.tgenabled::text AS enabled
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND ${USER_NAMESPACE} AND ${notFromExtension('pg_class', 'c.oid')}`,
  )) {
    const attributes: Record<string, string> = { definition: r.def };
    if (r.enabled !== 'O') attributes.enabled = { D: 'disabled', R: 'replica', A: 'always' }[r.enabled] ?? r.enabled;
    out.push({ kind: 'trigger', name: qualify(r.schema, r.table, r.name), attributes });
  }

  for (const r of await q<{ schema: string; table: string; name: string; cmd: string; permissive: boolean; roles: string[]; qual: string | null; check: string | null }>(
    `SELECT n.nspname AS schema, c.relname AS table, p.polname AS name, p.polcmd::text AS cmd, p.polpermissive AS permissive,
            array(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r ORDER BY 1) AS roles,
            pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS check
       FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NAMESPACE}`,
  )) {
    const attributes: Record<string, string> = {
      command: { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' }[r.cmd] ?? r.cmd,
      permissive: String(r.permissive),
      roles: r.roles.join(', '),
    };
    if (r.qual !== null) attributes.using = r.qual;
    if (r.check !== null) attributes['with check'] = r.check;
    out.push({ kind: 'policy', name: qualify(r.schema, r.table, r.name), attributes });
  }

  for (const r of await q<{ schema: string; table: string; name: string; def: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, rw.rulename AS name, pg_get_ruledef(rw.oid, true) AS def
       FROM pg_rewrite rw JOIN pg_class c ON c.oid = rw.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE rw.rulename <> '_RETURN' AND ${USER_NAMESPACE} AND ${notFromExtension('pg_class', 'c.oid')}`,
  )) {
    out.push({ kind: 'rule', name: qualify(r.schema, r.table, r.name), attributes: { definition: r.def } });
  }

  out.push(...(await readComments(client)));
  return out;
}

async function readComments(client: Queryable): Promise<CatalogObject[]> {
  const rows = (
    await client.query(
      `SELECT x.target, x.schema, x.parts, x.nargs, d.description
         FROM pg_description d
         JOIN LATERAL (
           SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                                 WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'c' THEN 'type' ELSE 'table' END AS target,
                  n.nspname AS schema, ARRAY[c.relname::text] AS parts, NULL::int AS nargs
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
              AND c.relname NOT IN (${ignoredTables}) AND ${notFromExtension('pg_class', 'c.oid')}
           UNION ALL
           SELECT 'column', n.nspname, ARRAY[c.relname::text, a.attname::text], NULL
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
            WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid > 0
              AND c.relname NOT IN (${ignoredTables}) AND ${notFromExtension('pg_class', 'c.oid')}
           UNION ALL
           SELECT 'function', n.nspname, ARRAY[p.proname::text, pg_get_function_identity_arguments(p.oid)], p.pronargs::int
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid AND ${notFromExtension('pg_proc', 'p.oid')}
           UNION ALL
           SELECT 'type', n.nspname, ARRAY[t.typname::text], NULL
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND t.typtype IN ('e', 'd', 'r', 'm')
              AND ${notFromExtension('pg_type', 't.oid')}
           UNION ALL
           SELECT 'schema', NULL, ARRAY[n.nspname::text], NULL
             FROM pg_namespace n WHERE d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
           UNION ALL
           SELECT 'constraint', n.nspname, ARRAY[c.relname::text, co.conname::text], NULL
             FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE d.classoid = 'pg_constraint'::regclass AND d.objoid = co.oid AND c.relname NOT IN (${ignoredTables})
           UNION ALL
           SELECT 'trigger', n.nspname, ARRAY[c.relname::text, t.tgname::text], NULL
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid
           UNION ALL
           SELECT 'policy', n.nspname, ARRAY[c.relname::text, p.polname::text], NULL
             FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid
         ) x ON true
        WHERE (x.schema IS NULL OR (x.schema NOT IN ('pg_catalog', 'information_schema') AND x.schema NOT LIKE 'pg\\_toast%'))
          -- Built-in objects (OID below FirstNormalObjectId) carry thousands of comments: skip them
          -- before the lateral join, except schemas (public is built in but users comment on it).
          AND (d.objoid >= 16384 OR d.classoid = 'pg_namespace'::regclass)`,
    )
  ).rows as { target: string; schema: string | null; parts: string[]; nargs: number | null; description: string }[];
  const out: CatalogObject[] = [];
  for (const r of rows) {
    if (r.target === 'schema' && /^(pg_|information_schema)/.test(r.parts[0]!)) continue;
    if (r.target === 'function') {
      const fn = qualify(r.schema!, r.parts[0]!);
      out.push({
        kind: 'comment',
        name: `function ${fn}(${r.parts[1]})`,
        matchName: `function ${fn}/${r.nargs}`,
        attributes: { comment: r.description },
      });
      continue;
    }
    const parts = r.schema === null ? r.parts : [r.schema, ...r.parts];
    out.push({ kind: 'comment', name: `${r.target} ${qualify(...parts)}`, attributes: { comment: r.description } });
  }
  return out;
}
