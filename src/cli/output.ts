/** Terminal output: colors only on a TTY (and never with NO_COLOR), JSON on stdout as one document. */
export interface Output {
  readonly color: boolean;
  readonly isTTY: boolean;
  out(line?: string): void;
  err(line?: string): void;
  json(value: unknown): void;
  /** Progress on long work: rewritten in place on a TTY, plain lines on stderr otherwise. */
  progress(text: string): void;
  done(): void;
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1, dim: 2 } as const;
export type Style = keyof typeof codes;

export function paint(o: { color: boolean }, style: Style, text: string): string {
  return o.color ? `\x1b[${codes[style]}m${text}\x1b[0m` : text;
}

export function createOutput(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Output {
  const isTTY = !!stdout.isTTY;
  const color = isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const errTTY = !!stderr.isTTY;
  let progressShown = false;
  const clear = () => {
    if (progressShown) {
      stderr.write('\r\x1b[K');
      progressShown = false;
    }
  };
  return {
    color,
    isTTY,
    out: (line = '') => {
      clear();
      stdout.write(line + '\n');
    },
    err: (line = '') => {
      clear();
      stderr.write(line + '\n');
    },
    json: (value) => stdout.write(JSON.stringify(value, null, 2) + '\n'),
    progress: (text) => {
      if (errTTY) {
        stderr.write('\r\x1b[K' + text.slice(0, (stderr.columns || 80) - 1));
        progressShown = true;
      } else {
        stderr.write(text + '\n');
      }
    },
    done: clear,
  };
}
