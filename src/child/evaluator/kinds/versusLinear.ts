// DNN versus linear: the learner's code supplies features, a label scale and a network. The evaluator
// trains that network and a linear model on the same features, rows and optimizer settings side by
// side, and measures both on the held-out rows — with the best possible line (least squares) and the
// average price as further yardsticks. It also reports what the network is made of and how spread out
// the features are, so a failed comparison can say why.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import { ContractError } from '../../common/errors';
import type { BuildPlan } from '../../common/learnerProtocol';
import { makeOptimizer } from '../../common/optimizers';
import { predictScaled, std, trainSideBySide, type SideBySideResult } from '../../common/sideBySide';
import type { EvalContext, KindResult } from '../context';
import { rmse } from '../measure/leastSquares';
import { compileModel, learnerModel, type Compiled } from '../models';
import { inputsSeen, meanPredictorMse, modelEvidence, penaltyShare, widestInput } from '../evidence';
import { contractProblems } from '../../../core/grade/contract';
import type { ColumnFact, Evidence } from '../../../core/grade/evidence';
import { formatNumber } from '../../../core/format';
import { at, mean, reporterFor } from './common';
import { announceTraining, prepareRegression, regressionYardsticks, scaledTensors, type RegressionSetup } from './labTraining';

/** Layers that are a nonlinearity by themselves. */
const ACTIVATION_LAYERS = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax']);

/**
 * Hidden layers that apply a nonlinearity on the way from the input to the output. Only layers
 * connected to the output are part of a model, so a layer built but never used does not count.
 * Without any, a stack of dense layers is one linear function of the inputs.
 */
export function hiddenActivations(model: tfTypes.LayersModel): number {
  const outputs = new Set(model.outputLayers ?? []);
  let n = 0;
  for (const layer of model.layers) {
    if (outputs.has(layer)) continue;
    const config = layer.getConfig() as { activation?: unknown };
    const activation = typeof config.activation === 'string' ? config.activation : undefined;
    if (ACTIVATION_LAYERS.has(layer.getClassName()) ? activation !== 'linear' : activation !== undefined && activation !== 'linear') n++;
  }
  return n;
}

/** The largest standard deviation among the feature columns, and its 1-based column. */
export function widestFeature(x: number[][]): { std: number; column: number } {
  let best = { std: 0, column: 0 };
  const p = x[0]?.length ?? 0;
  for (let j = 0; j < p; j++) {
    const s = std(x.map((r) => r[j]));
    if (s > best.std) best = { std: s, column: j + 1 };
  }
  return best;
}

const PLAN: BuildPlan = {
  values: ['hyperparameters', 'labelScale'],
  features: { prepare: false },
  models: [{ name: 'dnn', builder: 'buildModel', args: ['inputs', 'hyperparameters'] }],
};

/** The network and the line after training side by side. */
interface Trained {
  dnn: tfTypes.LayersModel;
  linear: tfTypes.LayersModel;
  compiled: Compiled;
  curves: SideBySideResult['curves'];
  vxs: tfTypes.Tensor;
}

export async function evaluateVersusLinear(ctx: EvalContext): Promise<KindResult> {
  const setup = await prepareRegression(ctx, PLAN, { batchSize: 100, epochs: 3 });
  const { tf, hp, X, y, learningRate, labelScale } = setup;
  const saved = setup.built.models.find((m) => m.name === 'dnn');
  if (!saved) throw new ContractError('"buildModel" must be a function (numFeatures, hyperparameters) => model', at(ctx, 'buildModel'));
  const dnn = await learnerModel(tf, saved.artifacts, 'buildModel');
  if (dnn.inputs[0]?.shape[1] !== X.width) {
    throw new ContractError(
      `buildModel() makes a model for ${dnn.inputs[0]?.shape[1]} inputs, but features() returns ${X.width} values per row`,
      at(ctx, 'buildModel'),
    );
  }
  const optimizerName = hp.optimizer ?? ctx.manifest.training.optimizer;
  const compiled = compileModel(tf, dnn, saved.artifacts, { loss: 'meanSquaredError', optimizer: optimizerName, learningRate, builder: 'buildModel' });
  // The yardstick: the same features, rows, optimizer, rate, batch size and epochs, no hidden layer.
  const linear = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [X.width] })] });
  linear.compile({ optimizer: makeOptimizer(tf, optimizerName, learningRate), loss: 'meanSquaredError' });

  const tensors = scaledTensors(tf, X, y, labelScale);
  const rows = { train: y.train.length, validation: y.validation.length, test: y.test.length };
  const { initialLoss, prepareMs } = announceTraining(ctx, tf, dnn, tensors, {
    hyperparameters: hp,
    epochs: setup.epochs,
    rows,
    features: X.width,
    tPrepare: setup.tPrepare,
  });
  const { curves, trainMs } = await trainSideBySide(tf, reporterFor(ctx), {
    ...tensors,
    epochs: setup.epochs,
    batchSize: setup.batchSize,
    labelScale,
    contenders: [
      { name: 'dnn', model: dnn, primary: true },
      { name: 'linear', model: linear },
    ],
  });

  const tEvaluate = Date.now();
  const trained: Trained = { dnn, linear, compiled, curves, vxs: tensors.vxs };
  const { outputs, seen, widest } = comparisonOutputs(setup, trained, trainMs);
  const model = modelEvidence(dnn, compiled, {
    penaltyShare: penaltyShare(tf, dnn, curves.dnn.loss[curves.dnn.loss.length - 1]),
    unusedParams: saved.unusedParams,
  });
  // The model contract of a regression: a linear output trained on the squared error.
  outputs.contract_problems = contractProblems('regression', model);
  const scaledTrain = y.train.map((v) => v / labelScale);
  const evidence: Evidence = {
    task: 'regression',
    model,
    inputs: seen,
    label: { meanAbs: mean(scaledTrain.map(Math.abs)), std: std(scaledTrain) },
    initialLoss,
    baselineLoss: meanPredictorMse(scaledTrain),
  };
  tf.dispose(Object.values(tensors));
  linear.dispose();
  dnn.dispose();
  const timings = { prepareMs, trainMs, evaluateMs: Date.now() - tEvaluate };

  const divergedAt = curves.dnn.divergedAt;
  if (divergedAt !== undefined) {
    const diagnosis =
      widest.std > 100
        ? `loss diverged at epoch ${divergedAt} — feature ${widest.column} of features() spreads over ±${formatNumber(widest.std)}; scale the features so each is around 1`
        : `loss diverged at epoch ${divergedAt} — learning rate ${formatNumber(learningRate)} is probably too high`;
    return { status: 'diverged', outputs, diagnosis, timings, trainedBy: 'lab', evidence };
  }
  return { status: 'completed', outputs, timings, trainedBy: 'lab', evidence };
}

/** Both models' errors on the held-out and validation rows, the yardsticks, and what the network is made of. */
function comparisonOutputs(
  setup: RegressionSetup,
  trained: Trained,
  trainMs: number,
): { outputs: Metrics; seen: ColumnFact[]; widest: { std: number; column: number } } {
  const { tf, X, y, learningRate, labelScale } = setup;
  const { dnn, linear, vxs } = trained;
  const txs = tf.tensor2d(X.test);
  const outputs: Metrics = {
    label_scale: labelScale,
    learning_rate: finiteOrNull(learningRate),
    batch_size: setup.batchSize,
    epochs_run: trained.curves.dnn.loss.length,
    train_seconds: trainMs / 1000,
  };
  outputs.test_rmse = finiteOrNull(rmse(predictScaled(tf, dnn, txs, labelScale), y.test));
  outputs.val_rmse = finiteOrNull(rmse(predictScaled(tf, dnn, vxs, labelScale), y.validation));
  outputs.linear_rmse = finiteOrNull(rmse(predictScaled(tf, linear, txs, labelScale), y.test));
  outputs.linear_val_rmse = finiteOrNull(rmse(predictScaled(tf, linear, vxs, labelScale), y.validation));
  tf.dispose(txs);
  Object.assign(outputs, regressionYardsticks(X, y));
  // The DNN's error as a fraction of the best line's (the bar is set on its spread over seeds).
  if (outputs.test_rmse !== null && outputs.least_squares_rmse) outputs.ratio_to_line = finiteOrNull(outputs.test_rmse / outputs.least_squares_rmse);
  outputs.hidden_activations = hiddenActivations(dnn);
  outputs.dense_layers = dnn.layers.filter((l) => l.getClassName() === 'Dense').length;
  outputs.params = dnn.countParams();
  // The inputs as the network's first trainable layer receives them: the features, or what a layer
  // inside the model (a frozen standardization) makes of them.
  const seen = inputsSeen(
    tf,
    dnn,
    X.train,
    y.train.map((v) => v / labelScale),
  );
  const widest = widestInput(seen);
  outputs.feature_std_max = finiteOrNull(widest.std);
  outputs.feature_std_max_column = widest.column;
  outputs.features = X.width;
  return { outputs, seen, widest };
}
