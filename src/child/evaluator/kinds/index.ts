// The lab kinds lab.json can name ("harness"): each is a small function over the shared stages —
// the learner's process builds (or, where its code takes part in training, trains), the evaluator
// trains, predicts and measures.
import type { LabManifest } from '../../../core/lab/manifest';
import type { EvalContext, KindResult } from '../context';
import { evaluateClassification } from './classification';
import { evaluateCustomTraining } from './customTraining';
import { evaluatePlayground } from './playground';
import { evaluateRateSweep } from './rateSweep';
import { evaluateRegression } from './regression';
import { evaluateSaveReload } from './saveReload';
import { evaluateVersusLinear } from './versusLinear';

export interface LabKind {
  /** Where the model trains: the lab's own loop in the evaluator, or the learner's process. */
  trainer: 'lab' | 'learner';
  /** Whether the evaluator needs TensorFlow.js (the playground's trainer is plain JavaScript). */
  usesTf: boolean;
  evaluate(ctx: EvalContext): Promise<KindResult>;
}

export const KINDS: Record<LabManifest['harness'], LabKind> = {
  regression: { trainer: 'lab', usesTf: true, evaluate: evaluateRegression },
  classification: { trainer: 'lab', usesTf: true, evaluate: evaluateClassification },
  'versus-linear': { trainer: 'lab', usesTf: true, evaluate: evaluateVersusLinear },
  'rate-sweep': { trainer: 'lab', usesTf: true, evaluate: evaluateRateSweep },
  playground: { trainer: 'lab', usesTf: false, evaluate: evaluatePlayground },
  'custom-training': { trainer: 'learner', usesTf: false, evaluate: evaluateCustomTraining },
  'save-reload': { trainer: 'learner', usesTf: false, evaluate: evaluateSaveReload },
};
