/**
 * Runs a synchronous file write with SIGINT/SIGTERM held: the write either completes or rolls itself
 * back before the process reacts, so Ctrl-C never leaves a half-written folder. A signal that arrived
 * during the write is answered afterwards: `interrupted` is set and the caller exits 130. The signal
 * may reach the event loop only after the write returned (it is delivered through another thread), so
 * the handler stays: a late signal calls `late`, which must end the process.
 */
export async function withSignalsHeld<T>(write: () => T, late: (signal: NodeJS.Signals) => void): Promise<{ value: T; interrupted: NodeJS.Signals | undefined }> {
  let interrupted: NodeJS.Signals | undefined;
  let answered = false;
  const hold = (signal: NodeJS.Signals) => {
    if (!answered) interrupted ??= signal;
    else late(signal);
  };
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  const value = write();
  // Give a signal already on its way its turn before answering.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
  answered = true;
  return { value, interrupted };
}
