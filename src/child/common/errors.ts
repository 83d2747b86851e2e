// Errors of a lab run, by whose they are: the learner broke the lab's contract (a missing export, a
// value out of range), or the learner's own code threw. Anything else is the runner's own failure.
import type { SourceLocation } from '../../core/run/protocol';

/** The learner's code broke the lab contract (missing export, wrong type, value out of range). */
export class ContractError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

/** An exception thrown by the learner's own code, kept apart from harness failures. */
export class LearnerError extends Error {
  constructor(readonly original: unknown) {
    super((original as Error)?.message ?? String(original));
    this.name = 'LearnerError';
  }
}

/** Calls into the learner's code: what it throws becomes a LearnerError (a ContractError stays one). */
export function callLearner<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ContractError) throw err;
    throw new LearnerError(err);
  }
}

export async function callLearnerAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ContractError) throw err;
    throw new LearnerError(err);
  }
}
