import { strict as assert } from 'node:assert';
import { splitDump } from '../../../src/core/schema';
import { assembleBodies, countsLine, executeCall, withoutTables, type SnapshotFacts } from '../../../src/core/squash/snapshot';
import { rewriteInLists } from '../../../src/core/squash/snapshot/checks';
import { SIDECAR_NAME } from '../../../src/core/squash/snapshot/assemble';

// A pg_dump -s excerpt: extension, enum, function, two tables with a serial and an FK, a view, an
// index, a trigger. Statement texts are pg_dump's own.
const DUMP = `SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE TYPE public.mood AS ENUM ('ok', 'meh');
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%: done', NEW.id; RETURN NEW; END; $$;
CREATE TABLE public.kinds (id integer NOT NULL, name text NOT NULL);
CREATE SEQUENCE public.kinds_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.kinds_id_seq OWNED BY public.kinds.id;
CREATE TABLE public.items (id integer NOT NULL, kind_id integer, title text);
CREATE VIEW public.named AS SELECT items.title FROM public.items;
ALTER TABLE ONLY public.kinds ALTER COLUMN id SET DEFAULT nextval('public.kinds_id_seq'::regclass);
ALTER TABLE ONLY public.kinds ADD CONSTRAINT kinds_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.items ADD CONSTRAINT items_pkey PRIMARY KEY (id);
CREATE INDEX ix_items_title_trgm ON public.items USING gin (title public.gin_trgm_ops);
CREATE INDEX ix_items_kind ON public.items USING btree (kind_id);
CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch();
ALTER TABLE ONLY public.items ADD CONSTRAINT fk_items_kind FOREIGN KEY (kind_id) REFERENCES public.kinds(id);
`;

const FACTS: SnapshotFacts = {
  tables: [
    { schema: 'public', table: 'kinds', create: "op.create_table('kinds')", drop: "op.drop_table('kinds')", constraints: ['kinds_pkey'], identityColumns: [], serialColumns: [{ column: 'id', sequence: 'kinds_id_seq' }], commentedColumns: [], comment: false },
    { schema: 'public', table: 'items', create: "op.create_table('items')", drop: "op.drop_table('items')", constraints: ['items_pkey'], identityColumns: [], serialColumns: [], commentedColumns: [], comment: false },
  ],
  indexes: [{ schema: 'public', table: 'items', name: 'ix_items_kind', code: "op.create_index('ix_items_kind')" }],
  foreignKeys: [{ schema: 'public', table: 'items', name: 'fk_items_kind', code: "op.create_foreign_key('fk_items_kind')", drop: "op.drop_constraint('fk_items_kind')" }],
  dumpTables: [],
  seeds: [{ schema: 'public', table: 'kinds', rows: 1, leftToDefault: [], bulkInsert: "op.bulk_insert(sa.table('kinds'), [{'id': 1}])" }],
  sequences: [{ schema: 'public', name: 'kinds_id_seq', statement: "SELECT setval(pg_get_serial_sequence('public.kinds', 'id'), 1, true)" }],
  populatedMatviews: [],
  imports: [],
};

describe('snapshot strategy: assembling the revision body', () => {
  it('pg_dump order, tables by Alembic, rows between pre-data and post-data, everything else one statement per call', async () => {
    const bodies = await assembleBodies(await splitDump(DUMP), FACTS);
    const up = bodies.upgrade.split('\n').filter((l) => !l.startsWith('    ') && l !== ')');
    assert.deepEqual(up, [
      "_execute('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public')",
      `_execute("CREATE TYPE public.mood AS ENUM ('ok', 'meh')")`,
      `_execute("CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%: done', NEW.id; RETURN NEW; END; $$")`,
      "op.create_table('kinds')",
      "op.create_table('items')",
      "_execute('CREATE VIEW public.named AS SELECT items.title FROM public.items')",
      '# Seed rows the chain left in its tables, and the positions of its sequences.',
      "op.bulk_insert(sa.table('kinds'), [{'id': 1}])",
      `_execute("SELECT setval(pg_get_serial_sequence('public.kinds', 'id'), 1, true)")`,
      "_execute('CREATE INDEX ix_items_title_trgm ON public.items USING gin (title public.gin_trgm_ops)')",
      "op.create_index('ix_items_kind')",
      "_execute('CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch()')",
      "op.create_foreign_key('fk_items_kind')",
    ]);
    assert.deepEqual(bodies.downgrade.split('\n'), [
      "op.drop_constraint('fk_items_kind')",
      "_execute('DROP VIEW public.named')",
      "op.drop_table('items')",
      "op.drop_table('kinds')",
      "_execute('DROP FUNCTION public.touch()')",
      "_execute('DROP TYPE public.mood')",
      "_execute('DROP EXTENSION pg_trgm')",
    ]);
    assert.equal(countsLine(bodies.counts), '1 extension, 1 enum, 1 function, 2 tables, 1 foreign key, 2 indexes, 1 view, 1 trigger');
  });

  it('a table handed back to pg_dump takes its CREATE, serial sequence, default, keys and indexes from the dump', async () => {
    const bodies = await assembleBodies(await splitDump(DUMP), withoutTables(FACTS, ['public.kinds']));
    assert.match(bodies.upgrade, /_execute\('CREATE TABLE public\.kinds \(id integer NOT NULL, name text NOT NULL\)'\)/);
    assert.match(bodies.upgrade, /ALTER SEQUENCE public\.kinds_id_seq OWNED BY public\.kinds\.id/);
    assert.match(bodies.upgrade, /SET DEFAULT nextval/);
    assert.match(bodies.upgrade, /ADD CONSTRAINT kinds_pkey PRIMARY KEY/);
    assert.match(bodies.downgrade, /_execute\('DROP TABLE public\.kinds'\)/);
    assert.doesNotMatch(bodies.downgrade, /DROP SEQUENCE/, 'an owned sequence goes with its table');
  });

  it('--snapshot-format sql: statements go to the .sql text in two sections, the revision runs them around the rows', async () => {
    const bodies = await assembleBodies(await splitDump(DUMP), withoutTables(FACTS, ['public.kinds', 'public.items']), 'sql');
    assert.ok(bodies.sidecar);
    const pre = bodies.sidecar!.split('-- section: pre-data\n')[1]!.split('\n-- section: post-data\n')[0]!;
    assert.equal(pre.split('-- statement\n').filter(Boolean).length, 9, 'extension, type, function, 2 tables, sequence, OWNED BY, view, SET DEFAULT');
    assert.deepEqual(bodies.upgrade.split('\n').filter((l) => l.startsWith('_execute_sql_file')), [`_execute_sql_file(${SIDECAR_NAME}, 'pre-data')`, `_execute_sql_file(${SIDECAR_NAME}, 'post-data')`]);
  });

  it('executeCall keeps a statement byte for byte: quotes, backslashes, newlines, % and :name', () => {
    const sql = "SELECT 'it''s', E'a\\\\b', '50%', ':name'\nFROM x;";
    const call = executeCall(sql);
    assert.ok(call.startsWith('_execute(\n'));
    assert.equal(call, `_execute(\n    "SELECT 'it''s', E'a\\\\\\\\b', '50%', ':name'\\n"\n    'FROM x'\n)`);
  });

  it('CHECK (x::text = ANY (ARRAY[…]::text[])) is written back as the IN list PostgreSQL stored it from', async () => {
    const out = await rewriteInLists(`ALTER TABLE public.t ADD CONSTRAINT ck CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])));`);
    assert.match(out!, /CHECK \(status IN \('a'::varchar, 'b'::varchar\)\)/);
    assert.equal(await rewriteInLists('ALTER TABLE public.t ADD CONSTRAINT ck CHECK (n > 0);'), undefined);
  });
});

describe('snapshot strategy: .sql files next to revisions', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  const path = require('node:path') as typeof import('node:path');
  const { withSidecars } = require('../../../src/core/squash/snapshot/sidecars') as typeof import('../../../src/core/squash/snapshot/sidecars');

  it('a replaced revision\'s .sql goes with it (deleted, or archived); the new one is created or rewritten in place', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecars-'));
    try {
      fs.writeFileSync(path.join(dir, 'a1_first.py'), '');
      fs.writeFileSync(path.join(dir, 'a1_first.sql'), '-- old a1');
      fs.writeFileSync(path.join(dir, 'b2_squash.py'), '');
      fs.writeFileSync(path.join(dir, 'b2_squash.sql'), '-- old b2');
      const plan = { directory: dir, members: [{ path: path.join(dir, 'a1_first.py') }, { path: path.join(dir, 'b2_squash.py') }] } as never;
      const edits = withSidecars([], plan, 'b2_squash.py', '-- new', undefined);
      assert.deepEqual(edits.map((e) => [e.kind, path.basename('path' in e ? e.path : e.from)]), [['delete', 'a1_first.sql'], ['modify', 'b2_squash.sql']]);
      const archived = withSidecars([], plan, 'c3_other.py', '-- new', 'archive');
      assert.deepEqual(archived.map((e) => [e.kind, path.basename('path' in e ? e.path : e.from)]), [['create', 'c3_other.sql'], ['move', 'a1_first.sql'], ['move', 'b2_squash.sql']]);
      assert.deepEqual(withSidecars([], plan, 'c3_other.py', undefined, undefined).map((e) => e.kind), ['delete', 'delete']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
