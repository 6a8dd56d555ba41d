import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GraphError } from '../core/graph';
import { ProjectPathNotFoundError } from '../core/project';
import { checkCommand } from './commands/check';
import { graphCommand } from './commands/graph';
import { ExitCode, UsageError } from './errors';
import { createOutput, paint, type Output } from './output';

const USAGE = `alembic-squash — squash Alembic migrations on PostgreSQL, proven on a throwaway database

Usage:
  alembic-squash graph  [PATH] [--json]
  alembic-squash check  [PATH] [--json]

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

const commands: Record<string, Command> = {
  graph: {
    summary: 'draw the revision graph',
    usage: 'alembic-squash graph [PATH] [--json]',
    options: { json },
    run: (v, p, o) => graphCommand({ path: onePath(p), json: !!v.json }, o),
  },
  check: {
    summary: 'report problems in migration files and the graph',
    usage: 'alembic-squash check [PATH] [--json]',
    options: { json },
    run: (v, p, o) => checkCommand({ path: onePath(p), json: !!v.json }, o),
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
  if (error instanceof ProjectPathNotFoundError || error instanceof GraphError) {
    o.err(`${paint(o, 'red', 'error:')} ${e.message}`);
    return ExitCode.usage;
  }
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
