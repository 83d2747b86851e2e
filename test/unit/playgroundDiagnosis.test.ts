// Diagnosis of the playground labs' runs: the lab fixes the head and the loss, so they are never the
// cause; a training loss that ends above where it started is a rate too high; a curve recorded every
// few epochs names epochs by their number; a lab.json part must name an exported network.
import * as assert from 'assert';
import { grade, type GradeInput } from '../../src/core/grade/grader';
import { parseManifest } from '../../src/core/lab/catalog';
import { LabManifest } from '../../src/core/lab/manifest';

const CHECK = {
  id: 'fits',
  kind: 'metric',
  title: 'Fits',
  metric: 'test_loss',
  max: 0.1,
  hint: 'the check hint',
  causes: ['output-head', 'loss-mismatch', 'overfitting', 'rate-too-high', 'stuck'],
};

function manifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    formatVersion: 1,
    id: 'fixture',
    title: 'Fixture',
    summary: 'A fixture lab',
    module: { number: 1, title: 'Test' },
    order: 0,
    files: ['network.ts'],
    harness: 'playground',
    exports: ['network'],
    data: { dataset: 'playground', playground: { kind: 'circle', noise: 0 }, split: { train: 0.5, validation: 0, test: 0.5 }, shuffleSeed: 1 },
    checks: [CHECK],
    solutions: { reference: 'solutions/reference.ts' },
    ...extra,
  };
}

const MODEL = {
  layers: [
    { className: 'Dense', units: 4, activation: 'tanh' },
    { className: 'Dense', units: 1, activation: 'tanh' },
  ],
  outputUnits: 1,
  outputActivation: 'tanh',
  loss: 'halfSquaredError',
  compiledByLab: true,
  headByLab: true,
  optimizer: 'sgd',
  learningRate: 0.03,
  params: 17,
  hiddenActivations: 1,
  normalizesInside: false,
};

/** Epochs recorded every 10th, as the playground records a 1000-epoch run. */
function strided(values: [number, number][]): GradeInput['run']['epochs'] {
  return values.map(([loss, val], i) => ({ epoch: (i + 1) * 10, metrics: { loss, val_loss: val } }));
}

function run(epochs: GradeInput['run']['epochs'], initialLoss: number, learningRate = 0.03): GradeInput {
  return {
    manifest: LabManifest.parse(manifest()),
    run: {
      id: 'r',
      status: 'completed',
      outputs: { test_loss: 0.4 },
      epochs,
      hyperparameters: { learningRate, activation: 'tanh' },
      evidence: { task: 'binary', model: { ...MODEL, learningRate }, baselineLoss: 0.5, initialLoss },
    },
    sources: { 'network.ts': `export const network = {\n  learningRate: ${learningRate},\n};\n` },
  };
}

describe('playground diagnosis', () => {
  it('never blames the tanh head or the squared loss the lab itself chose', () => {
    const flat: [number, number][] = Array.from({ length: 20 }, () => [0.3, 0.4]);
    const r = grade(run(strided(flat), 0.5)).results.find((x) => x.id === 'fits')!;
    assert.strictEqual(r.status, 'fail');
    assert.ok(r.cause !== 'output-head' && r.cause !== 'loss-mismatch', r.cause);
  });

  it('a training loss that ends well above where it started is a learning rate too high', () => {
    const worse: [number, number][] = Array.from({ length: 20 }, () => [0.79, 0.78]);
    const r = grade(run(strided(worse), 0.52, 3)).results.find((x) => x.id === 'fits')!;
    assert.strictEqual(r.cause, 'rate-too-high');
    assert.match(r.hint!, /ended at 0\.79, .* what it was before the first step \(0\.52\)/);
    assert.strictEqual(r.location?.line, 2);
  });

  it('names the epoch of the lowest test loss by its number, not by its place in the recorded curve', () => {
    const values: [number, number][] = Array.from({ length: 50 }, (_, i) => [0.3 / (i + 1), i < 5 ? 0.3 - 0.02 * i : 0.22 + 0.004 * (i - 4)]);
    const r = grade(run(strided(values), 0.6)).results.find((x) => x.id === 'fits')!;
    assert.strictEqual(r.cause, 'overfitting');
    assert.match(r.hint!, /lowest at epoch 50 of 500/);
  });

  it('a part must be an exported network of a playground lab, with an id of its own', () => {
    const part = { id: 'circle', export: 'circle', data: { kind: 'circle', noise: 45 } };
    assert.strictEqual(parseManifest('lab.json', JSON.stringify(manifest({ exports: ['network', 'circle'], parts: [part] }))).ok, true);
    const missing = parseManifest('lab.json', JSON.stringify(manifest({ parts: [part] })));
    assert.ok(!missing.ok && missing.problem.messages.some((m) => m.includes('"circle" must be listed in "exports" too')));
    const twice = parseManifest('lab.json', JSON.stringify(manifest({ exports: ['network', 'circle'], parts: [part, part] })));
    assert.ok(!twice.ok && twice.problem.messages.some((m) => m.includes('duplicate part id "circle"')));
  });
});
