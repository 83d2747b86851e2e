// Playground labs: TF Playground's data sets and networks, trained the way TF Playground trains them.
// The learner exports `network` (features, hidden layers, activation, learning rate, batch size,
// regularization and epochs) — plain data, read in the learner's process and checked here; the
// evaluator owns the points (the lab's seed fixes them and the split), trains, and measures on the
// test points. The learner's code takes no part in training at all.
//
// Training uses the playground's own trainer (src/core/playground/network.ts), not TensorFlow.js: it
// follows TF Playground's rules exactly (per-point gradients averaged over a batch, L1 as a proximal
// step that sets a weight to exactly 0 and kills its link) and matches TensorFlow.js to float
// precision, 20–45× faster at these sizes. A run reports this in its log.
//
// Curves: the train loss is measured after every epoch (for divergence and the end-of-run swing),
// but only about 100 evenly spaced epochs, the first and the last are recorded and sent (see
// epochStride): `loss` = train, `val_loss` = test loss, TF Playground's ½·(output − label)², mean;
// with regularization also `baseline_loss` / `baseline_val_loss` of the same network without it.
import { finiteOrNull, type Metrics } from '../../../core/protocol';
import { problemOf, type PointSet } from '../../../core/playground/datasets';
import { toExamples, type Examples, type FeatureId } from '../../../core/playground/features';
import { Network, type NetworkSpec, type TrainOptions } from '../../../core/playground/network';
import type { BuildPlan } from '../../common/learnerProtocol';
import type { PlaygroundRow } from '../../datasets/playground';
import type { EvalContext, KindResult } from '../context';
import { networkHyperparameters, resolveNetwork, type NetworkSettings } from '../measure/playgroundNetwork';
import { epochStride, inputLiveness, isRecordedEpoch, signAccuracy, spread, tailSwing, zeroWeights } from '../measure/playgroundOutputs';

export const NETWORK_EXPORT = 'network';
const PROGRESS_INTERVAL_MS = 100;
/** Training is synchronous; handing the event loop back this often lets messages out while it runs. */
const YIELD_INTERVAL_MS = 50;

/** The linear model every run also trains, on x1 and x2 with TF Playground's default settings. */
const LINEAR_BASELINE = { features: ['x1', 'x2'] as FeatureId[], epochs: 300, options: { learningRate: 0.03, batchSize: 10, regularization: 'none', regularizationRate: 0 } as TrainOptions };

function toPoints(rows: readonly unknown[]): PointSet {
  const x1 = new Float64Array(rows.length);
  const x2 = new Float64Array(rows.length);
  const label = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const p = r as PlaygroundRow;
    x1[i] = p.x1;
    x2[i] = p.x2;
    label[i] = p.label;
  });
  return { x1, x2, label, length: rows.length };
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function trainerNote(s: NetworkSettings, outputActivation: string): string {
  const reg = s.regularization === 'none' ? 'no regularization' : `${s.regularization} at ${s.regularizationRate}${s.regularization === 'L1' ? ' (a proximal step: a weight that crosses zero is set to exactly 0 and its link dies)' : ''}`;
  return (
    "trainer: the playground's own trainer, with TF Playground's rules (TensorFlow.js is not used for training): " +
    `${s.hidden.length ? `hidden layers ${s.hidden.join(', ')} (${s.activation})` : 'no hidden layer'}, ${outputActivation} output, ` +
    `loss ½·(output − label)², weights from U[−0.5, 0.5], plain gradient descent with rate ${s.learningRate} averaged over batches of ${s.batchSize}, ${reg}`
  );
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const PLAN: BuildPlan = { values: [NETWORK_EXPORT] };

export async function evaluatePlayground(ctx: EvalContext): Promise<KindResult> {
  const { manifest } = ctx;
  const built = await ctx.build(PLAN);
  const { settings, warnings } = resolveNetwork(manifest, NETWORK_EXPORT, built.values[NETWORK_EXPORT], ctx.start.hyperparameters, ctx.entry, ctx.entrySource);
  for (const message of warnings) ctx.send({ type: 'log', level: 'warn', message });

  const tPrepare = Date.now();
  const pg = manifest.data.playground;
  const problem = pg ? problemOf(pg.kind) : 'classification';
  const outputActivation = problem === 'regression' ? 'linear' : 'tanh';
  const trainPts = toPoints(ctx.data.split.train);
  const testPts = toPoints(ctx.data.split.test);
  const trainEx = toExamples(trainPts, settings.features);
  const testEx = toExamples(testPts, settings.features);

  const spec: NetworkSpec = { inputs: settings.features.length, hidden: settings.hidden, activation: settings.activation, outputActivation };
  // Math.random is seeded with the run's seed: initial weights change with the seed, the points never do.
  const net = new Network(spec, Math.random);
  const options: TrainOptions = {
    learningRate: settings.learningRate,
    batchSize: settings.batchSize,
    regularization: settings.regularization,
    regularizationRate: settings.regularizationRate,
  };
  // The same network from the same initial weights without regularization: what the penalty changed.
  const regularized = settings.regularization !== 'none' && settings.regularizationRate > 0;
  let baseline: Network | undefined;
  if (regularized) {
    baseline = new Network(spec, () => 0.5);
    baseline.setWeights(net.getWeights());
  }
  const baselineOptions: TrainOptions = { ...options, regularization: 'none', regularizationRate: 0 };

  ctx.send({ type: 'log', level: 'info', message: trainerNote(settings, outputActivation) });
  if (pg) {
    ctx.send({
      type: 'log',
      level: 'info',
      message: `data: ${pg.kind}, noise ${pg.noise} %, ${trainPts.length} training and ${testPts.length} test points (fixed by the lab; the test points are only used to measure)`,
    });
  }
  const epochs = settings.epochs;
  ctx.send({
    type: 'started',
    hyperparameters: networkHyperparameters(settings),
    epochs,
    rows: { train: trainPts.length, validation: 0, test: testPts.length },
    features: settings.features.length,
  });

  const stride = epochStride(epochs);
  const batches = Math.max(1, Math.ceil(trainPts.length / settings.batchSize));
  const trainCurve: number[] = [];
  let baselineFinite = true;
  let divergedAt: number | undefined;
  const t0 = Date.now();
  let lastYield = t0;
  let lastProgress = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    net.trainEpoch(trainEx, options);
    const trainLoss = net.loss(trainEx);
    trainCurve.push(trainLoss);
    if (baseline && baselineFinite) baseline.trainEpoch(trainEx, baselineOptions);
    if (!Number.isFinite(trainLoss)) divergedAt = epoch;
    if (divergedAt !== undefined || isRecordedEpoch(epoch, epochs, stride)) {
      const metrics: Metrics = { loss: finiteOrNull(trainLoss), val_loss: finiteOrNull(net.loss(testEx)) };
      if (baseline) {
        const bTrain = baseline.loss(trainEx);
        baselineFinite = Number.isFinite(bTrain);
        metrics.baseline_loss = finiteOrNull(bTrain);
        metrics.baseline_val_loss = finiteOrNull(baseline.loss(testEx));
      }
      ctx.send({ type: 'epoch', epoch, metrics, elapsedMs: Date.now() - t0 });
    }
    if (divergedAt !== undefined) break;
    const now = Date.now();
    if (now - lastYield >= YIELD_INTERVAL_MS) {
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        ctx.send({ type: 'progress', epoch, batch: batches, batches });
      }
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  const trainMs = Date.now() - t0;
  const tEvaluate = Date.now();

  const outputs: Metrics = {};
  const testOut = net.predictRows(testEx.inputs, testEx.length, new Float64Array(testEx.length));
  const trainLoss = net.loss(trainEx);
  const testLoss = net.loss(testEx);
  outputs.train_loss = finiteOrNull(trainLoss);
  outputs.test_loss = finiteOrNull(testLoss);
  outputs.loss_gap = finiteOrNull(testLoss - trainLoss);
  if (problem === 'classification') outputs.test_accuracy = finiteOrNull(signAccuracy(testOut, testEx.labels));
  outputs.output_spread = finiteOrNull(spread(testOut));
  outputs.train_loss_min = finiteOrNull(Math.min(...trainCurve));
  outputs.loss_swing = finiteOrNull(tailSwing(trainCurve));

  if (baseline) {
    const bTrain = baseline.loss(trainEx);
    const bTest = baseline.loss(testEx);
    outputs.baseline_train_loss = finiteOrNull(bTrain);
    outputs.baseline_test_loss = finiteOrNull(bTest);
    outputs.baseline_gap = finiteOrNull(bTest - bTrain);
  } else {
    // Without regularization the run is its own baseline.
    outputs.baseline_train_loss = outputs.train_loss;
    outputs.baseline_test_loss = outputs.test_loss;
    outputs.baseline_gap = outputs.loss_gap;
  }
  outputs.linear_test_loss = finiteOrNull(trainLinearBaseline(trainPts, testPts, outputActivation));

  // What regularization left of the network.
  const weights = net.getWeights();
  const live = inputLiveness(weights, settings.features.length);
  let deadLinks = 0;
  for (const layer of net.snapshot().dead) for (const row of layer) for (const d of row) if (d) deadLinks++;
  outputs.input_features = settings.features.length;
  outputs.derived_inputs = settings.features.filter((f) => f !== 'x1' && f !== 'x2').length;
  outputs.hidden_layers = settings.hidden.length;
  outputs.hidden_neurons = settings.hidden.reduce((s, n) => s + n, 0);
  outputs.links = net.linkCount;
  outputs.dead_links = deadLinks;
  outputs.zero_weights = zeroWeights(weights);
  outputs.zeroed_inputs = live.zeroed.filter(Boolean).length;
  outputs.alive_inputs = live.alive.filter(Boolean).length;
  settings.features.forEach((f, i) => {
    outputs[`input_alive_${f}`] = live.alive[i] ? 1 : 0;
  });

  outputs.learning_rate = settings.learningRate;
  outputs.batch_size = settings.batchSize;
  outputs.regularization_rate = regularized ? settings.regularizationRate : 0;
  outputs.epochs_run = trainCurve.length;
  outputs.train_seconds = trainMs / 1000;
  const timings = { prepareMs: t0 - tPrepare, trainMs, evaluateMs: Date.now() - tEvaluate };

  if (divergedAt !== undefined) {
    const diagnosis =
      `loss diverged at epoch ${divergedAt} — the weights overflowed: learning rate ${fmt(settings.learningRate)} is too high for this network` +
      `${settings.activation === 'relu' ? ' (ReLU outputs have no upper bound, so large steps compound)' : ''}; lower it, e.g. to 0.03 (TF Playground's default)`;
    return { status: 'diverged', outputs, diagnosis, timings, trainedBy: 'lab' };
  }
  return { status: 'completed', outputs, timings, trainedBy: 'lab' };
}

/** Test loss of a linear model on x1 and x2: the floor a network has to beat to have learned anything curved. */
function trainLinearBaseline(trainPts: PointSet, testPts: PointSet, outputActivation: NetworkSpec['outputActivation']): number {
  const train: Examples = toExamples(trainPts, LINEAR_BASELINE.features);
  const test: Examples = toExamples(testPts, LINEAR_BASELINE.features);
  const linear = new Network({ inputs: LINEAR_BASELINE.features.length, hidden: [], activation: 'linear', outputActivation }, Math.random);
  for (let e = 0; e < LINEAR_BASELINE.epochs; e++) linear.trainEpoch(train, LINEAR_BASELINE.options);
  return linear.loss(test);
}
