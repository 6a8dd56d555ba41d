/**
 * Entry of dist/parseWorker.js: a worker thread that runs the same full parse as the server's own
 * thread (`parseMigration`), so a multi-megabyte document never holds up other documents' requests.
 */
import { parentPort } from 'node:worker_threads';
import { parseMigration } from '../core/parse';

export interface ParseJob {
  id: number;
  text: string;
}

parentPort?.on('message', (job: ParseJob) => {
  parentPort!.postMessage({ id: job.id, migration: parseMigration(job.text) });
});
