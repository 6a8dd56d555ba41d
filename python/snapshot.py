"""Read a database the chain built and render its tables as Alembic operations, plus its rows.

Run with the project's interpreter, like driver.py:

    python snapshot.py < request.json

(or `driver.py snapshot`, which calls read() in a driver that has SQLAlchemy imported already).

The database URL comes from ALEMBIC_SQUASH_DATABASE_URL (never argv). The request may name tables
to leave to pg_dump (`{"dumpTables": ["public.t"]}`). Exactly one JSON document goes to stdout:
tables rendered by Alembic's own autogenerate renderer (create/drop code and the pg_dump objects
they cover), plain indexes and foreign keys as their own operations, seed rows, sequence positions
and the materialized views the chain left populated. Everything Alembic cannot express exactly is
left to pg_dump's statements on the caller's side.
"""

import json
import os
import sys
import traceback

URL_ENV = "ALEMBIC_SQUASH_DATABASE_URL"
SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast')"


def answer(document):
    _answer.write(json.dumps(document, default=str))
    _answer.write("\n")
    _answer.flush()


def catalog(conn, sql, **params):
    import sqlalchemy as sa

    return [dict(r._mapping) for r in conn.execute(sa.text(sql), params)]


def by_table(conn, sql, oids):
    """One catalog query for every table at once (`:oids`, the rows carrying `relid`), grouped by table."""
    import sqlalchemy as sa

    out = {oid: [] for oid in oids}
    if not oids:
        return out
    # Object ids are unsigned 32-bit: on a long-lived server they pass 2^31, beyond an INTEGER.
    query = sa.text(sql).bindparams(sa.bindparam("oids", type_=sa.ARRAY(sa.BigInteger)))
    for r in conn.execute(query, {"oids": list(oids)}):
        row = dict(r._mapping)
        out.setdefault(row.pop("relid"), []).append(row)
    return out


def user_tables(conn):
    """Ordinary tables of the user's schemas, not owned by an extension, with why pg_dump must render one."""
    rows = catalog(
        conn,
        """
        SELECT n.nspname AS schema, c.relname AS name, c.oid AS oid,
               c.relkind <> 'r' OR c.relispartition OR c.relpersistence <> 'p' OR c.reloptions IS NOT NULL
                 OR c.reloftype <> 0 OR EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid OR i.inhparent = c.oid)
                 AS special,
               EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                          AND (t.typtype IN ('d', 'c', 'r', 'm') OR a.attcollation NOT IN (0, t.typcollation)
                               OR a.attstorage <> t.typstorage OR a.attstattarget >= 0 AND a.attstattarget <> -1
                               OR a.attcompression <> ''))
                 AS special_columns
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN """ + SYSTEM_SCHEMAS + """
           AND n.nspname NOT LIKE 'pg\\_%' AND c.relname <> 'alembic_version'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
         ORDER BY 1, 2
        """,
    )
    return rows


def enum_labels(conn):
    rows = catalog(
        conn,
        """
        SELECT n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
          FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
         GROUP BY 1, 2
        """,
    )
    return {(r["schema"], r["name"]): list(r["labels"]) for r in rows}


# Catalog facts are read for all tables at once, one query each: a query per table was most of the
# read's time on a history with many tables.


def constraint_facts(conn, oids):
    """Per table: constraints Alembic cannot render exactly (deferrable, NOT VALID, NO INHERIT, exclusion) by name."""
    rows = by_table(
        conn,
        """
        SELECT conrelid AS relid, conname AS name, contype AS type,
               (condeferrable AND contype <> 'f') OR NOT convalidated OR (contype = 'c' AND connoinherit)
                 OR contype NOT IN ('p', 'u', 'c', 'f') AS special
          FROM pg_constraint WHERE conrelid = ANY (CAST(:oids AS oid[]))
        """,
        oids,
    )
    return {oid: {r["name"]: r for r in found} for oid, found in rows.items()}


def plain_indexes(conn, oids):
    """Per table: indexes not backing a constraint that op.create_index reproduces exactly: btree on plain columns."""
    rows = by_table(
        conn,
        """
        SELECT x.indrelid AS relid, ic.relname AS name,
               x.indpred IS NULL AND x.indexprs IS NULL AND am.amname = 'btree' AND x.indnkeyatts = x.indnatts
                 AND NOT EXISTS (SELECT 1 FROM unnest(x.indoption) o WHERE o <> 0)
                 AND NOT EXISTS (SELECT 1 FROM unnest(x.indcollation) WITH ORDINALITY AS k(coll, i)
                                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k.i - 1]
                                 WHERE k.coll <> a.attcollation)
                 AND NOT EXISTS (SELECT 1 FROM unnest(x.indclass) WITH ORDINALITY AS k(cls, i)
                                  JOIN pg_opclass oc ON oc.oid = k.cls WHERE NOT oc.opcdefault)
                 AND ic.reloptions IS NULL AND NOT x.indnullsnotdistinct
                 AS plain
          FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_am am ON am.oid = ic.relam
         WHERE x.indrelid = ANY (CAST(:oids AS oid[]))
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)
        """,
        oids,
    )
    return {oid: {r["name"] for r in found if r["plain"]} for oid, found in rows.items()}


def serial_columns(conn, oids):
    """Per table: columns whose default is nextval() of a sequence they own, with the sequence's options."""
    return by_table(
        conn,
        """
        SELECT d.refobjid AS relid, a.attname AS column, s.relname AS sequence, sn.nspname AS sequence_schema,
               format_type(q.seqtypid, NULL) AS seqtype, format_type(a.atttypid, NULL) AS coltype,
               q.seqstart = 1 AND q.seqincrement = 1 AND q.seqmin = 1 AND q.seqcache = 1 AND NOT q.seqcycle
                 AND q.seqmax = CASE format_type(q.seqtypid, NULL) WHEN 'integer' THEN 2147483647
                                 WHEN 'bigint' THEN 9223372036854775807 WHEN 'smallint' THEN 32767 END
                 AS default_options
          FROM pg_depend d
          JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
          JOIN pg_namespace sn ON sn.oid = s.relnamespace
          JOIN pg_sequence q ON q.seqrelid = s.oid
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.refobjid = ANY (CAST(:oids AS oid[])) AND d.deptype = 'a' AND d.classid = 'pg_class'::regclass
        """,
        oids,
    )


def volatile_columns(conn, oids):
    """Per table: columns whose default calls a function that is not immutable (other than nextval): left to their default."""
    rows = by_table(
        conn,
        """
        SELECT DISTINCT ad.adrelid AS relid, a.attname AS column
          FROM pg_attrdef ad
          JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
          JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_proc'::regclass
          JOIN pg_proc p ON p.oid = d.refobjid
         WHERE ad.adrelid = ANY (CAST(:oids AS oid[])) AND p.provolatile <> 'i' AND p.proname <> 'nextval'
        UNION
        SELECT ad.adrelid, a.attname FROM pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
         WHERE ad.adrelid = ANY (CAST(:oids AS oid[])) AND a.attgenerated = ''
           AND pg_get_expr(ad.adbin, ad.adrelid) ~* '^(now\\(\\)|CURRENT_(TIMESTAMP|DATE|TIME)|LOCALTIMESTAMP|LOCALTIME|statement_timestamp|clock_timestamp|transaction_timestamp)'
        """,
        oids,
    )
    return {oid: {r["column"] for r in found} for oid, found in rows.items()}


def strip_rendered(code):
    """render_python_code's text without its banner comments, dedented to column 0."""
    lines = [l for l in code.split("\n") if not l.strip().startswith("# ###")]
    return "\n".join(l[4:] if l.startswith("    ") else l for l in lines).strip()


class Renderer:
    def __init__(self, conn):
        from alembic.autogenerate.api import AutogenContext
        from alembic.runtime.migration import MigrationContext

        self.conn = conn
        self.context = MigrationContext.configure(conn)
        self.enums = enum_labels(conn)
        self.imports = set()
        self.autogen = AutogenContext(
            self.context,
            opts={
                "sqlalchemy_module_prefix": "sa.",
                "alembic_module_prefix": "op.",
                "render_item": self.render_item,
                "user_module_prefix": None,
            },
        )

    def render_item(self, kind, obj, autogen_context):
        # Enum types come from pg_dump's CREATE TYPE (labels in their sort order, values added later
        # included); the columns only name them, so create_table must not create them again.
        from sqlalchemy.dialects import postgresql

        if kind == "type" and isinstance(obj, postgresql.ENUM):
            labels = self.enums.get((obj.schema or "public", obj.name), list(obj.enums))
            args = [repr(l) for l in labels] + ["name=%r" % obj.name]
            if obj.schema:
                args.append("schema=%r" % obj.schema)
            args.append("create_type=False")
            autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
            return "postgresql.ENUM(%s)" % ", ".join(args)
        return False

    def render(self, op):
        from alembic.autogenerate import render as alembic_render
        from alembic.operations import ops

        code = alembic_render._render_cmd_body(ops.UpgradeOps(ops=[op]), self.autogen)
        self.imports.update(self.autogen.imports)
        return strip_rendered(code)


def read_catalog_once(dialect):
    """SQLAlchemy 1.4 reads every enum and domain again for each table it reflects; the database does
    not change during a read, so once is enough (this dialect belongs to the read's own engine)."""
    for name in ("_load_enums", "_load_domains"):
        original = getattr(dialect, name, None)
        if original is None:
            continue
        memo = {}

        def cached(connection, *args, _original=original, _memo=memo, **kw):
            key = repr((args, sorted((k, v) for k, v in kw.items() if k != "info_cache")))
            if key not in _memo:
                _memo[key] = _original(connection, *args, **kw)
            return _memo[key]

        setattr(dialect, name, cached)


def reflect(conn, tables):
    import sqlalchemy as sa

    read_catalog_once(conn.dialect)
    context_impl = Renderer(conn)
    metadata = sa.MetaData()

    def on_column(inspector, table, info):
        # Alembic's own PostgreSQL rule: an owned sequence's nextval() default is a SERIAL column.
        context_impl.context.impl.autogen_column_reflect(inspector, table, info)

    sa.event.listen(metadata, "column_reflect", on_column)
    by_schema = {}
    for t in tables:
        by_schema.setdefault(t["schema"], []).append(t["name"])
    for schema, names in by_schema.items():
        metadata.reflect(conn, schema=None if schema == "public" else schema, only=names)
    return context_impl, metadata


def table_key(table):
    return (table.schema or "public", table.name)


def render_tables(conn, request):
    import sqlalchemy as sa
    from alembic.operations import ops

    dump_tables = set(request.get("dumpTables") or [])
    tables = user_tables(conn)
    renderer, metadata = reflect(conn, tables)
    oids = [t["oid"] for t in tables]
    all_constraints, all_serials, all_plain = constraint_facts(conn, oids), serial_columns(conn, oids), plain_indexes(conn, oids)
    facts = {(t["schema"], t["name"]): t for t in tables}
    out_tables, out_indexes, out_fks, fallbacks = [], [], [], []
    for table in list(metadata.tables.values()):
        key = table_key(table)
        fact = facts.get(key)
        if fact is None:
            continue
        reason = None
        if "%s.%s" % key in dump_tables:
            reason = "its Alembic rendering differed from the chain"
        elif fact["special"]:
            reason = "partitioned, inherited, unlogged, typed or with storage options"
        elif fact["special_columns"]:
            reason = "a column uses a domain, composite or range type, a collation or storage setting"
        elif any(isinstance(c.type, sa.types.NullType) for c in table.columns):
            reason = "a column type SQLAlchemy does not know"
        if reason:
            fallbacks.append({"schema": key[0], "table": key[1], "reason": reason})
            continue
        oid = fact["oid"]
        constraints = all_constraints[oid]
        serial = {s["column"]: s for s in all_serials[oid]}
        covered_serials = []
        for column in table.columns:
            s = serial.get(column.name)
            if s is None:
                continue
            pk = list(table.primary_key.columns)
            renders_serial = (
                s["default_options"] and len(pk) == 1 and pk[0] is column and s["seqtype"] == s["coltype"]
                and s["sequence"] == "%s_%s_seq" % (table.name, column.name) and s["sequence_schema"] == key[0]
                and column.server_default is None
            )
            if renders_serial:
                covered_serials.append({"column": column.name, "sequence": s["sequence"]})
            else:
                # pg_dump's CREATE SEQUENCE, OWNED BY and SET DEFAULT statements stay.
                column.server_default = None
                column.autoincrement = False
        for column in table.columns:
            default = column.server_default
            if default is not None and "nextval(" in str(getattr(default, "arg", "")):
                # The sequence may be created after the table (pg_dump's order): its SET DEFAULT stays.
                column.server_default = None
            if column.name not in serial and column.autoincrement is True and column.identity is None:
                column.autoincrement = False
        kept_constraints = []
        # table.constraints is a set: by name, so the facts (and the order of foreign keys) do not vary by run.
        for c in sorted(table.constraints, key=lambda c: (c.name or "", type(c).__name__)):
            if isinstance(c, sa.ForeignKeyConstraint):
                table.constraints.discard(c)
                fact_c = constraints.get(c.name)
                if fact_c and not fact_c["special"]:
                    out_fks.append({
                        "schema": key[0], "table": key[1], "name": c.name,
                        "code": renderer.render(ops.CreateForeignKeyOp.from_constraint(c)),
                        "drop": renderer.render(ops.DropConstraintOp.from_constraint(c)),
                    })
                continue
            if c.name is None or c.name not in constraints or constraints[c.name]["special"]:
                table.constraints.discard(c)
                if isinstance(c, sa.PrimaryKeyConstraint):
                    table.primary_key = sa.PrimaryKeyConstraint()
                continue
            kept_constraints.append(c.name)
        for col in table.columns:
            col.foreign_keys.clear() if hasattr(col.foreign_keys, "clear") else None
        plain = all_plain[oid]
        for index in list(table.indexes):
            if index.name in plain:
                index.dialect_options["postgresql"]._non_defaults.pop("include", None)
                out_indexes.append({
                    "schema": key[0], "table": key[1], "name": index.name,
                    "code": renderer.render(ops.CreateIndexOp.from_index(index)),
                })
        table.indexes.clear()
        table.dialect_options["postgresql"]._non_defaults.pop("ignore_search_path", None)
        out_tables.append({
            "schema": key[0],
            "table": key[1],
            "create": renderer.render(ops.CreateTableOp.from_table(table)),
            "drop": renderer.render(ops.DropTableOp.from_table(table)),
            "constraints": kept_constraints,
            "identityColumns": [c.name for c in table.columns if c.identity is not None],
            "serialColumns": covered_serials,
            "commentedColumns": [c.name for c in table.columns if c.comment],
            "comment": table.comment is not None,
        })
    return renderer, metadata, tables, out_tables, out_indexes, out_fks, fallbacks


def seed_rows(conn, metadata, tables):
    """Rows of every non-empty table, in foreign-key order: bulk_insert, or INSERT when bulk_insert cannot."""
    import sqlalchemy as sa

    order = [table_key(t) for t in metadata.sorted_tables]
    order += sorted(k for k in ((t["schema"], t["name"]) for t in tables) if k not in order)
    facts = {(t["schema"], t["name"]): t for t in tables}
    quote = lambda key: '"%s"."%s"' % (key[0].replace('"', '""'), key[1].replace('"', '""'))  # noqa: E731
    oids = [t["oid"] for t in tables]
    all_columns = by_table(
        conn,
        """
        SELECT a.attrelid AS relid, a.attname AS name, a.attgenerated <> '' AS generated, a.attidentity AS identity,
               format_type(a.atttypid, NULL) AS type
          FROM pg_attribute a WHERE a.attrelid = ANY (CAST(:oids AS oid[])) AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attrelid, a.attnum
        """,
        oids,
    )
    all_pks = by_table(
        conn,
        "SELECT x.indrelid AS relid, a.attname AS name FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey) "
        "WHERE x.indrelid = ANY (CAST(:oids AS oid[])) AND x.indisprimary",
        oids,
    )
    all_volatile = volatile_columns(conn, oids)
    counts = {}
    if tables:
        counts = dict(conn.execute(sa.text(" UNION ALL ".join(
            "SELECT %d, count(*) FROM ONLY %s" % (t["oid"], quote((t["schema"], t["name"]))) for t in tables
        ))).all())
    seeds = []
    for key in order:
        fact = facts.get(key)
        if fact is None:
            continue
        oid = fact["oid"]
        columns = all_columns[oid]
        qualified = quote(key)
        count = counts.get(oid)
        if not count:
            continue
        volatile = all_volatile[oid]
        kept = [c for c in columns if not c["generated"] and c["name"] not in volatile]
        if not kept:
            continue
        quoted = ['"%s"' % c["name"].replace('"', '""') for c in kept]
        pk = all_pks[oid]
        order_by = ", ".join('"%s"' % p["name"].replace('"', '""') for p in pk) or ", ".join("%s::text" % q for q in quoted)
        always = any(c["identity"] == "a" for c in kept)
        seed = {"schema": key[0], "table": key[1], "rows": count, "leftToDefault": sorted(volatile & {c["name"] for c in columns})}
        if always:
            # bulk_insert cannot say OVERRIDING SYSTEM VALUE: PostgreSQL quotes each value itself.
            values = conn.execute(sa.text(
                "SELECT format('(%%s)', concat_ws(', ', %s)) FROM ONLY %s ORDER BY %s"
                % (", ".join("quote_nullable(%s::text)" % q for q in quoted), qualified, order_by)
            )).scalars().all()
            seed["insert"] = "INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE VALUES\n    %s" % (qualified, ", ".join(quoted), ",\n    ".join(values))
        else:
            rows = conn.execute(sa.text(
                "SELECT %s FROM ONLY %s ORDER BY %s" % (", ".join("%s::text" % q for q in quoted), qualified, order_by)
            )).all()
            seed["bulkInsert"] = render_bulk_insert(key, kept, rows)
        seeds.append(seed)
    return seeds


NUMBER_TYPES = {"integer", "bigint", "smallint"}
# Typed columns let `alembic upgrade --sql` write the rows as literals; every other value stays the
# text PostgreSQL gave, which it reads back into the column's own type.
COLUMN_TYPES = {"integer": "sa.Integer()", "bigint": "sa.BigInteger()", "smallint": "sa.SmallInteger()", "boolean": "sa.Boolean()"}


def render_bulk_insert(key, columns, rows):
    """op.bulk_insert of a lightweight sa.table(): values as PostgreSQL wrote them, so nothing is converted."""
    def value(column, text):
        if text is None:
            return "None"
        if column["type"] in NUMBER_TYPES:
            return text
        if column["type"] == "boolean":
            return "True" if text == "true" else "False"
        return repr(text)

    schema = "" if key[0] == "public" else ", schema=%r" % key[0]
    lines = ["op.bulk_insert("]
    typed = ", ".join("sa.column(%r, %s)" % (c["name"], COLUMN_TYPES.get(c["type"], "sa.String()")) for c in columns)
    lines.append("    sa.table(%r, %s%s)," % (key[1], typed, schema))
    lines.append("    [")
    for row in rows:
        pairs = ", ".join("%r: %s" % (c["name"], value(c, v)) for c, v in zip(columns, row))
        lines.append("        {%s}," % pairs)
    lines.append("    ],")
    lines.append(")")
    return "\n".join(lines)


def sequence_positions(conn):
    """setval() of every sequence the chain advanced, owned ones through their column (their name may differ)."""
    rows = catalog(
        conn,
        """
        SELECT s.schemaname AS schema, s.sequencename AS name, s.last_value AS last_value,
               (SELECT format('%I.%I', tn.nspname, t.relname) || '|' || a.attname
                  FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                 WHERE d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass AND d.deptype IN ('a', 'i')
                   AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass LIMIT 1) AS owner
          FROM pg_sequences s
         WHERE s.schemaname NOT IN """ + SYSTEM_SCHEMAS + """ AND s.last_value IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                            AND e.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass AND e.deptype = 'e')
         ORDER BY 1, 2
        """,
    )
    out = []
    for r in rows:
        if r["owner"]:
            table, column = r["owner"].rsplit("|", 1)
            target = "pg_get_serial_sequence(%s, %s)" % (sql_literal(table), sql_literal(column))
        else:
            target = sql_literal('"%s"."%s"' % (r["schema"].replace('"', '""'), r["name"].replace('"', '""')))
        out.append({"schema": r["schema"], "name": r["name"], "statement": "SELECT setval(%s, %s, true)" % (target, r["last_value"])})
    return out


def sql_literal(text):
    return "'%s'" % text.replace("'", "''")


def populated_matviews(conn):
    rows = catalog(
        conn,
        """
        SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'm' AND c.relispopulated AND n.nspname NOT IN """ + SYSTEM_SCHEMAS + """
        """,
    )
    return [{"schema": r["schema"], "name": r["name"]} for r in rows]


def read(request, url):
    """The document for one database (see the module docstring); raises on failure."""
    import sqlalchemy as sa

    url = "postgresql://" + url.split("://", 1)[1]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            renderer, metadata, found, tables, indexes, fks, fallbacks = render_tables(conn, request)
            seeds = seed_rows(conn, metadata, found)
            return {
                "tables": tables,
                "indexes": indexes,
                "foreignKeys": fks,
                "dumpTables": fallbacks,
                "seeds": seeds,
                "sequences": sequence_positions(conn),
                "populatedMatviews": populated_matviews(conn),
                "imports": sorted(renderer.imports),
            }
    finally:
        engine.dispose()


def main():
    try:
        import sqlalchemy  # noqa: F401
    except ImportError as exc:
        answer({"ok": False, "error": {"kind": "import", "message": str(exc), "type": type(exc).__name__}})
        return 3
    try:
        request = json.loads(sys.stdin.read() or "{}")
        url = os.environ.get(URL_ENV)
        if not url:
            raise RuntimeError("%s is not set" % URL_ENV)
        document = read(request, url)
        document["ok"] = True
        answer(document)
        return 0
    except BaseException as exc:  # noqa: B902 - every failure must become JSON
        answer({"ok": False, "error": {"kind": "snapshot", "type": type(exc).__name__, "message": str(exc).strip() or type(exc).__name__,
                                       "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]}})
        return 1


if __name__ == "__main__":
    # The JSON answer goes to the original stdout; everything else (warnings, prints) to stderr.
    _answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    sys.exit(main())
