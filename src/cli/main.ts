import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GraphError, NotSquashableError } from '../core/graph';
import { ProjectPathNotFoundError } from '../core/project';
import { providerOptionSpec } from './providerArgs';

// Commands are loaded when run: `graph` on a large project must not pay for PostgreSQL, the SQL parser
// and the squash engine at start-up.
const load = {
  graph: () => require('./commands/graph') as typeof import('./commands/graph'),
  check: () => require('./commands/check') as typeof import('./commands/check'),
  squash: () => require('./commands/squash') as typeof import('./commands/squash'),
  verify: () => require('./commands/verify') as typeof import('./commands/verify'),
  schema: () => require('./commands/schema') as typeof import('./commands/schema'),
  cleanup: () => require('./commands/cleanup') as typeof import('./commands/cleanup'),
};
import { ExitCode, UsageError } from './errors';
import { createOutput, paint, type Output } from './output';
import { onRecovery, relativeTo } from './projects';

const USAGE = `alembic-squash — squash Alembic migrations on PostgreSQL, proven on a throwaway database

Usage:
  alembic-squash graph  [PATH] [--json]
  alembic-squash check  [PATH] [--json]
  alembic-squash squash [PATH] --from REV --to REV [--strategy ops] [--revision-id tip|new|ID]
                        [-m MESSAGE] [--archive DIR] [--partial-downgrade raise|comment]
                        [--database-url URL] [--dry-run] [--json]
  alembic-squash squash [PATH] --undo
  alembic-squash verify [PATH] (--from REV --to REV | --against-ref GITREF | --candidate DIR)
                        [--provider auto|docker|local|pglite|url] [--database-url URL] [--python CMD] [--json]
  alembic-squash schema [PATH] --at REV [--provider …]
  alembic-squash diff   [PATH] REV_A REV_B [--provider …]
  alembic-squash cleanup [--database-url URL] [--json]

PATH is an alembic.ini, a pyproject.toml, a folder holding one, or a versions folder (default: .).
Exit codes: 0 ok, 1 problems or differences found, 2 usage or configuration error, 3 environment error.
Run "alembic-squash COMMAND --help" for a command's options.`;

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[], o: Output): Promise<number>;
}

const json = { type: 'boolean' } as const;
const str = { type: 'string' } as const;

const commands: Record<string, Command> = {
  graph: {
    summary: 'draw the revision graph',
    usage: 'alembic-squash graph [PATH] [--json]',
    options: { json },
    run: (v, p, o) => load.graph().graphCommand({ path: onePath(p), json: !!v.json }, o),
  },
  check: {
    summary: 'report problems in migration files and the graph',
    usage: 'alembic-squash check [PATH] [--json]',
    options: { json },
    run: (v, p, o) => load.check().checkCommand({ path: onePath(p), json: !!v.json }, o),
  },
  squash: {
    summary:
      'squash the range --from..--to into one revision (rendered from the project\'s template), rewire what follows, write atomically;\n' +
      '--dry-run prints the plan, the new file and a diff of every edit; --undo restores the files of the last squash;\n' +
      '--database-url reads that database\'s alembic_version (read-only) and says what it needs',
    usage:
      'alembic-squash squash [PATH] --from REV --to REV [--strategy ops] [--revision-id tip|new|ID] [-m MESSAGE] [--archive DIR] [--partial-downgrade raise|comment] [--python CMD] [--database-url URL] [--dry-run] [--json] | --undo',
    options: {
      json, from: str, to: str, strategy: str, 'revision-id': str, message: { type: 'string', short: 'm' }, 'dry-run': { type: 'boolean' },
      archive: str, 'partial-downgrade': str, python: str, 'database-url': str, undo: { type: 'boolean' },
    },
    run: (v, p, o) =>
      load.squash().squashCommand(
        {
          path: onePath(p), from: v.from as string, to: v.to as string, strategy: v.strategy as string, revisionId: v['revision-id'] as string,
          message: v.message as string, dryRun: !!v['dry-run'], json: !!v.json, archive: v.archive as string,
          partialDowngrade: v['partial-downgrade'] as string, python: v.python as string, databaseUrl: v['database-url'] as string, undo: !!v.undo,
        },
        o,
      ),
  },
  verify: {
    summary:
      'prove on a throwaway PostgreSQL that a squash gives the same schema, seed data and downgrade as the chain it replaces;\n' +
      '--from/--to squashes in memory; --against-ref compares the working tree\'s history with the one at a git ref; --candidate DIR uses another versions folder.\n' +
      'Back ends: docker (default when an engine answers), local PostgreSQL binaries, the embedded PGlite, or temp databases on --database-url.',
    usage: 'alembic-squash verify [PATH] (--from REV --to REV | --against-ref GITREF | --candidate DIR) [--provider auto|docker|local|pglite|url] [--database-url URL] [--docker-image IMG] [--pg-bin DIR] [--python CMD] [--seed-table T]… [--url-env NAME]… [--revision-id tip|new|ID] [--json]',
    options: { json, from: str, to: str, 'against-ref': str, candidate: str, 'revision-id': str, 'seed-table': { type: 'string', multiple: true }, ...providerOptionSpec },
    run: (v, p, o) =>
      load.verify().verifyCommand(
        {
          path: onePath(p), from: v.from as string, to: v.to as string, againstRef: v['against-ref'] as string, candidate: v.candidate as string,
          revisionId: v['revision-id'] as string, seedTables: (v['seed-table'] as string[]) ?? [], json: !!v.json, values: v,
        },
        o,
      ),
  },
  schema: {
    summary: 'print the normalized schema the history gives at REV (built on a throwaway PostgreSQL)',
    usage: 'alembic-squash schema [PATH] --at REV [--provider …] [--json]',
    options: { json, at: str, ...providerOptionSpec },
    run: (v, p, o) => load.schema().schemaCommand({ path: onePath(p), at: v.at as string, json: !!v.json, values: v }, o),
  },
  cleanup: {
    summary:
      'remove what killed runs left behind: throwaway clusters, versions copies, containers, half-written cache files;\n' +
      'with --database-url, the throwaway databases on that server whose process is gone (exit 1 when something is left, naming it)',
    usage: 'alembic-squash cleanup [--database-url URL] [--json]',
    options: { json, 'database-url': str },
    run: (v, _p, o) => load.cleanup().cleanupCommand({ databaseUrl: v['database-url'] as string, json: !!v.json }, o),
  },
  diff: {
    summary: 'compare the schemas of two revisions object by object (exit 1 when they differ)',
    usage: 'alembic-squash diff [PATH] REV_A REV_B [--provider …] [--json]',
    options: { json, ...providerOptionSpec },
    run: (v, p, o) => {
      const [first, ...rest] = p;
      const hasPath = p.length === 3;
      return load.schema().diffCommand({ path: hasPath ? first! : '.', revisions: hasPath ? rest : p, json: !!v.json, values: v }, o);
    },
  },
};

function onePath(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected at most one PATH, got: ${positionals.join(' ')}`);
  return positionals[0] ?? '.';
}

export async function main(argv: string[], o: Output = createOutput()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    o.out(USAGE);
    return name ? ExitCode.ok : ExitCode.usage;
  }
  if (name === '--version' || name === '-V') {
    o.out(require('../../package.json').version);
    return ExitCode.ok;
  }
  const command = commands[name];
  if (!command) {
    o.err(`alembic-squash: unknown command "${name}"\n\n${USAGE}`);
    return ExitCode.usage;
  }
  onRecovery((r) => {
    const where = relativeTo(process.cwd(), r.journal);
    if (r.action === 'discarded') o.err(paint(o, 'yellow', `note: a squash was interrupted before it touched any file; its unfinished journal was removed (${where})`));
    else if (r.action === 'rolled-back') o.err(paint(o, 'yellow', `note: a squash${r.description ? ` (${r.description})` : ''} was interrupted mid-write; it was rolled back: ${r.files.length} file(s) are as they were before it (journal ${where})`));
    else o.err(paint(o, 'yellow', `note: an interrupted undo was finished: ${r.files.length} file(s) are as they were before the squash (journal ${where})`));
  }, (error, dir) => {
    o.err(paint(o, 'yellow', `warning: a squash was interrupted mid-write and cannot be rolled back automatically: ${error.message}. The originals are in ${relativeTo(process.cwd(), dir)}/journal-*/backup-*; restore the edited file(s) or run \`alembic-squash squash --undo\` after putting them back.`));
  });
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      o.out(`${command.usage}\n\n${command.summary}`);
      return ExitCode.ok;
    }
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run(values, positionals, o);
  } catch (error) {
    return reportError(error, command, o);
  }
}

/** The one place where errors of the core become words and exit codes for people. */
function reportError(error: unknown, command: Command, o: Output): number {
  o.done();
  const e = error as Error & { code?: string };
  if (error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
    o.err(`alembic-squash: ${e.message}\nusage: ${command.usage}`);
    return ExitCode.usage;
  }
  const fail = (code: number, text = e.message) => {
    o.err(`${paint(o, 'red', 'error:')} ${text}`);
    return code;
  };
  // The error classes of the heavier layers are loaded only on this path.
  const { AlembicUnavailableError, MigrationFailedError } = require('../core/alembic') as typeof import('../core/alembic');
  const { ProviderUnavailableError } = require('../core/postgres') as typeof import('../core/postgres');
  const { NoJournalError, SquashError } = require('../core/squash') as typeof import('../core/squash');
  const { GitRefError, VerifyCancelledError, VerifyMigrationError } = require('../core/verify') as typeof import('../core/verify');
  if (error instanceof VerifyCancelledError) return fail(130);
  if (error instanceof NotSquashableError) return fail(ExitCode.found);
  if (error instanceof ProjectPathNotFoundError || error instanceof GraphError || error instanceof NoJournalError || error instanceof GitRefError) {
    return fail(ExitCode.usage);
  }
  if (error instanceof ProviderUnavailableError || error instanceof AlembicUnavailableError) return fail(ExitCode.environment);
  if (error instanceof VerifyMigrationError) {
    const cause = error.cause;
    const detail = cause instanceof MigrationFailedError ? `\n\n${cause.traceback.trim()}` : '';
    return fail(ExitCode.found, `${e.message}${detail}`);
  }
  if (error instanceof MigrationFailedError) return fail(ExitCode.found, `${e.message}\n\n${error.traceback.trim()}`);
  if (error instanceof SquashError) return fail(ExitCode.found);
  if (typeof (error as { exitCode?: unknown }).exitCode === 'number') {
    o.err(`${paint(o, 'red', 'error:')} ${e.message}`);
    return (error as { exitCode: number }).exitCode;
  }
  o.err(`${paint(o, 'red', 'error:')} ${e?.message ?? String(error)}`);
  if (process.env.ALEMBIC_SQUASH_DEBUG) o.err(e?.stack ?? '');
  return ExitCode.usage;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = ExitCode.usage;
    },
  );
}
