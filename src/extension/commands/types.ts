/** A command's implementation; built by a factory taking the Ctx. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Cmd = (...args: any[]) => unknown;
