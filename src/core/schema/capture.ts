import type { ObjectKind, Queryable, SchemaObject, SchemaSnapshot } from './types';
import { splitDump, type DumpStatement } from './dump';
import { readCatalog } from './catalog';
import { objectKey } from './names';

export interface CaptureOptions {
  /** `pg_dump -s -O -x` output of the database (still being made: the catalog is read meanwhile). */
  dumpText: string | Promise<string>;
  /** A connection to the same database: its catalog becomes the truth for comparison. */
  client?: Queryable;
}

/**
 * Builds the object model of one database.
 *
 * How the two sources combine: with a client, the catalog model (pg_get_*def, columns in order,
 * enum labels in order, extension-owned objects excluded) is what gets compared, and each object
 * carries the dump statements that create it as its readable text. Dump statements that no catalog
 * object claims (kinds the catalog queries do not cover) become objects of their own, compared by
 * their statement text. Without a client, every object is compared by its dump text.
 */
export async function captureSchema(options: CaptureOptions): Promise<SchemaSnapshot> {
  const dumped = Promise.resolve(options.dumpText).then(splitDump);
  // Read while the dump is made (it fails the capture all the same if it fails).
  const reading = options.client ? readCatalog(options.client) : undefined;
  reading?.catch(() => undefined);
  const statements = await dumped;
  const objects = new Map<string, SchemaObject>();
  const normalizedDump = statements.map((s) => s.text).join('\n\n') + '\n';

  if (!reading) {
    for (const s of statements) {
      const key = objectKey(s.kind, s.name);
      const existing = objects.get(key);
      if (existing) {
        existing.text = `${existing.text}\n${s.text}`;
        existing.attributes.statement = existing.text;
      } else {
        objects.set(key, { kind: s.kind, name: s.name, attributes: { statement: s.text }, text: s.text });
      }
    }
    return { source: 'dump', objects, normalizedDump };
  }

  const catalog = await reading;
  const byMatch = new Map<string, SchemaObject>();
  for (const o of catalog) {
    const { matchName, ...object } = o;
    objects.set(objectKey(object.kind, object.name), object);
    byMatch.set(objectKey(object.kind, matchName ?? object.name), object);
  }
  for (const s of statements) {
    const owner = byMatch.get(objectKey(s.kind, s.matchName ?? s.name)) ?? ownerOfColumnStatement(s, byMatch);
    if (owner) {
      owner.text = owner.text ? `${owner.text}\n${s.text}` : s.text;
      continue;
    }
    const key = objectKey(s.kind, s.name);
    const existing = objects.get(key);
    if (existing && existing.attributes.statement !== undefined) {
      existing.text = `${existing.text}\n${s.text}`;
      existing.attributes.statement = existing.text;
    } else if (!existing) {
      objects.set(key, { kind: s.kind, name: s.name, attributes: { statement: s.text }, text: s.text });
    }
  }
  return { source: 'catalog', objects, normalizedDump };
}

/** `ALTER TABLE … ADD GENERATED … AS IDENTITY` etc. name a column; with no column object, show it on the table. */
function ownerOfColumnStatement(s: DumpStatement, byMatch: Map<string, SchemaObject>): SchemaObject | undefined {
  if (s.kind !== 'column') return undefined;
  const table = s.name.slice(0, s.name.lastIndexOf('.'));
  return byMatch.get(objectKey('table' as ObjectKind, table));
}
