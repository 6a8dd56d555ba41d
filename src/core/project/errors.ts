/** The PATH given to `loadProject` does not exist. Everything else about a config is reported as problems. */
export class ProjectPathNotFoundError extends Error {
  override readonly name = 'ProjectPathNotFoundError';
  constructor(readonly path: string) {
    super(`No such file or folder: ${path}`);
  }
}
