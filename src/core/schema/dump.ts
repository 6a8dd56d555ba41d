import { loadModule, parseSync } from 'libpg-query';
import type { ObjectKind } from './types';
import { IGNORED_TABLES, qualify } from './names';

/** One statement of a dump, with the object it belongs to. */
export interface DumpStatement {
  /** The statement as pg_dump wrote it (leading comments removed), ending with `;`. */
  text: string;
  kind: ObjectKind;
  /** Same naming as the catalog side, so both can be joined (see `matchName`). */
  name: string;
  /** Set for objects whose catalog name cannot be derived from the statement (functions: `name/nargs`). */
  matchName?: string;
}

let loaded: Promise<void> | undefined;

/** psql meta-commands (`\restrict KEY`, `\unrestrict KEY`) are not SQL: pg_dump 15.14+ prints them. */
export function blankMetaCommands(dump: string): string {
  return dump
    .split('\n')
    .map((line) => (line.startsWith('\\restrict') || line.startsWith('\\unrestrict') ? '' : line))
    .join('\n');
}

/**
 * Splits a `pg_dump -s` text into statements with the PostgreSQL parser and assigns each to the
 * object it defines. Session settings (SET, set_config) and alembic_version objects are dropped.
 */
export async function splitDump(dump: string): Promise<DumpStatement[]> {
  await (loaded ??= loadModule());
  const text = blankMetaCommands(dump);
  const bytes = Buffer.from(text, 'utf8');
  const parsed = parseSync(text) as { stmts?: { stmt: Record<string, any>; stmt_location?: number; stmt_len?: number }[] };
  const out: DumpStatement[] = [];
  for (const raw of parsed.stmts ?? []) {
    // Offsets are UTF-8 byte offsets; a zero length means "to the end of the input".
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const statementText = stripLeadingComments(bytes.subarray(start, end).toString('utf8'));
    if (!statementText) continue;
    const target = classify(raw.stmt);
    if (!target) continue;
    out.push({ text: `${statementText};`, ...target });
  }
  return out;
}

function stripLeadingComments(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.trimStart().startsWith('--'))) i++;
  return lines.slice(i).join('\n').trim();
}

type Target = Omit<DumpStatement, 'text'>;

function strings(list: any[] | undefined): string[] {
  return (list ?? []).map((n) => n?.String?.sval).filter((s): s is string => typeof s === 'string');
}

function rel(r: any): string[] {
  return r?.schemaname ? [r.schemaname, r.relname] : [r?.relname ?? '?'];
}

function isIgnoredRelation(r: any): boolean {
  return IGNORED_TABLES.has(r?.relname);
}

const RELATION_KIND: Record<string, ObjectKind> = {
  OBJECT_TABLE: 'table',
  OBJECT_FOREIGN_TABLE: 'table',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_INDEX: 'index',
  OBJECT_TYPE: 'type',
};

/** Function parameters that are part of the call signature (not OUT / TABLE columns). */
function inputArgCount(parameters: any[] | undefined): number {
  return (parameters ?? []).filter((p) => {
    const mode = p?.FunctionParameter?.mode;
    return mode !== 'FUNC_PARAM_OUT' && mode !== 'FUNC_PARAM_TABLE';
  }).length;
}

/** null = a statement to drop (session settings, alembic_version objects). */
function classify(stmt: Record<string, any>): Target | null {
  const [type] = Object.keys(stmt);
  const node = stmt[type!];
  switch (type) {
    case 'VariableSetStmt':
      return null;
    case 'SelectStmt': {
      const call = node.targetList?.[0]?.ResTarget?.val?.FuncCall;
      if (call && strings(call.funcname).pop() === 'set_config') return null;
      return other(stmt);
    }
    case 'CreateStmt':
      return isIgnoredRelation(node.relation) ? null : { kind: 'table', name: qualify(...rel(node.relation)) };
    case 'AlterTableStmt': {
      if (isIgnoredRelation(node.relation)) return null;
      const table = rel(node.relation);
      const cmd = node.cmds?.[0]?.AlterTableCmd;
      const kind = RELATION_KIND[node.objtype] ?? 'table';
      if (cmd?.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.conname) {
        return { kind: 'constraint', name: qualify(...table, cmd.def.Constraint.conname) };
      }
      if (['AT_ColumnDefault', 'AT_AddIdentity', 'AT_SetIdentity', 'AT_SetStatistics', 'AT_SetStorage'].includes(cmd?.subtype) && cmd.name) {
        return { kind: 'column', name: qualify(...table, cmd.name) };
      }
      return { kind, name: qualify(...table) };
    }
    case 'CreateSeqStmt':
    case 'AlterSeqStmt':
      return { kind: 'sequence', name: qualify(...rel(node.sequence)) };
    case 'IndexStmt':
      if (isIgnoredRelation(node.relation)) return null;
      return { kind: 'index', name: qualify(...(node.relation?.schemaname ? [node.relation.schemaname] : []), node.idxname) };
    case 'ViewStmt':
      return { kind: 'view', name: qualify(...rel(node.view)) };
    case 'CreateTableAsStmt':
      return { kind: node.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', name: qualify(...rel(node.into?.rel)) };
    case 'CreateFunctionStmt': {
      const fn = qualify(...strings(node.funcname));
      return { kind: 'function', name: fn, matchName: `${fn}/${inputArgCount(node.parameters)}` };
    }
    case 'DefineStmt':
      if (node.kind === 'OBJECT_AGGREGATE') {
        const fn = qualify(...strings(node.defnames));
        const args = node.args?.[0]?.List?.items;
        return { kind: 'function', name: fn, matchName: `${fn}/${args ? args.length : 0}` };
      }
      return other(stmt);
    case 'CreateTrigStmt':
      return { kind: 'trigger', name: qualify(...rel(node.relation), node.trigname) };
    case 'CreatePolicyStmt':
      return { kind: 'policy', name: qualify(...rel(node.table), node.policy_name) };
    case 'RuleStmt':
      return { kind: 'rule', name: qualify(...rel(node.relation), node.rulename) };
    case 'CreateEnumStmt':
    case 'AlterEnumStmt':
      return { kind: 'type', name: qualify(...strings(node.typeName)) };
    case 'CompositeTypeStmt':
      return { kind: 'type', name: qualify(...rel(node.typevar)) };
    case 'CreateDomainStmt':
      return { kind: 'type', name: qualify(...strings(node.domainname)) };
    case 'CreateRangeStmt':
      return { kind: 'type', name: qualify(...strings(node.typeName)) };
    case 'CreateExtensionStmt':
      return { kind: 'extension', name: qualify(node.extname) };
    case 'CreateSchemaStmt':
      return { kind: 'schema', name: qualify(node.schemaname) };
    case 'CommentStmt':
      return comment(node);
    default:
      return other(stmt);
  }
}

function other(stmt: Record<string, any>): Target {
  const [type] = Object.keys(stmt);
  return { kind: 'other', name: type ?? 'statement' };
}

const COMMENT_TARGET: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_INDEX: 'index',
  OBJECT_COLUMN: 'column',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'type',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_TABCONSTRAINT: 'constraint',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_POLICY: 'policy',
};

function comment(node: any): Target | null {
  const target = COMMENT_TARGET[node.objtype] ?? node.objtype;
  const object = node.object;
  let parts: string[];
  if (object?.List) parts = strings(object.List.items);
  else if (object?.String) parts = [object.String.sval];
  else if (object?.TypeName) parts = strings(object.TypeName.names);
  else if (object?.ObjectWithArgs) {
    const fn = qualify(...strings(object.ObjectWithArgs.objname));
    const n = (object.ObjectWithArgs.objargs ?? []).length;
    return { kind: 'comment', name: `${target} ${fn}`, matchName: `${target} ${fn}/${n}` };
  } else parts = [];
  // COMMENT ON CONSTRAINT c ON t / TRIGGER t ON tbl / POLICY p ON tbl: the list ends with the member name.
  if (['constraint', 'trigger', 'policy'].includes(target) && parts.length >= 2) {
    parts = [...parts.slice(0, -1), parts[parts.length - 1]!];
  }
  if (parts.some((p) => IGNORED_TABLES.has(p))) return null;
  if (target === 'extension') return null; // an extension's comment comes with the extension
  return { kind: 'comment', name: `${target} ${qualify(...parts)}` };
}
