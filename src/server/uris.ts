import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Files are keyed by absolute path inside the server; URIs exist only at the protocol edge. */
export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}
