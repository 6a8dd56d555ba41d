import type { DatabasePlacement, RowPlace } from './place';

/** Where one alembic_version row sits, in the words the CLI and VS Code both show. */
export function rowWords(r: RowPlace, short: (id: string) => string = (id) => id): string {
  switch (r.at) {
    case 'head':
      return 'at head';
    case 'behind':
      return `behind by ${r.behind}`;
    case 'replaced':
      return `replaced by ${r.pending ? 'the pending' : 'a written'} squash ${short(r.by)}${r.version === r.tip ? ' (its old tip)' : ''}`;
    case 'unknown':
      return 'not in this history';
  }
}

/** What the database needs next, in words (a command to run, or why it cannot be said). */
export function needWords(p: DatabasePlacement): string {
  const n = p.need;
  switch (n.kind) {
    case 'nothing':
      return 'nothing';
    case 'upgrade':
      return n.beforeSquash ? `${n.command} with the code before the squash, then deploy it` : `${n.command} before deploying`;
    case 'stamp':
      return `${n.command}${n.afterDeploy ? ' after deploying the squash' : ''}`;
    case 'unknown':
      return n.reason;
  }
}
