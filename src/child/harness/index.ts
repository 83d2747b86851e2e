// The harnesses a lab can name in lab.json ("harness"): each drives one kind of learner code,
// owns the data, the training loop and the held-out evaluation, and returns the run's outputs.
import type { LabManifest } from '../../core/labManifest';
import { runPlayground } from './playground';
import { runClassification } from './classification';
import { runCustomTraining } from './customTraining';
import { runRegression } from './regression';
import { runRateSweep } from './rateSweep';
import { runSaveReload } from './saveReload';
import { runVersusLinear } from './versusLinear';
import type { HarnessContext, HarnessResult } from './types';

export const HARNESSES: Record<LabManifest['harness'], (ctx: HarnessContext) => Promise<HarnessResult>> = {
  regression: runRegression,
  classification: runClassification,
  playground: runPlayground,
  'rate-sweep': runRateSweep,
  'versus-linear': runVersusLinear,
  'save-reload': runSaveReload,
  'custom-training': runCustomTraining,
};
