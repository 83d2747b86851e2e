// The harnesses a lab can name in lab.json ("harness"): each drives one kind of learner code,
// owns the data, the training loop and the held-out evaluation, and returns the run's outputs.
import type { LabManifest } from '../../core/labManifest';
import { runRegression } from './regression';
import type { HarnessContext, HarnessResult } from './types';

export const HARNESSES: Record<LabManifest['harness'], (ctx: HarnessContext) => Promise<HarnessResult>> = {
  regression: runRegression,
};
