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
  databases: () => require('./commands/databases') as typeof import('./commands/databases'),
  cleanup: () => require('./commands/cleanup') as typeof import('./commands/cleanup'),
};
import { ExitCode, ProjectConfigError, UsageError } from './errors';
import { createOutput, paint, type Output } from './output';
import { onRecovery, relativeTo } from './projects';

const USAGE = `alembic-squash — squash Alembic migrations on PostgreSQL, proven on a throwaway database

Usage:
  alembic-squash graph  [PATH] [--json]
  alembic-squash check  [PATH] [--json]
  alembic-squash squash [PATH] --from REV --to REV [--strategy auto|ops|snapshot] [--revision-id tip|new|ID]
                        [-m MESSAGE] [--archive DIR] [--partial-downgrade raise|comment]
                        [--database-url URL] [--no-hooks] [--no-optimize] [--dry-run] [--json]
  alembic-squash squash [PATH] --undo
  alembic-squash verify [PATH] (--from REV --to REV | --against-ref GITREF | --candidate DIR)
                        [--provider auto|docker|local|pglite|url] [--database-url URL] [--python CMD] [--json]
  alembic-squash schema [PATH] --at REV [--provider …]
  alembic-squash diff   [PATH] REV_A REV_B [--provider …]
  alembic-squash databases [PATH] --database-url URL [--json]
  alembic-squash cleanup [--database-url URL] [--json]

PATH is an alembic.ini, a pyproject.toml, a folder holding one, or a versions folder (default: .).
Every command takes --name NAME (-n) to pick an ini section, as Alembic's -n does; without it, an ini
with several Alembic sections is listed as one project per section.
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
      'alembic-squash squash [PATH] --from REV --to REV [--strategy auto|ops|snapshot] [--snapshot-format python|sql] [--revision-id tip|new|ID] [-m MESSAGE] [--archive DIR] [--partial-downgrade raise|comment] [--python CMD] [--provider auto|docker|local|pglite|url] [--docker-image IMG] [--pg-bin DIR] [--url-env NAME]… [--database-url URL] [--no-hooks] [--no-optimize] [--dry-run] [--json] | --undo',
    options: {
      json, from: str, to: str, strategy: str, 'snapshot-format': str, provider: str, 'docker-image': str, 'pg-bin': str, 'url-env': { type: 'string', multiple: true }, 'revision-id': str, message: { type: 'string', short: 'm' }, 'dry-run': { type: 'boolean' },
      archive: str, 'partial-downgrade': str, python: str, 'database-url': str, undo: { type: 'boolean' }, 'no-hooks': { type: 'boolean' }, 'no-optimize': { type: 'boolean' },
    },
    run: (v, p, o) =>
      load.squash().squashCommand(
        {
          path: onePath(p), from: v.from as string, to: v.to as string, strategy: v.strategy as string, revisionId: v['revision-id'] as string,
          message: v.message as string, dryRun: !!v['dry-run'], json: !!v.json, archive: v.archive as string,
          partialDowngrade: v['partial-downgrade'] as string, python: v.python as string, databaseUrl: v['database-url'] as string, undo: !!v.undo,
          snapshotFormat: v['snapshot-format'] as string,
          providerValues: { provider: v.provider, 'docker-image': v['docker-image'], 'pg-bin': v['pg-bin'], 'url-env': v['url-env'] },
          noHooks: !!v['no-hooks'], noOptimize: !!v['no-optimize'],
        },
        o,
      ),
  },
  verify: {
    summary:
      'prove on a throwaway PostgreSQL that a squash gives the same schema, seed data and downgrade as the chain it replaces;\n' +
      '--from/--to squashes in memory; --against-ref compares the working tree\'s history with the one at a git ref; --candidate DIR uses another versions folder.\n' +
      'Back ends: docker (default when an engine answers), local PostgreSQL binaries, the embedded PGlite, or temp databases on --database-url.',
    usage: 'alembic-squash verify [PATH] (--from REV --to REV | --against-ref GITREF | --candidate DIR) [--provider auto|docker|local|pglite|url] [--database-url URL] [--docker-image IMG] [--pg-bin DIR] [--python CMD] [--models[=strict]] [--seed-table T]… [--url-env NAME]… [--revision-id tip|new|ID] [--json]',
    options: { json, from: str, to: str, 'against-ref': str, candidate: str, 'revision-id': str, 'seed-table': { type: 'string', multiple: true }, models: str, ...providerOptionSpec },
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
  databases: {
    summary:
      'where a deployed database stands (its alembic_version rows, read in a READ ONLY transaction) and what it needs:\n' +
      'nothing, alembic upgrade, or alembic stamp (after a squash). Never writes. Exit 1 when it needs something, 3 when unreachable.',
    usage: 'alembic-squash databases [PATH] --database-url URL [--json]',
    options: { json, 'database-url': str },
    run: (v, p, o) => load.databases().databasesCommand({ path: onePath(p), databaseUrl: v['database-url'] as string | undefined, json: !!v.json }, o),
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

/** `--name NAME` / `-n NAME` / `--name=NAME`, taken by every command (Alembic's `-n`). */
function takeName(args: string[]): { name?: string; args: string[] } {
  const out: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (a === '--name' || a === '-n') {
      name = args[++i];
      if (name === undefined || name.startsWith('-')) throw new UsageError(`${a} needs an ini section name`);
    } else if (a.startsWith('--name=')) name = a.slice('--name='.length);
    else out.push(a);
  }
  return { name, args: out };
}

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
    const { name: section, args: named } = takeName(rest);
    (require('./projects') as typeof import('./projects')).selectProjectName(section);
    // `--models` takes an optional value (`--models=strict`), which parseArgs has no notion of.
    const args = name === 'verify' ? named.map((a) => (a === '--models' ? '--models=on' : a)) : named;
    const { values, positionals } = parseArgs({ args, options: command.options, allowPositionals: true, strict: true });
    return await command.run(values, positionals, o);
  } catch (error) {
    return reportError(error, command, o, rest.includes('--json'));
  }
}

/** An error in words: exit code, a stable code for --json, what happened, what to do. */
interface DescribedError {
  exit: number;
  code: string;
  message: string;
  hint?: string;
  /** Extra text for people (a traceback), not part of the JSON message. */
  detail?: string;
  extra?: Record<string, unknown>;
}

/** The one place where errors of the core become words and exit codes, for people and for --json. */
function reportError(error: unknown, command: Command, o: Output, json: boolean): number {
  o.done();
  const d = describeError(error, command);
  if (json) {
    o.json({ error: { code: d.code, message: d.message, hint: d.hint ?? null, ...d.extra } });
    return d.exit;
  }
  if (d.code === 'usage') {
    o.err(`alembic-squash: ${d.message}\nusage: ${command.usage}`);
    return d.exit;
  }
  o.err(`${paint(o, 'red', 'error:')} ${d.message}${d.hint ? `\n${paint(o, 'yellow', 'hint:')} ${d.hint}` : ''}${d.detail ? `\n\n${d.detail}` : ''}`);
  if (d.code === 'internal' && process.env.ALEMBIC_SQUASH_DEBUG) o.err((error as Error)?.stack ?? '');
  return d.exit;
}

function describeError(error: unknown, command: Command): DescribedError {
  const e = error as Error & { code?: string };
  const message = e?.message ?? String(error);
  if (error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
    return { exit: ExitCode.usage, code: 'usage', message, hint: `usage: ${command.usage}` };
  }
  // The error classes of the heavier layers are loaded only on this path.
  const { AlembicCommandError, AlembicUnavailableError, MigrationFailedError } = require('../core/alembic') as typeof import('../core/alembic');
  const { ProviderUnavailableError, ServerLostError } = require('../core/postgres') as typeof import('../core/postgres');
  const { AmbiguousComposeImageError } = require('../core/compose') as typeof import('../core/compose');
  const { NoJournalError, SquashError } = require('../core/squash') as typeof import('../core/squash');
  const { BackendLostError, GitRefError, VerifyCancelledError, VerifyMigrationError } = require('../core/verify') as typeof import('../core/verify');
  if (error instanceof VerifyCancelledError) return { exit: 130, code: 'cancelled', message: 'cancelled: everything that was started has been removed' };
  if (error instanceof BackendLostError) {
    return { exit: ExitCode.environment, code: 'backend-lost', message, hint: 'run it again; if it recurs, check the back end (disk space, Docker daemon, memory)' };
  }
  if (error instanceof NotSquashableError) return { exit: ExitCode.found, code: 'not-squashable', message };
  if (error instanceof ProjectConfigError) {
    return { exit: ExitCode.usage, code: 'configuration', message, hint: "set script_location in the ini (Flask-Migrate sets it at run time: add `script_location = %(here)s` for the folder holding env.py)" };
  }
  if (error instanceof ProjectPathNotFoundError || error instanceof GraphError || error instanceof NoJournalError || error instanceof GitRefError) {
    return { exit: ExitCode.usage, code: 'configuration', message };
  }
  if (error instanceof ProviderUnavailableError) return { exit: ExitCode.environment, code: 'no-backend', message };
  if (error instanceof ServerLostError) {
    return { exit: ExitCode.environment, code: 'backend-lost', message, hint: 'run it again once the back end answers; this is not caused by your migrations' };
  }
  if (error instanceof AmbiguousComposeImageError) return { exit: ExitCode.usage, code: 'configuration', message, hint: 'choose one with --docker-image IMAGE' };
  if (error instanceof AlembicUnavailableError) return { exit: ExitCode.environment, code: 'no-alembic', message, hint: 'pass --python with the interpreter of the project\'s virtual environment' };
  const migration = error instanceof VerifyMigrationError ? error.cause : error;
  if (migration instanceof AlembicCommandError && migration.missingModule) {
    const where = migration.file ? `${migration.file}${migration.line ? `:${migration.line}` : ''}` : "the project's env.py";
    const python = migration.python ?? 'the interpreter';
    return {
      exit: ExitCode.environment,
      code: 'missing-module',
      message: `${where} imports the module '${migration.missingModule}', which ${python} cannot import`,
      hint: `the project's Alembic environment imports code this interpreter lacks (the project's own, or a dependency): point --python (or the alembicSquash.python setting) at the project's virtual environment, e.g. --python .venv/bin/python`,
      extra: { file: migration.file ?? null, line: migration.line ?? null, revision: null, module: migration.missingModule, python },
    };
  }
  if (error instanceof VerifyMigrationError && migration instanceof AlembicCommandError) {
    return { exit: ExitCode.found, code: 'alembic-failed', message, detail: migration.traceback?.trim() };
  }
  if (migration instanceof MigrationFailedError) {
    const where = { file: migration.file, line: migration.line, revision: migration.revision ?? null, side: error instanceof VerifyMigrationError ? error.side : null };
    if (migration.missingModule) {
      const python = migration.python ?? 'the interpreter';
      const name = importedName(migration.errorMessage);
      return {
        exit: ExitCode.environment,
        code: 'missing-module',
        message: name
          ? `${migration.file}:${migration.line} (revision ${migration.revision ?? '?'}) imports ${name} from '${migration.missingModule}', which is not in the version of it that ${python} has`
          : `${migration.file}:${migration.line} (revision ${migration.revision ?? '?'}) imports the module '${migration.missingModule}', which ${python} cannot import`,
        hint: `the history imports code this interpreter lacks (the project's own, or a dependency): point --python (or the alembicSquash.python setting) at the project's virtual environment, e.g. --python .venv/bin/python`,
        extra: { ...where, module: migration.missingModule, python },
      };
    }
    return { exit: ExitCode.found, code: 'migration-failed', message, detail: migration.traceback.trim(), extra: where };
  }
  if (error instanceof SquashError) return { exit: ExitCode.found, code: 'squash-failed', message };
  if (typeof (error as { exitCode?: unknown }).exitCode === 'number') return { exit: (error as { exitCode: number }).exitCode, code: 'failed', message };
  return { exit: ExitCode.usage, code: 'internal', message };
}

/** `CITEXT` of Python's "cannot import name 'CITEXT' from 'sqlalchemy.dialects.postgresql' (…)". */
function importedName(message: string): string | undefined {
  const quoted = message.startsWith("cannot import name '") ? message.slice("cannot import name '".length) : undefined;
  const end = quoted?.indexOf("'") ?? -1;
  return quoted && end > 0 ? quoted.slice(0, end) : undefined;
}

/**
 * Ctrl-C (or SIGTERM) when no command answers it — before a command has installed its own handler, or
 * after it removed it — still ends as a cancel: exit 130 and a word, never a silent death or exit 0.
 */
function cancelWhenUnanswered(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  process.stderr.write(`\ncancelled (${signal})\n`);
  process.exit(130);
}

if (require.main === module) {
  process.on('SIGINT', cancelWhenUnanswered);
  process.on('SIGTERM', cancelWhenUnanswered);
  // `alembic-squash graph | head`: the reader went away; stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  main(process.argv.slice(2))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        console.error(error);
        process.exitCode = ExitCode.usage;
      },
    )
    .finally(() => {
      // Node exits without reading signals that arrived after the last pending operation (a Ctrl-C
      // right after a squash's write would end as exit 0): one more turn of the loop answers them.
      setTimeout(() => undefined, 10);
    });
}
