// The playground harness's pure parts: reading the learner's network, the lab's data set, and the
// measurements (recorded epochs, input liveness, end-of-run swing).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseManifest } from '../../../src/core/lab/catalog';
import { LabManifest, PLAYGROUND_KINDS } from '../../../src/core/lab/manifest';
import { DATASETS, generateDataset } from '../../../src/core/playground/datasets';
import { FEATURE_IDS } from '../../../src/core/playground/features';
import { ACTIVATIONS, Network, REGULARIZATIONS } from '../../../src/core/playground/network';
import { createRng } from '../../../src/core/playground/random';
import { loadPlayground } from '../../../src/child/datasets/playground';
import { networkHyperparameters, resolveNetwork } from '../../../src/child/evaluator/measure/playgroundNetwork';
import {
  epochStride,
  inputLiveness,
  isRecordedEpoch,
  signAccuracy,
  spread,
  tailSwing,
  zeroWeights,
} from '../../../src/child/evaluator/measure/playgroundOutputs';
import { ContractError } from '../../../src/child/common/errors';
import { REPO_ROOT } from '../../helpers';

function manifestOf(id: string): LabManifest {
  const file = path.join(REPO_ROOT, 'lab-templates', id, 'lab.json');
  const r = parseManifest(file, fs.readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(r.problem.messages.join('\n'));
  return r.manifest;
}

const GOOD = {
  features: ['x2', 'x1', 'x1Squared'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.01,
  epochs: 500,
};

const SOURCE = `import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.01,
  epochs: 500,
};
`;

function contractError(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ContractError, String(err));
    return err;
  }
  assert.fail('expected a ContractError');
}

describe("playground harness: the learner's network", () => {
  const manifest = manifestOf('l1-sparsity');
  const resolve = (network: unknown, overrides = {}) => resolveNetwork(manifest, 'network', network, overrides, 'network.ts', SOURCE);

  it('accepts a valid network and keeps the features in canonical order', () => {
    const { settings, warnings } = resolve(GOOD);
    assert.deepStrictEqual(settings.features, ['x1', 'x2', 'x1Squared']);
    assert.deepStrictEqual(settings.hidden, [6, 6]);
    assert.deepStrictEqual(warnings, []);
    assert.deepStrictEqual(networkHyperparameters(settings), {
      features: 'x1,x2,x1Squared',
      hidden: '6,6',
      activation: 'tanh',
      learningRate: 0.03,
      batchSize: 10,
      regularization: 'L1',
      regularizationRate: 0.01,
      epochs: 500,
    });
    assert.strictEqual(networkHyperparameters({ ...settings, hidden: [] }).hidden, 'none');
  });

  it('names the field, the value and what is allowed, and points at the field', () => {
    const e = contractError(() => resolve({ ...GOOD, activation: 'ReLU' }));
    assert.match(e.message, /network\.activation is 'ReLU'; choose one of 'tanh', 'relu', 'sigmoid', 'linear' \(did you mean 'relu'\?\)/);
    assert.deepStrictEqual([e.location?.file, e.location?.line], ['network.ts', 6]);

    assert.match(contractError(() => resolve({ ...GOOD, regularization: 'l1' })).message, /choose one of 'none', 'L1', 'L2' \(did you mean 'L1'\?\)/);
    const f = contractError(() => resolve({ ...GOOD, features: ['x1', 'x1sq'] }));
    assert.match(f.message, /network\.features has 'x1sq', which is not a feature; choose from 'x1', 'x2', 'x1Squared'/);
    assert.strictEqual(f.location?.line, 4);
    assert.match(contractError(() => resolve({ ...GOOD, features: [] })).message, /at least one input/);
    assert.match(
      contractError(() => resolve({ ...GOOD, hidden: [6, 9] })).message,
      /network\.hidden\[1\] is 9; a layer has a whole number of neurons from 1 to 8/,
    );
    assert.match(contractError(() => resolve({ ...GOOD, hidden: [1, 1, 1, 1, 1, 1, 1] })).message, /7 layers; TF Playground allows at most 6/);
    assert.match(contractError(() => resolve({ ...GOOD, hidden: 6 })).message, /network\.hidden must be an array/);
    const lr = contractError(() => resolve({ ...GOOD, learningRate: 30 }));
    assert.match(lr.message, /network\.learningRate is 30, outside the range this lab allows \(0\.00001 to 10\)/);
    assert.strictEqual(lr.location?.line, 7);
    assert.match(contractError(() => resolve({ ...GOOD, batchSize: 2.5 })).message, /network\.batchSize must be a whole number, not 2\.5/);
    assert.match(contractError(() => resolve({ ...GOOD, batchSize: 64 })).message, /network\.batchSize is 64, outside the range this lab allows \(1 to 30\)/);
    // The lab's own range is tighter than TF Playground's.
    assert.match(contractError(() => resolve({ ...GOOD, epochs: 5000 })).message, /network\.epochs is 5000, outside the range this lab allows \(1 to 3000\)/);
    assert.match(contractError(() => resolve({ ...GOOD, epochs: '500' })).message, /network\.epochs must be a number .*not '500'/);
  });

  it('refuses unknown settings (a typo) and missing ones, listing the settings', () => {
    const typo = contractError(() => resolve({ ...GOOD, learning_rate: 0.1 }));
    assert.match(typo.message, /network\.learning_rate is not a setting of the network; the settings are features, hidden, activation, learningRate/);
    const { epochs: _epochs, ...noEpochs } = GOOD;
    const missing = contractError(() => resolve(noEpochs));
    assert.match(missing.message, /network\.epochs is missing: passes over the training points/);
    assert.strictEqual(missing.location?.line, 3);
    assert.match(contractError(() => resolve(undefined)).message, /network\.ts must export "network" as an object, e\.g\. \{ features: \['x1', 'x2'\]/);
    assert.match(contractError(() => resolve([1, 2])).message, /must export "network" as an object/);
  });

  it("applies the tuner's overrides, arrays included", () => {
    const { settings } = resolve(GOOD, { learningRate: 0.1, hidden: '8,4', features: 'x1Squared,x2Squared' });
    assert.strictEqual(settings.learningRate, 0.1);
    assert.deepStrictEqual(settings.hidden, [8, 4]);
    assert.deepStrictEqual(settings.features, ['x1Squared', 'x2Squared']);
    assert.deepStrictEqual(resolve(GOOD, { hidden: 'none' }).settings.hidden, []);
  });

  it('warns when a penalty is named without a rate, or a rate without a penalty', () => {
    assert.match(resolve({ ...GOOD, regularization: 'none' }).warnings[0], /regularizationRate is 0\.01 but regularization is 'none'/);
    assert.match(resolve({ ...GOOD, regularizationRate: 0 }).warnings[0], /regularization is 'L1' but regularizationRate is 0/);
  });
});

describe('playground harness: data and lab contract', () => {
  it('knows the same generators as the playground core', () => {
    assert.deepStrictEqual([...PLAYGROUND_KINDS], [...DATASETS]);
  });

  it("the learner's type file lists exactly the core's features, activations and penalties", () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', '_data', 'playground', 'playground.ts'), 'utf8');
    const union = (name: string) => [...new RegExp(`export type ${name} = ([^;]+);`).exec(text)![1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
    assert.deepStrictEqual(union('Feature'), [...FEATURE_IDS]);
    assert.deepStrictEqual(union('Activation'), [...ACTIVATIONS]);
    assert.deepStrictEqual(union('Regularization'), [...REGULARIZATIONS]);
  });

  it("generates the lab's points from its seed with TF Playground's split", () => {
    const manifest = manifestOf('regularization');
    const split = loadPlayground(manifest.data);
    const direct = generateDataset({ kind: 'gauss', noise: 50, trainShare: 20, seed: String(manifest.data.shuffleSeed) });
    assert.strictEqual(split.train.length, 100);
    assert.strictEqual(split.test.length, 400);
    assert.strictEqual(split.validation.length, 0);
    assert.deepStrictEqual(split.train[7], { x1: direct.train.x1[7], x2: direct.train.x2[7], label: direct.train.label[7] });
    assert.deepStrictEqual(loadPlayground(manifest.data), split);
  });

  it('a playground lab must say which generator, and keep a train and a test part only', () => {
    const base = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', 'l1-sparsity', 'lab.json'), 'utf8')) as { data: Record<string, unknown> };
    const problems = (data: Record<string, unknown>) => {
      const r = parseManifest('lab.json', JSON.stringify({ ...base, data: { ...base.data, ...data } }));
      return r.ok ? [] : r.problem.messages;
    };
    assert.deepStrictEqual(problems({}), []);
    assert.ok(
      problems({ playground: undefined }).some((m) => /data\.playground: .*needs \{ kind, noise \}/.test(m)),
      String(problems({ playground: undefined })),
    );
    assert.ok(problems({ split: { train: 0.5, validation: 0.1, test: 0.4 } }).some((m) => /split\.validation: .*set validation to 0/.test(m)));
    assert.ok(problems({ split: { train: 0.05, validation: 0, test: 0.95 } }).some((m) => /split\.train: .*10–90 %/.test(m)));
    assert.ok(problems({ rows: 301 }).some((m) => /even number/.test(m)));
    assert.ok(problems({ playground: { kind: 'moons', noise: 0 } }).length > 0);
    assert.ok(
      problems({ dataset: 'california-housing', split: { train: 0.5, validation: 0, test: 0.5 } }).some((m) => /only the "playground" data set/.test(m)),
    );
  });
});

describe('playground harness: measurements', () => {
  it('records about 100 evenly spaced epochs, always the first and the last', () => {
    assert.strictEqual(epochStride(50), 1);
    assert.strictEqual(epochStride(100), 1);
    assert.strictEqual(epochStride(1000), 10);
    assert.strictEqual(epochStride(1001), 11);
    const recorded = (epochs: number) => Array.from({ length: epochs }, (_, i) => i + 1).filter((e) => isRecordedEpoch(e, epochs, epochStride(epochs)));
    assert.deepStrictEqual(recorded(3), [1, 2, 3]);
    const r = recorded(1001);
    assert.strictEqual(r[0], 1);
    assert.strictEqual(r[r.length - 1], 1001);
    assert.ok(r.length <= 102, `${r.length}`);
  });

  it('tells zeroed inputs from inputs that no longer reach the output', () => {
    // 3 inputs → 2 hidden → 1 output. Input 0 feeds hidden 0 (alive); input 1 feeds only hidden 1,
    // whose link to the output is 0; input 2 has no non-zero link at all.
    const w = {
      weights: [
        [
          [0.5, 0, 0],
          [0, 0.7, 0],
        ],
        [[1.2, 0]],
      ],
      biases: [[0.1, 0.1], [0.1]],
    };
    const live = inputLiveness(w, 3);
    assert.deepStrictEqual(live.zeroed, [false, false, true]);
    assert.deepStrictEqual(live.alive, [true, false, false]);
    assert.strictEqual(zeroWeights(w), 5);
    // Without hidden layers the inputs link straight to the output.
    assert.deepStrictEqual(inputLiveness({ weights: [[[0, -0.3]]], biases: [[0]] }, 2), { zeroed: [true, false], alive: [false, true] });
  });

  it('agrees with the trainer: L1 zeroes the links it kills', () => {
    const net = new Network({ inputs: 2, hidden: [3], activation: 'tanh', outputActivation: 'tanh' }, createRng('1'));
    // An L1 step of 1 (rate × learning rate) is larger than any initial weight: every link crosses zero and dies.
    net.forward([0.01, 0.01]);
    net.accumulate(0.1);
    net.update({ learningRate: 0.1, batchSize: 1, regularization: 'L1', regularizationRate: 10 });
    const live = inputLiveness(net.getWeights(), 2);
    assert.deepStrictEqual(live.zeroed, [true, true]);
    assert.strictEqual(zeroWeights(net.getWeights()), net.linkCount);
  });

  it('measures how much the loss still moves at the end, and how varied the outputs are', () => {
    const settled = Array.from({ length: 200 }, (_, i) => 0.5 / (i + 1));
    assert.ok(tailSwing(settled) < 0.001);
    const jumpy = Array.from({ length: 200 }, (_, i) => (i % 2 ? 0.3 : 0.6));
    assert.ok(Math.abs(tailSwing(jumpy) - 0.3) < 1e-12);
    assert.ok(Math.abs(tailSwing([0.4, 0.2]) - 0.2) < 1e-12);
    assert.ok(Number.isNaN(tailSwing([])));
    assert.ok(spread([0.7, 0.7, 0.7]) < 1e-12);
    assert.strictEqual(spread([-1, 1]), 1);
    assert.strictEqual(signAccuracy([0.2, -0.1, 0, -0.5], [1, -1, -1, 1]), 0.5);
  });
});
