// Serve stage: a fresh process loads the saved models the way a server would — from their files
// alone, with the learner's code loaded only so that its custom layers are registered — and predicts
// the inputs it is given. It never saw the trained models, so a model that did not save everything
// it needs predicts differently here.
import type * as tfTypes from '@tensorflow/tfjs';
import { loadModel } from '../common/artifacts';
import { ContractError } from '../common/errors';
import type { LearnerPredictions } from '../common/learnerProtocol';
import { encodeVector } from '../common/wire';
import type { LearnerContext } from './context';
import { tensorOf } from './customTraining';

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

export async function runServe(ctx: LearnerContext): Promise<LearnerPredictions> {
  const { tf } = ctx;
  const serve = ctx.start.serve;
  if (!serve) throw new Error('the serve stage has nothing to load');
  const x = tensorOf(tf, serve.inputs);
  const test: LearnerPredictions['test'] = {};
  for (const { name, artifacts } of serve.models) {
    let model: tfTypes.LayersModel;
    try {
      model = await loadModel(tf, artifacts);
    } catch (err) {
      throw new ContractError(`the saved ${name} model cannot be loaded back: ${firstLine(err)}`);
    }
    test[name] = encodeVector(tf.tidy(() => Array.from((model.predict(x) as tfTypes.Tensor).dataSync())));
    model.dispose();
  }
  x.dispose();
  return { type: 'predictions', test };
}
