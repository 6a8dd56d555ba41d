import type { SyntaxNode } from '@lezer/common';
import { parsePython } from './lezer';
import type { ImportStatement } from './types';

/**
 * Reads a module-level import. `import a, b` is two bindings of one statement: it gives one entry per
 * module, each with the statement's range.
 */
export function readImports(node: SyntaxNode, text: string): ImportStatement[] {
  const range = { start: node.from, end: node.to };
  const word = (n: SyntaxNode): string => text.slice(n.from, n.to);
  let c = node.firstChild;
  if (!c) return [];
  if (c.name === 'from') {
    let level = 0;
    let module = '';
    for (c = c.nextSibling; c && c.name !== 'import'; c = c.nextSibling) {
      if (c.name === '.' || c.name === 'Ellipsis') {
        if (module === '') level += c.to - c.from;
        else module += '.';
      } else if (c.name === 'VariableName') module += word(c);
    }
    const names: ImportStatement['names'] = [];
    for (c = c?.nextSibling ?? null; c; c = c.nextSibling) {
      if (c.name === 'VariableName' || c.name === '*') {
        if (c.prevSibling?.name === 'as' && names.length) names[names.length - 1].alias = word(c);
        else names.push({ name: word(c) });
      }
    }
    return [{ range, kind: 'from', module, names, level }];
  }
  if (c.name !== 'import') return [];
  const out: ImportStatement[] = [];
  let current: ImportStatement | undefined;
  for (c = c.nextSibling; c; c = c.nextSibling) {
    if (c.name === ',') {
      current = undefined;
    } else if (c.name === 'VariableName') {
      if (c.prevSibling?.name === 'as' && current) current.alias = word(c);
      else if (c.prevSibling?.name === '.' && current) current.module += word(c);
      else {
        current = { range, kind: 'import', module: word(c), names: [], level: 0 };
        out.push(current);
      }
    } else if (c.name === '.' && current) {
      current.module += '.';
    }
  }
  return out;
}

/** The names an import binds at module level: alias, imported name, or the first part of a dotted module. */
export function importedNames(imp: ImportStatement): string[] {
  if (imp.kind === 'from') return imp.names.filter((n) => n.name !== '*').map((n) => n.alias ?? n.name);
  return [imp.alias ?? imp.module.split('.')[0]];
}

/** Every import statement of a file, at any depth (inside functions and blocks too), in text order. */
export function importsAnywhere(text: string): ImportStatement[] {
  const out: ImportStatement[] = [];
  parsePython(text).cursor().iterate((n) => {
    if (n.name === 'ImportStatement') {
      out.push(...readImports(n.node, text));
      return false;
    }
    return undefined;
  });
  return out;
}
