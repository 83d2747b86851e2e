// Playground training speed: epochs per second (one training pass + train loss + test loss, as TF
// Playground counts an epoch) for this project's trainer, TensorFlow.js on the cpu backend (manual
// optimizer loop and model.fit), and, when TFPLAYGROUND_NN names a compiled JavaScript build of TF
// Playground's nn module, TF Playground's own loop on the same data and initial weights. Then the
// heat-map time for a 100×100 grid. All measured in one run, interleaved, median of rounds.
//
//   npx tsc -p test/tsconfig.json && node out/bench/playground-speed.js
//   TFPLAYGROUND_NN=/path/to/nn.js BENCH_SECONDS=1 BENCH_ROUNDS=3 node out/bench/playground-speed.js
import * as tf from '@tensorflow/tfjs';
import {
  FEATURES,
  HeatMapGrid,
  PlaygroundSession,
  presetConfig,
  resolveConfig,
  toExamples,
  runEpoch,
  type Activation,
  type Examples,
  type NetworkWeights,
  type PlaygroundConfig,
} from '../src/core/playground';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TFP_PATH = process.env.TFPLAYGROUND_NN;

/** Recorded on these machines in an earlier run (PERFORMANCE.md); printed when not measured here. */
const RECORDED_TFP: Record<string, number> = { default: 3500, 'L1 lab': 1770, 'spiral 6×8': 400 };

interface Setup {
  name: string;
  config: PlaygroundConfig;
}

const SETUPS: Setup[] = [
  { name: 'default', config: resolveConfig() },
  { name: 'L1 lab', config: presetConfig('l1-sparsity') },
  { name: 'spiral 6×8', config: resolveConfig({ dataset: 'spiral', hidden: [8, 8, 8, 8, 8, 8] }) },
];

/** One implementation trained from a setup's start: `epoch()` trains one pass and computes both losses. */
interface Runner {
  epoch: () => Promise<void> | void;
  heatmap?: () => Promise<void> | void;
  /** What the panel draws each frame, when it differs from `heatmap`. */
  frame?: () => void;
  dispose?: () => void;
}

interface Candidate {
  label: string;
  make(setup: Setup): Runner;
}

// ---- this project's trainer -------------------------------------------------------------------

function oursRunner(setup: Setup): Runner {
  const s = new PlaygroundSession(setup.config);
  const net = s.network;
  const options = s.trainOptions;
  const train = toExamples(s.dataset.train, s.features);
  const test = toExamples(s.dataset.test, s.features);
  const grid = new HeatMapGrid(s.features, 100);
  const thumbs = new HeatMapGrid(s.features, 10);
  const neurons = new Float64Array(net.neuronCount * grid.cells);
  const small = new Float64Array(net.neuronCount * thumbs.cells);
  return {
    epoch: () => void runEpoch(net, train, test, options),
    // Every neuron's output over the grid: the same work as TF Playground's decision-boundary update.
    heatmap: () => void grid.predictNeurons(net, neurons),
    // The output at 100×100 and the neuron thumbnails at their own 10×10 size.
    frame: () => {
      grid.predict(net);
      thumbs.predictNeurons(net, small);
    },
  };
}

// ---- TensorFlow.js ------------------------------------------------------------------------------

function buildTfModel(config: PlaygroundConfig, inputs: number, weights: NetworkWeights, output: Activation): tf.Sequential {
  const reg =
    config.regularization === 'L1'
      ? () => tf.regularizers.l1({ l1: config.regularizationRate })
      : config.regularization === 'L2'
        ? () => tf.regularizers.l2({ l2: config.regularizationRate / 2 })
        : () => undefined;
  const model = tf.sequential();
  const units = [...config.hidden, 1];
  units.forEach((u, i) => {
    const activation = i === units.length - 1 ? output : config.activation;
    model.add(tf.layers.dense({ ...(i === 0 ? { inputShape: [inputs] } : {}), units: u, activation, kernelRegularizer: reg() }));
  });
  const tensors = weights.weights.flatMap((layer, l) => [
    tf.tensor2d(
      layer[0].map((_v, i) => layer.map((row) => row[i])),
      [layer[0].length, layer.length],
    ),
    tf.tensor1d(weights.biases[l]),
  ]);
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

function tfRunner(setup: Setup, mode: 'manual' | 'fit'): Runner {
  const s = new PlaygroundSession(setup.config);
  const c = setup.config;
  const f = s.features.length;
  const model = buildTfModel(c, f, s.network.getWeights(), s.dataset.problem === 'regression' ? 'linear' : 'tanh');
  const t = (ex: Examples) => ({
    x: tf.tensor2d(Float32Array.from(ex.inputs), [ex.length, f]),
    y: tf.tensor2d(Float32Array.from(ex.labels), [ex.length, 1]),
  });
  const train = t(toExamples(s.dataset.train, s.features));
  const test = t(toExamples(s.dataset.test, s.features));
  const grid = new HeatMapGrid(s.features, 100);
  const gridRows = new Float64Array(grid.cells * f);
  for (let r = 0; r < 100; r++) {
    for (let col = 0; col < 100; col++) s.features.forEach((id, k) => (gridRows[(r * 100 + col) * f + k] = FEATURES[id].compute(grid.x1At(col), grid.x2At(r))));
  }
  const gridX = tf.tensor2d(Float32Array.from(gridRows), [grid.cells, f]);
  const n = s.dataset.train.length;
  const batches: { x: tf.Tensor; y: tf.Tensor }[] = [];
  for (let i = 0; i < n; i += c.batchSize) {
    const size = Math.min(c.batchSize, n - i);
    batches.push({ x: train.x.slice([i, 0], [size, f]), y: train.y.slice([i, 0], [size, 1]) });
  }
  const loss = (labels: tf.Tensor, outputs: tf.Tensor) => tf.mul(0.5, tf.mean(tf.square(tf.sub(outputs, labels))));
  const optimizer = tf.train.sgd(c.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (mode === 'fit') model.compile({ optimizer, loss });
  const losses = () => {
    for (const d of [train, test]) {
      const v = tf.tidy(() => loss(d.y, model.predict(d.x) as tf.Tensor));
      v.dataSync();
      v.dispose();
    }
  };
  return {
    epoch: async () => {
      if (mode === 'manual') {
        for (const b of batches) {
          optimizer.minimize(
            () => {
              const base = loss(b.y, model.apply(b.x, { training: true }) as tf.Tensor) as tf.Scalar;
              const penalties = model.calculateLosses();
              return penalties.length ? (tf.addN([base, ...penalties]) as tf.Scalar) : base;
            },
            false,
            vars,
          );
        }
      } else {
        await model.fit(train.x, train.y, { batchSize: c.batchSize, epochs: 1, shuffle: false, verbose: 0 });
      }
      losses();
    },
    heatmap: () => {
      const out = tf.tidy(() => model.predict(gridX) as tf.Tensor);
      out.dataSync();
      out.dispose();
    },
    dispose: () => {
      tf.dispose([train.x, train.y, test.x, test.y, gridX, ...batches.flatMap((b) => [b.x, b.y])]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

// ---- TF Playground's own loop (only when a build of its nn module is given) ---------------------

/** The parts of TF Playground's nn module the loop uses, typed loosely: it is plain JavaScript. */
interface TfpNode {
  bias: number;
  output: number;
  inputLinks: { weight: number }[];
}
interface TfpModule {
  buildNetwork(shape: number[], activation: unknown, output: unknown, regularization: unknown, inputIds: string[], initZero?: boolean): TfpNode[][];
  forwardProp(network: TfpNode[][], inputs: number[]): number;
  backProp(network: TfpNode[][], target: number, errorFunc: unknown): void;
  updateWeights(network: TfpNode[][], learningRate: number, regularizationRate: number): void;
  forEachNode(network: TfpNode[][], ignoreInputs: boolean, accessor: (node: TfpNode) => void): void;
  Activations: Record<'TANH' | 'RELU' | 'SIGMOID' | 'LINEAR', unknown>;
  RegularizationFunction: Record<'L1' | 'L2', unknown>;
  Errors: { SQUARE: { error(output: number, target: number): number } };
}

function loadTfp(): TfpModule | undefined {
  if (!TFP_PATH) return undefined;
  return require(TFP_PATH) as TfpModule;
}

function tfpRunner(nn: TfpModule, setup: Setup): Runner & { losses(): [number, number] } {
  const s = new PlaygroundSession(setup.config);
  const c = setup.config;
  const act = { tanh: nn.Activations.TANH, relu: nn.Activations.RELU, sigmoid: nn.Activations.SIGMOID, linear: nn.Activations.LINEAR };
  const reg = c.regularization === 'none' ? null : nn.RegularizationFunction[c.regularization];
  const output = s.dataset.problem === 'regression' ? nn.Activations.LINEAR : nn.Activations.TANH;
  const network = nn.buildNetwork([s.features.length, ...c.hidden, 1], act[c.activation], output, reg, [...s.features]);
  const w = s.network.getWeights();
  for (let l = 1; l < network.length; l++) {
    network[l].forEach((node, j) => {
      node.bias = w.biases[l - 1][j];
      node.inputLinks.forEach((link, i) => (link.weight = w.weights[l - 1][j][i]));
    });
  }
  const points = (p: typeof s.dataset.train) => Array.from({ length: p.length }, (_, i) => ({ x: p.x1[i], y: p.x2[i], label: p.label[i] }));
  const train = points(s.dataset.train);
  const test = points(s.dataset.test);
  const fns = s.features.map((id) => FEATURES[id].compute);
  // As its constructInput: a new array per point per pass.
  const input = (x: number, y: number) => {
    const r: number[] = [];
    for (const fn of fns) r.push(fn(x, y));
    return r;
  };
  const lossOf = (data: typeof train) => {
    let sum = 0;
    for (const p of data) sum += nn.Errors.SQUARE.error(nn.forwardProp(network, input(p.x, p.y)), p.label);
    return sum / data.length;
  };
  let last: [number, number] = [NaN, NaN];
  const boundary: Record<string, number[][]> = {};
  return {
    epoch: () => {
      train.forEach((p, i) => {
        nn.forwardProp(network, input(p.x, p.y));
        nn.backProp(network, p.label, nn.Errors.SQUARE);
        if ((i + 1) % c.batchSize === 0) nn.updateWeights(network, c.learningRate, c.regularizationRate);
      });
      last = [lossOf(train), lossOf(test)];
    },
    // As its decision-boundary update: every node's output at every cell of a 100×100 grid.
    heatmap: () => {
      for (let i = 0; i < 100; i++) {
        for (let j = 0; j < 100; j++) {
          const x = -6 + (12 * i) / 99;
          const y = 6 - (12 * j) / 99;
          nn.forwardProp(network, input(x, y));
          let k = 0;
          nn.forEachNode(network, true, (node) => {
            ((boundary[k] ??= [])[i] ??= [])[j] = node.output;
            k++;
          });
        }
      }
    },
    losses: () => last,
  };
}

/** Same start, same data: the two loops' losses after each of `epochs` epochs; largest difference. */
function tfpAgreement(nn: TfpModule, setup: Setup, epochs: number): number {
  const theirs = tfpRunner(nn, setup);
  const s = new PlaygroundSession(setup.config);
  let worst = 0;
  for (let e = 0; e < epochs; e++) {
    void theirs.epoch();
    const ours = s.step();
    const [a, b] = theirs.losses();
    worst = Math.max(worst, Math.abs(a - ours.trainLoss), Math.abs(b - ours.testLoss));
  }
  return worst;
}

// ---- measurement ------------------------------------------------------------------------------

async function epochsPerSecond(runner: Runner, seconds: number): Promise<number> {
  const warm = performance.now();
  // Warm up (JIT, tfjs kernels) for a fifth of the window and at least 5 epochs before timing.
  for (let i = 0; i < 5 || performance.now() - warm < seconds * 200; i++) await runner.epoch();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    await runner.epoch();
    n++;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

async function medianMs(task: (() => Promise<void> | void) | undefined, minRepeats: number): Promise<number> {
  if (!task) return NaN;
  await task();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRepeats || performance.now() - start < 300) {
    const t0 = performance.now();
    await task();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : '—');

async function main(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const nn = loadTfp();
  const candidates: Candidate[] = [
    { label: 'ours', make: oursRunner },
    ...(nn ? [{ label: 'TF Playground loop', make: (s: Setup) => tfpRunner(nn, s) }] : []),
    { label: 'tfjs cpu manual', make: (s: Setup) => tfRunner(s, 'manual') },
    { label: 'tfjs cpu fit', make: (s: Setup) => tfRunner(s, 'fit') },
  ];
  console.log(
    `Playground speed — Node ${process.version}, tfjs ${tf.version.tfjs} (${tf.getBackend()}), ${SECONDS} s per measurement, median of ${ROUNDS} rounds`,
  );
  console.log('An epoch = one training pass over the train split + train loss + test loss.\n');

  // tfjs pays one-time costs (kernel setup, first compilations) on its first model: spend them here.
  const warm = tfRunner(SETUPS[0], 'fit');
  await epochsPerSecond(warm, 1);
  warm.dispose?.();

  const eps: Record<string, Record<string, number>> = {};
  const heat: Record<string, Record<string, number>> = {};
  for (const setup of SETUPS) {
    const samples: Record<string, number[]> = {};
    for (let r = 0; r < ROUNDS; r++) {
      // Interleaved, so drift in machine load hits every candidate alike.
      for (const c of candidates) {
        const runner = c.make(setup);
        try {
          (samples[c.label] ??= []).push(await epochsPerSecond(runner, SECONDS));
        } finally {
          runner.dispose?.();
        }
      }
    }
    eps[setup.name] = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    heat[setup.name] = {};
    for (const c of candidates) {
      if (c.label === 'tfjs cpu fit') continue;
      const runner = c.make(setup);
      try {
        heat[setup.name][c.label] = await medianMs(runner.heatmap, 10);
        if (runner.frame) heat[setup.name][`${c.label} frame`] = await medianMs(runner.frame, 10);
      } finally {
        runner.dispose?.();
      }
    }
  }

  const tfpCol = nn ? 'TF Playground loop' : `TF Playground loop (recorded, not measured)`;
  console.log(`| setup | ours | ${tfpCol} | tfjs cpu manual | tfjs cpu fit | ours ÷ TF Playground | ours ÷ manual | ours ÷ fit |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const setup of SETUPS) {
    const e = eps[setup.name];
    const tfp = nn ? e['TF Playground loop'] : RECORDED_TFP[setup.name];
    console.log(
      `| ${setup.name} (epochs/s) | ${fmt(e.ours)} | ${nn ? fmt(tfp) : `~${fmt(tfp)}`} | ${fmt(e['tfjs cpu manual'])} | ${fmt(e['tfjs cpu fit'])} | ${nn ? '' : '~'}${ratio(e.ours, tfp)} | ${ratio(e.ours, e['tfjs cpu manual'])} | ${ratio(e.ours, e['tfjs cpu fit'])} |`,
    );
  }
  console.log("\nHeat map, 100×100 grid (ms, median). Same work: every neuron's output at every cell (TF Playground's");
  console.log('decision-boundary update); tfjs: one batched predict of the output. Panel frame: output at 100×100 + neuron maps at 10×10.');
  console.log(`| setup | ours, same work | ${nn ? 'TF Playground loop' : 'TF Playground loop (not measured)'} | tfjs cpu predict | ours, panel frame |`);
  console.log('|---|---|---|---|---|');
  for (const setup of SETUPS) {
    const h = heat[setup.name];
    console.log(
      `| ${setup.name} | ${fmt(h.ours, 2)} | ${fmt(h['TF Playground loop'] ?? NaN, 2)} | ${fmt(h['tfjs cpu manual'], 2)} | ${fmt(h['ours frame'], 2)} |`,
    );
  }
  console.log("\nAt 30 frames/s (33.3 ms a frame), redrawing the panel's heat maps every frame, ours can still train per frame:");
  for (const setup of SETUPS) {
    const frame = heat[setup.name]['ours frame'];
    const left = 1000 / 30 - frame;
    console.log(`  ${setup.name}: ~${fmt(Math.max(0, (left / 1000) * eps[setup.name].ours))} epochs (${fmt(frame, 2)} ms of heat maps)`);
  }
  if (nn) {
    console.log("\nSame data and initial weights, 200 epochs: largest difference between our losses and TF Playground's:");
    for (const setup of SETUPS) console.log(`  ${setup.name}: ${tfpAgreement(nn, setup, 200)}`);
  } else {
    console.log("\nTF Playground's loop was not measured: set TFPLAYGROUND_NN to a compiled JavaScript build of its src/nn.ts.");
    console.log('The recorded figures come from PERFORMANCE.md (another run on these machines): compare with care.');
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
