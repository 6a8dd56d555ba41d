// The workbench forwards the extension host's console into its own log, mixed with everything else
// it logs. So the test runner writes its console to a file the launcher names, and the launcher
// copies that file to its stdout as it grows.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Console } from 'node:console';
import { Writable } from 'node:stream';

export const HOST_OUTPUT_ENV = 'ALEMBIC_SQUASH_HOST_OUTPUT';

/**
 * Sends `console` of this process (the extension host) to the file; returns the undo. The host makes
 * console.log & co. unassignable, so the whole console object is swapped.
 */
export function redirectConsole(path: string): () => void {
  const fd = openSync(path, 'a');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writeSync(fd, chunk);
      done();
    },
  });
  const previous = globalThis.console;
  globalThis.console = new Console({ stdout: sink, stderr: sink });
  return () => {
    globalThis.console = previous;
    closeSync(fd);
  };
}

/** Copies what is appended to `path` to `onText`, polling; stop() copies the rest. */
export function followFile(path: string, onText: (text: string) => void, intervalMs = 100): { stop(): void } {
  let position = 0;
  const buffer = Buffer.alloc(64 * 1024);
  const drain = (): void => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return; // not written yet
    }
    try {
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, position)) > 0; position += n) {
        onText(buffer.toString('utf8', 0, n));
      }
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(drain, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      drain();
    },
  };
}
