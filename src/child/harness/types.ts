import type { LabManifest } from '../../core/labManifest';
import type { ChildMessage, Hyperparameters, Metrics, SourceLocation } from '../../core/protocol';
import type { Tf } from '../backend';
import type { LoadedData } from '../datasets';

export interface HarnessContext {
  tf: Tf;
  manifest: LabManifest;
  /** The learner's compiled entry module. */
  learner: Record<string, unknown>;
  /** Source of the entry file, to point errors at the right export. */
  entrySource: string;
  data: LoadedData;
  overrides: Hyperparameters;
  send(message: ChildMessage): void;
  /** This run's folder, where a harness may leave files for the learner (e.g. an exported model). */
  runDir?: string;
}

export interface HarnessResult {
  status: 'completed' | 'diverged';
  outputs: Metrics;
  diagnosis?: string;
  /** Milliseconds spent preparing tensors, training and evaluating. */
  timings: { prepareMs: number; trainMs: number; evaluateMs: number };
}

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

export function callLearner<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new LearnerError(err);
  }
}

export async function callLearnerAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new LearnerError(err);
  }
}
