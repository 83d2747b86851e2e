// The playground trainer against TensorFlow.js: same data, same initial weights, same batches, plain
// SGD on the cpu backend. tfjs computes in float32 and the trainer in float64, so losses are compared
// with a relative tolerance, not bit for bit.
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import * as ts from 'typescript';
import { resolveConfig, type PlaygroundConfig } from '../../../src/core/playground/config';
import { exportModelCode } from '../../../src/core/playground/exportCode';
import type { Examples } from '../../../src/core/playground/features';
import type { NetworkWeights } from '../../../src/core/playground/network';
import { PlaygroundSession } from '../../../src/core/playground/session';

const RTOL = 2e-4;

interface Exported {
  buildModel(): tf.Sequential;
  compileModel(model: tf.LayersModel): void;
  featuresOf(x1: number, x2: number): number[];
}

/** Compiles and loads the exported source the way a learner's lab file would be run. */
function loadExported(config: PlaygroundConfig): Exported {
  const source = exportModelCode(config);
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const mod = { exports: {} as Exported };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the exported source as a lab file is what is tested
  const load = new Function('require', 'exports', 'module', js) as (r: NodeJS.Require, e: Exported, m: { exports: Exported }) => void;
  load(require, mod.exports, mod);
  return mod.exports;
}

function setTfWeights(model: tf.LayersModel, w: NetworkWeights): void {
  const tensors = w.weights.flatMap((layer, l) => {
    // Ours is [destination][source]; a tfjs kernel is [source][destination].
    const kernel = layer[0].map((_v, i) => layer.map((row) => row[i]));
    return [tf.tensor2d(kernel, [layer[0].length, layer.length]), tf.tensor1d(w.biases[l])];
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

function tensors(ex: Examples, inputs: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = Float32Array.from(ex.inputs.subarray(0, ex.length * inputs));
  const y = Float32Array.from(ex.labels.subarray(0, ex.length));
  return { x: tf.tensor2d(x, [ex.length, inputs]), y: tf.tensor2d(y, [ex.length, 1]) };
}

function tfLoss(model: tf.LayersModel, x: tf.Tensor, labels: Float64Array, n: number): number {
  const out = tf.tidy(() => model.predict(x) as tf.Tensor);
  const p = out.dataSync();
  out.dispose();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += 0.5 * (p[i] - labels[i]) ** 2;
  return sum / n;
}

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= RTOL * Math.max(Math.abs(a), Math.abs(b)) + 1e-7, `${what}: ${a} vs ${b}`);
}

/** Runs both for `epochs` epochs and compares train and test loss after each, and the final weights. */
async function compare(partial: Partial<PlaygroundConfig>, epochs: number, loop: 'manual' | 'fit'): Promise<void> {
  const config = resolveConfig(partial);
  const session = new PlaygroundSession(config);
  const inputs = session.features.length;
  const trainEx = tensorsOf(session, 'train');
  const testEx = tensorsOf(session, 'test');
  assert.strictEqual(trainEx.ex.length % config.batchSize, 0, 'choose a batch size dividing the train set, as model.fit has no carry-over');
  const exported = loadExported(config);
  const model = exported.buildModel();
  setTfWeights(model, session.network.getWeights());
  const { x, y } = tensors(trainEx.ex, inputs);
  const xTest = tensors(testEx.ex, inputs).x;
  const optimizer = tf.train.sgd(config.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batches: { xb: tf.Tensor; yb: tf.Tensor }[] = [];
  for (let s = 0; s < trainEx.ex.length; s += config.batchSize) {
    batches.push({ xb: x.slice([s, 0], [config.batchSize, inputs]), yb: y.slice([s, 0], [config.batchSize, 1]) });
  }
  if (loop === 'fit') exported.compileModel(model);
  try {
    for (let e = 1; e <= epochs; e++) {
      if (loop === 'manual') {
        for (const { xb, yb } of batches) {
          optimizer.minimize(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(model.apply(xb) as tf.Tensor, yb)))) as tf.Scalar, false, vars);
        }
      } else {
        await model.fit(x, y, { batchSize: config.batchSize, epochs: 1, shuffle: false, verbose: 0 });
      }
      const ours = session.step();
      close(ours.trainLoss, tfLoss(model, x, trainEx.ex.labels, trainEx.ex.length), `epoch ${e} train loss`);
      close(ours.testLoss, tfLoss(model, xTest, testEx.ex.labels, testEx.ex.length), `epoch ${e} test loss`);
    }
    const theirs = await Promise.all(model.getWeights().map((t) => t.data()));
    const ours = session.network.getWeights();
    ours.weights.forEach((layer, l) => {
      const kernel = theirs[2 * l];
      layer.forEach((row, j) => row.forEach((w, i) => assert.ok(Math.abs(w - kernel[i * layer.length + j]) < 1e-4, `weight ${l}:${i}→${j}`)));
    });
  } finally {
    tf.dispose([x, y, xTest, ...batches.flatMap((b) => [b.xb, b.yb])]);
    optimizer.dispose();
    model.dispose();
  }
}

function tensorsOf(session: PlaygroundSession, part: 'train' | 'test'): { ex: Examples } {
  // The session's examples are exactly what it trains on; rebuild them from the public data and features.
  const points = session.dataset[part];
  const f = session.features;
  const exported = loadExported(session.config);
  const inputs = new Float64Array(points.length * f.length);
  for (let i = 0; i < points.length; i++) inputs.set(exported.featuresOf(points.x1[i], points.x2[i]), i * f.length);
  return { ex: { inputs, labels: points.label, length: points.length } };
}

describe('playground trainer vs TensorFlow.js (cpu, plain SGD)', function () {
  this.timeout(60000);

  before(async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
  });

  it('TF Playground default setup (circle, x1 x2, [4, 2], tanh, batch 10), manual optimizer loop, 30 epochs', async () => {
    await compare({}, 30, 'manual');
  });

  it('regression with ReLU (six Gaussians, all features, [5, 3], batch 30), manual loop, 15 epochs', async () => {
    await compare(
      {
        dataset: 'reg-gauss',
        features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
        hidden: [5, 3],
        activation: 'relu',
        batchSize: 30,
        learningRate: 0.01,
      },
      15,
      'manual',
    );
  });

  it('sigmoid hidden layer with L2, exported model trained by model.fit, 20 epochs', async () => {
    await compare(
      {
        dataset: 'xor',
        noise: 10,
        features: ['x1', 'x2', 'x1TimesX2'],
        hidden: [3],
        activation: 'sigmoid',
        regularization: 'L2',
        regularizationRate: 0.03,
        learningRate: 0.1,
        batchSize: 25,
      },
      20,
      'fit',
    );
  });

  it('L1 before any weight reaches zero equals the stock L1 penalty, model.fit, 3 epochs', async () => {
    const config: Partial<PlaygroundConfig> = { features: ['x1Squared', 'x2Squared'], hidden: [2], regularization: 'L1', regularizationRate: 0.001, seed: '5' };
    const probe = new PlaygroundSession(config);
    probe.step(3);
    assert.ok(
      probe
        .snapshot()
        .dead.flat(2)
        .every((d) => !d),
      'no link may die in this comparison',
    );
    await compare(config, 3, 'fit');
  });
});
