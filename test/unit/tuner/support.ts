// Shared by the tuner tests: specs in one line, temporary lab folders, a deferred promise, an objective
// with a known best (x = 0.3), a study's journal as written.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StudySpec, type StudySpecInput } from '../../../src/core/tuner/spec';
import type { TrialFunction, TrialRequest } from '../../../src/core/tuner/scheduler';
import { FileStudyStorage } from '../../../src/core/tuner/storage';
import type { TrialEvent } from '../../../src/core/tuner/trial';

export function tempLab(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mllabs-tuner-'));
}

/** A validated spec: MINIMIZE over x ∈ [0, 1] unless overridden. */
export function makeSpec(over: Partial<StudySpecInput> = {}): StudySpec {
  return StudySpec.parse({
    goal: 'MINIMIZE',
    maxTrials: 6,
    params: [{ parameterName: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }],
    seed: 7,
    ...over,
  });
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise callbacks run. */
export function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Least at x = 0.3. */
export const quadratic = (trial: TrialRequest) => ((trial.params.x as number) - 0.3) ** 2;
export const objectiveOnly: TrialFunction = async (trial) => ({ objective: quadratic(trial), metrics: { x: trial.params.x as number } });
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The study's journal as it is on disk. */
export function journal(lab: string, id: string): TrialEvent[] {
  return new FileStudyStorage(lab, id).load().events;
}
