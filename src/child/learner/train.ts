// Train stage: training happens in the learner's process because the learner's own code takes part
// in it. Its curve is reported as measured by this process. The held-out inputs arrive only after
// training, without labels, and what comes back is predictions, which the evaluator scores.
import type { LearnerPredictions, LearnerTrained } from '../common/learnerProtocol';
import type { LearnerContext } from './context';
import { predictColumn, tensorOf, trainCustom, type CustomModel } from './customTraining';
import { fitModels, predictFitted, type FittedModels } from './fitSideBySide';

let trainedModel: { kind: 'custom'; model: CustomModel } | { kind: 'fitted'; fitted: FittedModels } | undefined;

export async function runTrain(ctx: LearnerContext): Promise<LearnerTrained> {
  const plan = ctx.start.train;
  if (!plan) throw new Error('the train stage has no plan');
  if (plan.trainer === 'custom-training') {
    const { trained, model } = await trainCustom(ctx);
    trainedModel = { kind: 'custom', model };
    return trained;
  }
  const { trained, fitted } = await fitModels(ctx);
  trainedModel = { kind: 'fitted', fitted };
  return trained;
}

/** Waits for the held-out inputs and predicts them with the trained model. */
export async function predictStage(ctx: LearnerContext): Promise<LearnerPredictions> {
  const request = await ctx.next('predict');
  const { tf } = ctx;
  const test = tensorOf(tf, request.test);
  const validation = tensorOf(tf, request.validation);
  try {
    if (!trainedModel) throw new Error('nothing was trained');
    if (trainedModel.kind === 'custom') {
      return {
        type: 'predictions',
        test: { model: predictColumn(tf, trainedModel.model, test) },
        validation: { model: predictColumn(tf, trainedModel.model, validation) },
      };
    }
    return { type: 'predictions', test: predictFitted(tf, trainedModel.fitted, test), validation: predictFitted(tf, trainedModel.fitted, validation) };
  } finally {
    tf.dispose([test, validation]);
  }
}
