// What the playground harness measures of one trained network: its losses and the gap between them,
// how its curve ended, the yardsticks that do not depend on the run's seed (a straight line on x1 and
// x2, and on the network's own features, both trained from zero weights with TF Playground's default
// settings, so the same points always give the same numbers), and what regularization left of it.
// Also the network as layers, for the evidence of a diagnosis.
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import type { LayerFact, ModelEvidence } from '../../../core/grade/evidence';
import type { PointSet } from '../../../core/playground/datasets';
import { FEATURE_IDS, toExamples, type Examples, type FeatureId } from '../../../core/playground/features';
import { Network, type NetworkSpec, type NetworkWeights, type TrainOptions } from '../../../core/playground/network';
import type { NetworkSettings } from './playgroundNetwork';
import { inputLiveness, signAccuracy, spread, tailSwing, zeroWeights } from './playgroundOutputs';

/** The straight lines every run also trains, with TF Playground's default settings, from zero weights. */
const LINE_EPOCHS = 300;
const LINE_OPTIONS: TrainOptions = { learningRate: 0.03, batchSize: 10, regularization: 'none', regularizationRate: 0 };
const RAW: FeatureId[] = ['x1', 'x2'];
/** The share of the epochs over which `late_fall_percent` measures how much the training loss still fell. */
const LATE_SHARE = 0.2;

export function isRegularized(s: NetworkSettings): boolean {
  return s.regularization !== 'none' && s.regularizationRate > 0;
}

/** The penalty's share of the objective the trainer minimizes (loss + penalty), at the end. */
function penaltyShare(weights: NetworkWeights, s: NetworkSettings, loss: number): number {
  if (!isRegularized(s)) return 0;
  let sum = 0;
  for (const layer of weights.weights) for (const row of layer) for (const w of row) sum += s.regularization === 'L1' ? Math.abs(w) : 0.5 * w * w;
  const penalty = s.regularizationRate * sum;
  return penalty + loss > 0 ? penalty / (penalty + loss) : 0;
}

/** How much the training loss fell over the last fifth of the epochs, relative to where it stood. */
function lateFall(curve: readonly number[]): number {
  const n = curve.length;
  if (n < 5) return NaN;
  const from = curve[Math.max(0, Math.floor(n * (1 - LATE_SHARE)) - 1)];
  return from > 0 ? (from - curve[n - 1]) / from : 0;
}

/** Half the variance of the labels: the loss of always answering their average. */
export function averageAnswerLoss(labels: ArrayLike<number>): number {
  const n = labels.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += labels[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (labels[i] - m) ** 2;
  return (0.5 * s) / n;
}

/** A linear model trained from zero weights: the same points always give the same line. */
function trainLine(train: Examples, test: Examples, inputs: number, outputActivation: NetworkSpec['outputActivation']): { train: number; test: number } {
  const line = new Network({ inputs, hidden: [], activation: 'linear', outputActivation }, () => 0.5);
  for (let e = 0; e < LINE_EPOCHS; e++) line.trainEpoch(train, LINE_OPTIONS);
  return { train: line.loss(train), test: line.loss(test) };
}

export function modelFacts(s: NetworkSettings, outputActivation: string, params: number): ModelEvidence {
  const reg = (): Partial<LayerFact> => (isRegularized(s) ? (s.regularization === 'L1' ? { l1: s.regularizationRate } : { l2: s.regularizationRate }) : {});
  const layers: LayerFact[] = [
    ...s.hidden.map((units) => ({ className: 'Dense', units, activation: s.activation, initializer: 'RandomUniform', ...reg() })),
    { className: 'Dense', units: 1, activation: outputActivation, initializer: 'RandomUniform', ...reg() },
  ];
  return {
    layers,
    outputUnits: 1,
    outputActivation,
    loss: 'halfSquaredError',
    compiledByLab: true,
    headByLab: true,
    optimizer: 'sgd',
    learningRate: s.learningRate,
    params,
    hiddenActivations: s.activation === 'linear' ? 0 : s.hidden.length,
    normalizesInside: false,
  };
}

export interface Trained {
  net: Network;
  trainLoss: number;
  testLoss: number;
  curve: number[];
  divergedAt?: number;
}

/** Everything measured about one trained network, under `prefix`. */
export function measureNetwork(
  prefix: string,
  s: NetworkSettings,
  t: Trained,
  trainPts: PointSet,
  testPts: PointSet,
  trainEx: Examples,
  testEx: Examples,
  classification: boolean,
  outputActivation: NetworkSpec['outputActivation'],
): Metrics {
  const o: Metrics = {};
  const put = (name: string, v: number | null) => {
    o[`${prefix}${name}`] = v === null ? null : finiteOrNull(v);
  };
  const { net, trainLoss, testLoss, curve } = t;
  const testOut = net.predictRows(testEx.inputs, testEx.length, new Float64Array(testEx.length));
  put('train_loss', trainLoss);
  put('test_loss', testLoss);
  put('loss_gap', testLoss - trainLoss);
  if (classification) put('test_accuracy', signAccuracy(testOut, testEx.labels));
  put('output_spread', spread(testOut));
  put('train_loss_min', Math.min(...curve));
  put('loss_swing', tailSwing(curve));
  put('late_fall_percent', 100 * lateFall(curve));
  // On the training points: what a network whose output is the same everywhere would score there.
  put('average_answer_loss', averageAnswerLoss(trainEx.labels));

  const raw = trainLine(toExamples(trainPts, RAW), toExamples(testPts, RAW), RAW.length, outputActivation);
  put('linear_train_loss', raw.train);
  put('linear_test_loss', raw.test);
  // The part of the gap the network adds beyond the line's own: which points happened to land in the
  // training part makes both look better there, memorising makes only the network look better.
  put('excess_gap', testLoss - trainLoss - (raw.test - raw.train));
  const own = trainLine(trainEx, testEx, s.features.length, outputActivation);
  put('line_on_features_train_loss', own.train);
  put('line_on_features_test_loss', own.test);

  // What regularization left of the network.
  const weights = net.getWeights();
  const live = inputLiveness(weights, s.features.length);
  let deadLinks = 0;
  for (const layer of net.snapshot().dead) for (const row of layer) for (const d of row) if (d) deadLinks++;
  put('input_features', s.features.length);
  put('derived_inputs', s.features.filter((f) => f !== 'x1' && f !== 'x2').length);
  put('squared_inputs', s.features.filter((f) => f === 'x1Squared' || f === 'x2Squared').length);
  put('hidden_layers', s.hidden.length);
  put(
    'hidden_neurons',
    s.hidden.reduce((a, n) => a + n, 0),
  );
  put('nonlinear_layers', s.activation === 'linear' ? 0 : s.hidden.length);
  put('links', net.linkCount);
  put('dead_links', deadLinks);
  put('zero_weights', zeroWeights(weights));
  put('zeroed_inputs', live.zeroed.filter(Boolean).length);
  put('alive_inputs', live.alive.filter(Boolean).length);
  for (const f of FEATURE_IDS) {
    const i = s.features.indexOf(f);
    put(`uses_${f}`, i >= 0 ? 1 : 0);
    // A feature the network was not given does not reach the output either.
    put(`input_alive_${f}`, i >= 0 && live.alive[i] ? 1 : 0);
  }
  put('penalty_share', penaltyShare(weights, s, trainLoss));
  put('learning_rate', s.learningRate);
  put('batch_size', s.batchSize);
  put('regularization_rate', isRegularized(s) ? s.regularizationRate : 0);
  put('l1_rate', isRegularized(s) && s.regularization === 'L1' ? s.regularizationRate : 0);
  put('l2_rate', isRegularized(s) && s.regularization === 'L2' ? s.regularizationRate : 0);
  // What L1's proximal step takes off every weight's size at each update.
  put('l1_step', isRegularized(s) && s.regularization === 'L1' ? s.learningRate * s.regularizationRate : 0);
  put('epochs_run', curve.length);
  return o;
}
