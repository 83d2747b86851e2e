// How a command's action ends: the exit code it returns, or a usage error said in one line.
// Exit codes: 0 passed, 1 checks failed, 2 usage error or a run that produced no result.

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;

/** A mistake of the user's, told as its message alone (no stack). */
export class UsageError extends Error {}

let exitCode = EXIT_PASS;
/** commander ignores what an action returns: keep it as the exit code. */
export function act<A extends unknown[]>(fn: (...args: A) => number | Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    exitCode = await fn(...args);
  };
}

/** Before a command line is parsed: no action has run yet. */
export function resetExitCode(): void {
  exitCode = EXIT_PASS;
}

/** The exit code of the action that ran (EXIT_PASS if none did). */
export function lastExitCode(): number {
  return exitCode;
}
