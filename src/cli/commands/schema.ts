import { compareSchemas, unifiedDiff } from '../../core/schema';
import { schemasAt } from '../../core/verify';
import { ExitCode, UsageError } from '../errors';
import { paint, type Output } from '../output';
import { singleProject } from '../projects';
import { cancelOnInterrupt, providerFrom, withDockerImage } from '../providerArgs';
import { findPython } from '../../core/alembic';
import { printDifferences } from './verify';

/** `alembic-squash schema [PATH] --at REV`: the normalized schema the history gives at REV. */
export async function schemaCommand(args: { path: string; at?: string; json: boolean; values: Record<string, unknown> }, o: Output): Promise<number> {
  if (!args.at) throw new UsageError('schema needs --at REV (e.g. --at head)');
  const { schemas, provider } = await run(args.path, [args.at], args.values, o);
  const s = schemas[0]!;
  if (args.json) {
    o.json({ revision: s.revision, provider, objects: [...s.snapshot.objects.values()].map((x) => ({ kind: x.kind, name: x.name, text: x.text })) });
  } else {
    o.out(s.text);
  }
  return ExitCode.ok;
}

/** `alembic-squash diff [PATH] REV_A REV_B`: object-by-object differences between two revisions' schemas. */
export async function diffCommand(args: { path: string; revisions: string[]; json: boolean; values: Record<string, unknown> }, o: Output): Promise<number> {
  if (args.revisions.length !== 2) throw new UsageError('diff needs two revisions: alembic-squash diff [PATH] REV_A REV_B');
  const { schemas, provider } = await run(args.path, args.revisions, args.values, o);
  const [a, b] = schemas as [(typeof schemas)[0], (typeof schemas)[0]];
  const diff = compareSchemas(a.snapshot, b.snapshot);
  const patch = diff.equal ? '' : unifiedDiff(a.snapshot, b.snapshot, { left: a.revision, right: b.revision });
  if (args.json) {
    o.json({ equal: diff.equal, left: a.revision, right: b.revision, provider, differences: diff.differences, unifiedDiff: patch });
  } else if (diff.equal) {
    o.out(paint(o, 'green', `The schemas at ${a.revision} and ${b.revision} are the same.`));
  } else {
    printDifferences(o, `${a.revision} ↔ ${b.revision}`, diff.differences, { left: a.revision, right: b.revision });
    o.out();
    o.out(patch);
  }
  return diff.equal ? ExitCode.ok : ExitCode.found;
}

async function run(pathArg: string, revisions: string[], values: Record<string, unknown>, o: Output) {
  const { project } = await singleProject(pathArg);
  const provider = withDockerImage(providerFrom(values), project, (l) => o.err(paint(o, 'yellow', `warning: ${l}`)));
  const interrupt = cancelOnInterrupt();
  try {
    return await schemasAt({
      project,
      python: findPython({ python: values.python as string | undefined, projectDir: project.here }),
      provider,
      revisions,
      urlEnvVars: values['url-env'] as string[] | undefined,
      signal: interrupt.signal,
      onProgress: (m) => o.progress(`${m}…`),
    });
  } finally {
    o.done();
    interrupt.dispose();
  }
}
