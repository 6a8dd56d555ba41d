import type { ProviderKind } from './types';

/**
 * A back end cannot be used here (not installed, not running, no privilege, ...).
 * `auto` catches it and tries the next back end; `code` is stable for --json and tests.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  constructor(
    readonly kind: ProviderKind | 'auto',
    readonly code: string,
    message: string,
    /** Why each back end was skipped, when `auto` found none. */
    readonly skipped: { kind: ProviderKind; reason: string }[] = [],
  ) {
    super(message);
  }
}

/** A running throwaway server failed at an operation (create, drop, dump). */
export class ThrowawayServerError extends Error {
  override readonly name: string = 'ThrowawayServerError';
  constructor(
    readonly kind: ProviderKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The server went away under a running job (the Docker daemon stopped answering, the container
 * stopped): an environment error, never a failing migration or a difference.
 */
export class ServerLostError extends ThrowawayServerError {
  override readonly name = 'ServerLostError';
  constructor(
    kind: ProviderKind,
    code: string,
    message: string,
    /** `host:port` of a user's server (`url`), which gets its own words: it is not a throwaway. */
    readonly where?: string,
  ) {
    super(kind, code, message);
  }
}

/** Start-up was cancelled through the AbortSignal; everything started so far has been removed. */
export class OperationAbortedError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'aborted';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new OperationAbortedError();
}
