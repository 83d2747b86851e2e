// Playground labs: TF Playground's data sets and networks, trained the way TF Playground trains them.
// The learner exports `network` (features, hidden layers, activation, learning rate, batch size,
// regularization and epochs) — plain data, read in the learner's process and checked here; the
// evaluator owns the points (the lab's seed fixes them and the split), trains, and measures on the
// test points. The learner's code takes no part in training at all. A lab may grade further parts
// (lab.json "parts"): each is another exported network on a data set of its own, trained and measured
// the same way before the main one; its outputs carry the part's id as a prefix ("circle_test_loss").
//
// Training uses the playground's own trainer (src/core/playground/network.ts), not TensorFlow.js: it
// follows TF Playground's rules exactly (per-point gradients averaged over a batch, L1 as a proximal
// step that sets a weight to exactly 0 and kills its link) and matches TensorFlow.js to float
// precision, 20–45× faster at these sizes. A run reports this in its log.
//
// Curves (main network): the train loss is measured after every epoch (for divergence and the
// end-of-run swing), but only about 100 evenly spaced epochs, the first and the last are recorded and
// sent (see epochStride): `loss` = train, `val_loss` = test loss, TF Playground's ½·(output − label)²,
// mean; with regularization also `baseline_loss` / `baseline_val_loss` of the same network without it.
//
// Yardsticks that do not depend on the run's seed: a straight line on x1 and x2 (`linear_*`), and on
// the network's own features (`line_on_features_*`), both trained from zero weights with TF
// Playground's default settings, so the same points always give the same numbers.
//
// Evidence for the diagnosis: the network as layers (activation, penalty), its head and loss (fixed by
// the lab), the learning rate, the loss before training and the loss of always answering the average.
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import type { Evidence, LayerFact, ModelEvidence } from '../../../core/grade/evidence';
import type { LabManifest } from '../../../core/lab/manifest';
import { generateDataset, problemOf, type PointSet } from '../../../core/playground/datasets';
import { FEATURE_IDS, toExamples, type Examples, type FeatureId } from '../../../core/playground/features';
import { Network, type NetworkSpec, type NetworkWeights, type TrainOptions } from '../../../core/playground/network';
import type { BuildPlan } from '../../common/learnerProtocol';
import type { PlaygroundRow } from '../../datasets/playground';
import type { EvalContext, KindResult } from '../context';
import { networkHyperparameters, resolveNetwork, type NetworkSettings } from '../measure/playgroundNetwork';
import { epochStride, inputLiveness, isRecordedEpoch, signAccuracy, spread, tailSwing, zeroWeights } from '../measure/playgroundOutputs';
import { formatNumber } from '../../../core/format';

export const NETWORK_EXPORT = 'network';
const PROGRESS_INTERVAL_MS = 100;
/** Training is synchronous; handing the event loop back this often lets messages out while it runs. */
const YIELD_INTERVAL_MS = 50;

/** The straight lines every run also trains, with TF Playground's default settings, from zero weights. */
const LINE_EPOCHS = 300;
const LINE_OPTIONS: TrainOptions = { learningRate: 0.03, batchSize: 10, regularization: 'none', regularizationRate: 0 };
const RAW: FeatureId[] = ['x1', 'x2'];
/** The share of the epochs over which `late_fall_percent` measures how much the training loss still fell. */
const LATE_SHARE = 0.2;

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

function trainerNote(s: NetworkSettings, outputActivation: string, name?: string): string {
  const reg =
    s.regularization === 'none'
      ? 'no regularization'
      : `${s.regularization} at ${s.regularizationRate}${s.regularization === 'L1' ? ' (a proximal step: a weight that crosses zero is set to exactly 0 and its link dies)' : ''}`;
  return (
    `trainer${name ? ` (${name})` : ''}: the playground's own trainer, with TF Playground's rules (TensorFlow.js is not used for training): ` +
    `${s.hidden.length ? `hidden layers ${s.hidden.join(', ')} (${s.activation})` : 'no hidden layer'}, ${outputActivation} output, ` +
    `loss ½·(output − label)², weights from U[−0.5, 0.5], plain gradient descent with rate ${s.learningRate} averaged over batches of ${s.batchSize}, ${reg}`
  );
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Part = NonNullable<LabManifest['parts']>[number];

function optionsOf(s: NetworkSettings): TrainOptions {
  return { learningRate: s.learningRate, batchSize: s.batchSize, regularization: s.regularization, regularizationRate: s.regularizationRate };
}

function isRegularized(s: NetworkSettings): boolean {
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
function averageAnswerLoss(labels: ArrayLike<number>): number {
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

function modelFacts(s: NetworkSettings, outputActivation: string, params: number): ModelEvidence {
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

interface Trained {
  net: Network;
  trainLoss: number;
  testLoss: number;
  curve: number[];
  divergedAt?: number;
}

/** Everything measured about one trained network, under `prefix`. */
function measure(
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

/** The points of an extra part: its own generator and seed (under official grading, derived from the secret one). */
function partPoints(manifest: LabManifest, part: Part, splitSeed: number | undefined): { train: PointSet; test: PointSet } {
  const d = generateDataset({
    kind: part.data.kind,
    noise: part.data.noise,
    trainShare: Math.round((part.data.train ?? manifest.data.split.train) * 1e6) / 1e4,
    seed: splitSeed !== undefined ? `${splitSeed}:${part.id}` : String(part.data.shuffleSeed ?? manifest.data.shuffleSeed),
  });
  return { train: d.train, test: d.test };
}

/** Trains an extra part to the end, handing the event loop back now and then. */
async function trainQuietly(net: Network, trainEx: Examples, testEx: Examples, s: NetworkSettings): Promise<Trained> {
  const options = optionsOf(s);
  const curve: number[] = [];
  let divergedAt: number | undefined;
  let lastYield = Date.now();
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    net.trainEpoch(trainEx, options);
    const loss = net.loss(trainEx);
    curve.push(loss);
    if (!Number.isFinite(loss)) {
      divergedAt = epoch;
      break;
    }
    if (Date.now() - lastYield >= YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  return { net, trainLoss: net.loss(trainEx), testLoss: net.loss(testEx), curve, ...(divergedAt !== undefined ? { divergedAt } : {}) };
}

export async function evaluatePlayground(ctx: EvalContext): Promise<KindResult> {
  const { manifest } = ctx;
  const parts = manifest.parts ?? [];
  const plan: BuildPlan = { values: [NETWORK_EXPORT, ...parts.map((p) => p.export)] };
  const built = await ctx.build(plan);
  const { settings, warnings } = resolveNetwork(manifest, NETWORK_EXPORT, built.values[NETWORK_EXPORT], ctx.start.hyperparameters, ctx.entry, ctx.entrySource);
  for (const message of warnings) ctx.send({ type: 'log', level: 'warn', message });
  // Extra parts take no tuner overrides: those are the main network's.
  const partSettings = parts.map((p) => {
    const r = resolveNetwork(manifest, p.export, built.values[p.export], {}, ctx.entry, ctx.entrySource);
    for (const message of r.warnings) ctx.send({ type: 'log', level: 'warn', message });
    return r.settings;
  });

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
  const options = optionsOf(settings);
  // The same network from the same initial weights without regularization: what the penalty changed.
  const regularized = isRegularized(settings);
  let baseline: Network | undefined;
  if (regularized) {
    baseline = new Network(spec, () => 0.5);
    baseline.setWeights(net.getWeights());
  }
  const baselineOptions: TrainOptions = { ...options, regularization: 'none', regularizationRate: 0 };
  const initialLoss = net.loss(trainEx);

  ctx.send({ type: 'log', level: 'info', message: trainerNote(settings, outputActivation, parts.length ? NETWORK_EXPORT : undefined) });
  if (pg) {
    ctx.send({
      type: 'log',
      level: 'info',
      message: `data${parts.length ? ` (${NETWORK_EXPORT})` : ''}: ${pg.kind}, noise ${pg.noise} %, ${trainPts.length} training and ${testPts.length} test points (fixed by the lab; the test points are only used to measure)`,
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

  // Extra parts first: they are small, and their outputs are ready when the main curve ends.
  const outputs: Metrics = {};
  const t0 = Date.now();
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const s = partSettings[k];
    const pts = partPoints(manifest, part, ctx.start.splitSeed);
    const pOut: NetworkSpec['outputActivation'] = problemOf(part.data.kind) === 'regression' ? 'linear' : 'tanh';
    ctx.send({ type: 'log', level: 'info', message: trainerNote(s, pOut, part.export) });
    ctx.send({
      type: 'log',
      level: 'info',
      message: `data (${part.export}): ${part.data.kind}, noise ${part.data.noise} %, ${pts.train.length} training and ${pts.test.length} test points`,
    });
    const pTrain = toExamples(pts.train, s.features);
    const pTest = toExamples(pts.test, s.features);
    const pNet = new Network({ inputs: s.features.length, hidden: s.hidden, activation: s.activation, outputActivation: pOut }, Math.random);
    const trained = await trainQuietly(pNet, pTrain, pTest, s);
    Object.assign(outputs, measure(`${part.id}_`, s, trained, pts.train, pts.test, pTrain, pTest, pOut === 'tanh', pOut));
    outputs[`${part.id}_diverged`] = trained.divergedAt !== undefined ? 1 : 0;
  }

  const stride = epochStride(epochs);
  const batches = Math.max(1, Math.ceil(trainPts.length / settings.batchSize));
  const trainCurve: number[] = [];
  let baselineFinite = true;
  let divergedAt: number | undefined;
  const tMain = Date.now();
  let lastYield = tMain;
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
      ctx.send({ type: 'epoch', epoch, metrics, elapsedMs: Date.now() - tMain });
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

  const trainLoss = net.loss(trainEx);
  const testLoss = net.loss(testEx);
  Object.assign(
    outputs,
    measure('', settings, { net, trainLoss, testLoss, curve: trainCurve }, trainPts, testPts, trainEx, testEx, problem === 'classification', outputActivation),
  );
  if (baseline) {
    const bTrain = baseline.loss(trainEx);
    const bTest = baseline.loss(testEx);
    outputs.baseline_train_loss = finiteOrNull(bTrain);
    outputs.baseline_test_loss = finiteOrNull(bTest);
    outputs.baseline_gap = finiteOrNull(bTest - bTrain);
    outputs.baseline_excess_gap = finiteOrNull(bTest - bTrain - ((outputs.linear_test_loss ?? NaN) - (outputs.linear_train_loss ?? NaN)));
  } else {
    // Without regularization the run is its own baseline.
    outputs.baseline_train_loss = outputs.train_loss;
    outputs.baseline_test_loss = outputs.test_loss;
    outputs.baseline_gap = outputs.loss_gap;
    outputs.baseline_excess_gap = outputs.excess_gap;
  }
  outputs.train_seconds = trainMs / 1000;
  const timings = { prepareMs: t0 - tPrepare, trainMs, evaluateMs: Date.now() - tEvaluate };

  const evidence: Evidence = {
    task: problem === 'regression' ? 'regression' : 'binary',
    model: modelFacts(settings, outputActivation, net.linkCount + net.neuronCount),
    baselineLoss: averageAnswerLoss(trainEx.labels),
    ...(Number.isFinite(initialLoss) ? { initialLoss } : {}),
  };

  if (divergedAt !== undefined) {
    const diagnosis =
      `loss diverged at epoch ${divergedAt} — the weights overflowed: learning rate ${formatNumber(settings.learningRate)} is too high for this network` +
      `${settings.activation === 'relu' ? ' (ReLU outputs have no upper bound, so large steps compound)' : ''}; lower it, e.g. to 0.03 (TF Playground's default)`;
    return { status: 'diverged', outputs, diagnosis, timings, trainedBy: 'lab', evidence };
  }
  return { status: 'completed', outputs, timings, trainedBy: 'lab', evidence };
}
