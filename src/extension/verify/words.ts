/**
 * The core's messages are written for the CLI and name its flags; in the editor the same choice is a
 * setting or a command. One place turns the one into the other (the core's words stay as they are).
 */
const FLAGS: [flag: string, inEditor: (value?: string) => string][] = [
  ['--provider', (v) => (v ? `the alembicSquash.provider setting "${v}"` : 'the alembicSquash.provider setting')],
  ['--python', () => 'the alembicSquash.python setting (or "Python: Select Interpreter")'],
  ['--database-url', () => '"Alembic: Set Database URL for Verify"'],
  ['--docker-image', () => 'the alembicSquash.dockerImage setting'],
];

export function editorWords(text: string): string {
  let out = text;
  for (const [flag, words] of FLAGS) {
    for (let at = out.indexOf(flag); at >= 0; at = out.indexOf(flag, at + 1)) {
      const rest = out.slice(at + flag.length);
      // `--provider local` names a value; `--database-url postgresql://…` shows a shape, not a value.
      const value = flag === '--provider' && rest.startsWith(' ') ? rest.slice(1).split(/[\s,.)]/)[0] : undefined;
      const end = at + flag.length + (flag === '--database-url' && rest.startsWith(' ') ? 1 + rest.slice(1).split(/[\s)]/)[0]!.length : value ? 1 + value.length : 0);
      const replacement = words(value);
      out = out.slice(0, at) + replacement + out.slice(end);
      at += replacement.length - 1;
    }
  }
  return out;
}
