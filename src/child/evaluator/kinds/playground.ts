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
// Playground's default settings, so the same points always give the same numbers (see
// measure/playgroundMeasures.ts).
//
// Evidence for the diagnosis: the network as layers (activation, penalty), its head and loss (fixed by
// the lab), the learning rate, the loss before training and the loss of always answering the average.
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import type { Evidence } from '../../../core/grade/evidence';
import type { LabManifest } from '../../../core/lab/manifest';
import { generateDataset, problemOf, type PointSet } from '../../../core/playground/datasets';
import { toExamples, type Examples } from '../../../core/playground/features';
import { Network, type NetworkSpec, type TrainOptions } from '../../../core/playground/network';
import type { BuildPlan } from '../../common/learnerProtocol';
import type { PlaygroundRow } from '../../datasets/playground';
import type { EvalContext, KindResult } from '../context';
import { networkHyperparameters, resolveNetwork, type NetworkSettings } from '../measure/playgroundNetwork';
import { epochStride, isRecordedEpoch } from '../measure/playgroundOutputs';
import { averageAnswerLoss, isRegularized, measureNetwork, modelFacts, type Trained } from '../measure/playgroundMeasures';
import { formatNumber } from '../../../core/format';

export const NETWORK_EXPORT = 'network';
const PROGRESS_INTERVAL_MS = 100;
/** Training is synchronous; handing the event loop back this often lets messages out while it runs. */
const YIELD_INTERVAL_MS = 50;

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

/** The settings of the main network and of every extra part, as the learner exported them, checked. */
function resolveSettings(ctx: EvalContext, parts: Part[], values: Record<string, unknown>): { settings: NetworkSettings; partSettings: NetworkSettings[] } {
  const { settings, warnings } = resolveNetwork(ctx.manifest, NETWORK_EXPORT, values[NETWORK_EXPORT], ctx.start.hyperparameters, ctx.entry, ctx.entrySource);
  for (const message of warnings) ctx.send({ type: 'log', level: 'warn', message });
  // Extra parts take no tuner overrides: those are the main network's.
  const partSettings = parts.map((p) => {
    const r = resolveNetwork(ctx.manifest, p.export, values[p.export], {}, ctx.entry, ctx.entrySource);
    for (const message of r.warnings) ctx.send({ type: 'log', level: 'warn', message });
    return r.settings;
  });
  return { settings, partSettings };
}

/** Trains and measures the extra parts, each on its own points; their outputs carry the part's id. */
async function trainParts(ctx: EvalContext, parts: Part[], partSettings: NetworkSettings[]): Promise<Metrics> {
  const outputs: Metrics = {};
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const s = partSettings[k];
    const pts = partPoints(ctx.manifest, part, ctx.start.splitSeed);
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
    Object.assign(outputs, measureNetwork(`${part.id}_`, s, trained, pts.train, pts.test, pTrain, pTest, pOut === 'tanh', pOut));
    outputs[`${part.id}_diverged`] = trained.divergedAt !== undefined ? 1 : 0;
  }
  return outputs;
}

/** The main network and, when it is regularized, the same network without the penalty. */
interface MainRun {
  net: Network;
  baseline: Network | undefined;
  settings: NetworkSettings;
  trainEx: Examples;
  testEx: Examples;
}

/**
 * Trains the main network (and its baseline beside it) to the end or the first loss that is not a
 * number, sending the recorded epochs and, now and then, progress.
 */
async function trainMain(ctx: EvalContext, run: MainRun, trainPoints: number): Promise<{ curve: number[]; divergedAt?: number }> {
  const { net, baseline, settings, trainEx, testEx } = run;
  const epochs = settings.epochs;
  const options = optionsOf(settings);
  const baselineOptions: TrainOptions = { ...options, regularization: 'none', regularizationRate: 0 };
  const stride = epochStride(epochs);
  const batches = Math.max(1, Math.ceil(trainPoints / settings.batchSize));
  const curve: number[] = [];
  let baselineFinite = true;
  let divergedAt: number | undefined;
  const tMain = Date.now();
  let lastYield = tMain;
  let lastProgress = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    net.trainEpoch(trainEx, options);
    const trainLoss = net.loss(trainEx);
    curve.push(trainLoss);
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
  return { curve, ...(divergedAt !== undefined ? { divergedAt } : {}) };
}

/** The baseline's losses and gaps (the network without its penalty); without regularization the run is its own baseline. */
function baselineOutputs(outputs: Metrics, run: MainRun): Metrics {
  const { baseline, trainEx, testEx } = run;
  if (!baseline) {
    return {
      baseline_train_loss: outputs.train_loss,
      baseline_test_loss: outputs.test_loss,
      baseline_gap: outputs.loss_gap,
      baseline_excess_gap: outputs.excess_gap,
    };
  }
  const bTrain = baseline.loss(trainEx);
  const bTest = baseline.loss(testEx);
  return {
    baseline_train_loss: finiteOrNull(bTrain),
    baseline_test_loss: finiteOrNull(bTest),
    baseline_gap: finiteOrNull(bTest - bTrain),
    baseline_excess_gap: finiteOrNull(bTest - bTrain - ((outputs.linear_test_loss ?? NaN) - (outputs.linear_train_loss ?? NaN))),
  };
}

function divergence(epoch: number, s: NetworkSettings): string {
  return (
    `loss diverged at epoch ${epoch} — the weights overflowed: learning rate ${formatNumber(s.learningRate)} is too high for this network` +
    `${s.activation === 'relu' ? ' (ReLU outputs have no upper bound, so large steps compound)' : ''}; lower it, e.g. to 0.03 (TF Playground's default)`
  );
}

export async function evaluatePlayground(ctx: EvalContext): Promise<KindResult> {
  const { manifest } = ctx;
  const parts = manifest.parts ?? [];
  const plan: BuildPlan = { values: [NETWORK_EXPORT, ...parts.map((p) => p.export)] };
  const built = await ctx.build(plan);
  const { settings, partSettings } = resolveSettings(ctx, parts, built.values);

  const tPrepare = Date.now();
  const pg = manifest.data.playground;
  const problem = pg ? problemOf(pg.kind) : 'classification';
  const outputActivation = problem === 'regression' ? 'linear' : 'tanh';
  const trainPts = toPoints(ctx.data.split.train);
  const testPts = toPoints(ctx.data.split.test);
  const spec: NetworkSpec = { inputs: settings.features.length, hidden: settings.hidden, activation: settings.activation, outputActivation };
  // Math.random is seeded with the run's seed: initial weights change with the seed, the points never do.
  const run: MainRun = {
    net: new Network(spec, Math.random),
    baseline: undefined,
    settings,
    trainEx: toExamples(trainPts, settings.features),
    testEx: toExamples(testPts, settings.features),
  };
  // The same network from the same initial weights without regularization: what the penalty changed.
  if (isRegularized(settings)) {
    run.baseline = new Network(spec, () => 0.5);
    run.baseline.setWeights(run.net.getWeights());
  }
  const initialLoss = run.net.loss(run.trainEx);

  ctx.send({ type: 'log', level: 'info', message: trainerNote(settings, outputActivation, parts.length ? NETWORK_EXPORT : undefined) });
  if (pg) {
    ctx.send({
      type: 'log',
      level: 'info',
      message: `data${parts.length ? ` (${NETWORK_EXPORT})` : ''}: ${pg.kind}, noise ${pg.noise} %, ${trainPts.length} training and ${testPts.length} test points (fixed by the lab; the test points are only used to measure)`,
    });
  }
  ctx.send({
    type: 'started',
    hyperparameters: networkHyperparameters(settings),
    epochs: settings.epochs,
    rows: { train: trainPts.length, validation: 0, test: testPts.length },
    features: settings.features.length,
  });

  // Extra parts first: they are small, and their outputs are ready when the main curve ends.
  const t0 = Date.now();
  const outputs = await trainParts(ctx, parts, partSettings);
  const { curve, divergedAt } = await trainMain(ctx, run, trainPts.length);
  const trainMs = Date.now() - t0;
  const tEvaluate = Date.now();

  const { net, trainEx, testEx } = run;
  const trained: Trained = { net, trainLoss: net.loss(trainEx), testLoss: net.loss(testEx), curve };
  Object.assign(outputs, measureNetwork('', settings, trained, trainPts, testPts, trainEx, testEx, problem === 'classification', outputActivation));
  Object.assign(outputs, baselineOutputs(outputs, run));
  outputs.train_seconds = trainMs / 1000;
  const timings = { prepareMs: t0 - tPrepare, trainMs, evaluateMs: Date.now() - tEvaluate };

  const evidence: Evidence = {
    task: problem === 'regression' ? 'regression' : 'binary',
    model: modelFacts(settings, outputActivation, net.linkCount + net.neuronCount),
    baselineLoss: averageAnswerLoss(trainEx.labels),
    ...(Number.isFinite(initialLoss) ? { initialLoss } : {}),
  };
  if (divergedAt !== undefined) return { status: 'diverged', outputs, diagnosis: divergence(divergedAt, settings), timings, trainedBy: 'lab', evidence };
  return { status: 'completed', outputs, timings, trainedBy: 'lab', evidence };
}
