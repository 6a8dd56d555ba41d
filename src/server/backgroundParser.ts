import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseMigration, type MigrationFile } from '../core/parse';
import type { ParseJob } from './parseWorker';

interface Job {
  id: number;
  file: string;
  text: string;
  resolve: (m: MigrationFile | undefined) => void;
}

/**
 * Full parses of large documents on a worker thread, one at a time, newest text per file: a newer
 * text queued for a file replaces the older one, and a worker busy with an older text of that file
 * is ended and replaced (a parse cannot be interrupted otherwise). A replaced parse resolves
 * `undefined`. Where no worker can run, parses happen in this thread: the results are the same.
 */
export class BackgroundParser {
  private worker: Worker | undefined;
  private running: Job | undefined;
  private readonly queue = new Map<string, Job>();
  private nextId = 1;
  private broken = false;

  constructor(private readonly script: WorkerScript = workerScript()) {}

  parse(file: string, text: string): Promise<MigrationFile | undefined> {
    return new Promise((resolve) => {
      this.cancel(file);
      this.queue.set(file, { id: this.nextId++, file, text, resolve });
      this.next();
    });
  }

  /** Drops the queued or running parse of `file` (the document changed again or was closed). */
  cancel(file: string): void {
    this.queue.get(file)?.resolve(undefined);
    this.queue.delete(file);
    if (this.running?.file === file) {
      this.running.resolve(undefined);
      this.running = undefined;
      void this.worker?.terminate();
      this.worker = undefined;
    }
  }

  dispose(): void {
    for (const file of [...this.queue.keys()]) this.cancel(file);
    if (this.running) this.cancel(this.running.file);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private next(): void {
    if (this.running) return;
    const [file, job] = this.queue.entries().next().value ?? [];
    if (!file || !job) return;
    this.queue.delete(file);
    this.running = job;
    const worker = this.start();
    if (!worker) {
      this.finish(job, parseMigration(job.text));
      return;
    }
    worker.postMessage({ id: job.id, text: job.text } satisfies ParseJob);
  }

  private finish(job: Job, migration: MigrationFile): void {
    if (this.running?.id !== job.id) return;
    this.running = undefined;
    job.resolve(migration);
    this.next();
  }

  private start(): Worker | undefined {
    if (this.worker || this.broken) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(this.script.code, { eval: this.script.eval });
    } catch {
      this.broken = true;
      return undefined;
    }
    // Never what keeps the process alive (tests run the server in their own process).
    worker.unref();
    worker.on('message', (m: { id: number; migration: MigrationFile }) => {
      if (this.running?.id === m.id) this.finish(this.running, m.migration);
    });
    // A worker that fails (missing script, out of memory): this thread parses from now on.
    const failed = () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.broken = true;
      const job = this.running;
      if (job) this.finish(job, parseMigration(job.text));
    };
    worker.on('error', failed);
    worker.on('exit', failed);
    this.worker = worker;
    return worker;
  }
}

interface WorkerScript {
  /** A file name, or code when `eval`. */
  code: string;
  eval: boolean;
}

/**
 * dist/parseWorker.js next to the bundle. Run from sources (tests and benchmarks under tsx), a worker
 * cannot load a .ts entry by name (the loader hooks come too late for it), so it registers tsx first.
 */
function workerScript(): WorkerScript {
  const js = path.join(__dirname, 'parseWorker.js');
  if (fs.existsSync(js)) return { code: js, eval: false };
  const ts = path.join(__dirname, 'parseWorker.ts');
  return { code: `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(ts)});`, eval: true };
}
