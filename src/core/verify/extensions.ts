import { loadModule, parseSync } from 'libpg-query';
import { parsePython, stringValue } from '../parse';

/**
 * The extensions a history creates (`CREATE EXTENSION` inside any Python string literal of the
 * migration files), read with PostgreSQL's own parser. The embedded back end loads contrib
 * extensions only when asked, so it must know them before the first database is created.
 */
export async function extensionsCreatedBy(texts: Iterable<string>): Promise<string[]> {
  await loadModule();
  const found = new Set<string>();
  for (const text of texts) {
    if (!/extension/i.test(text)) continue; // cheap filter only; the SQL itself is parsed below
    const cursor = parsePython(text).cursor();
    do {
      if (cursor.name !== 'String') continue;
      const value = stringValue(cursor.node, text);
      if (!value || !/extension/i.test(value)) continue;
      for (const name of createExtensionNames(value)) found.add(name);
    } while (cursor.next());
  }
  return [...found].sort();
}

function createExtensionNames(sql: string): string[] {
  try {
    return (parseSync(sql).stmts ?? []).flatMap(({ stmt }) => {
      const name = stmt && 'CreateExtensionStmt' in stmt ? stmt.CreateExtensionStmt.extname : undefined;
      return name ? [name] : [];
    });
  } catch {
    return [];
  }
}
