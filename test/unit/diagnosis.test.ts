// The diagnosis of failed checks from evidence: the model contract, a batch-normalization layer that
// predicts differently from how it trains, an erratic curve, a model its rate threw off, a score no
// honest model reaches, and shares shown as percentages.
import * as assert from 'assert';
import { contractProblems, headFits, lossFits } from '../../src/core/grade/contract';
import { curveFacts } from '../../src/core/grade/curves';
import type { Evidence, ModelEvidence } from '../../src/core/grade/evidence';
import { formatMetric } from '../../src/core/format';
import { grade, type GradeInput } from '../../src/core/grade/grader';
import { LabManifest } from '../../src/core/lab/manifest';

function manifest(checks: unknown[], extra: Record<string, unknown> = {}): LabManifest {
  return LabManifest.parse({
    formatVersion: 1,
    id: 'fixture',
    title: 'Fixture',
    summary: 'A fixture lab',
    module: { number: 1, title: 'Test' },
    order: 0,
    files: ['model.ts'],
    harness: 'classification',
    classification: { label: 'y', classes: ['no', 'yes'], threshold: 'median' },
    exports: ['buildModel'],
    data: { dataset: 'synthetic-linear', split: { train: 0.6, validation: 0.2, test: 0.2 }, shuffleSeed: 1 },
    checks,
    solutions: { reference: 'solutions/reference.ts' },
    ...extra,
  });
}

const model = (over: Partial<ModelEvidence> = {}): ModelEvidence => ({
  layers: [{ className: 'Dense', units: 1, activation: 'sigmoid' }],
  outputUnits: 1,
  outputActivation: 'sigmoid',
  loss: 'binaryCrossentropy',
  compiledByLab: true,
  optimizer: 'Adam',
  learningRate: 0.05,
  params: 7,
  hiddenActivations: 0,
  normalizesInside: false,
  ...over,
});

const curves = (loss: number[], val: number[]) => loss.map((v, i) => ({ epoch: i + 1, metrics: { loss: v, val_loss: val[i] } }));

function run(
  m: LabManifest,
  evidence: Evidence,
  epochs: GradeInput['run']['epochs'],
  outputs: Record<string, number> = { test_log_loss: 0.5, best: 0.37 },
  src = 'export const hyperparameters = {\n  learningRate: 10,\n};\n',
) {
  return grade({
    manifest: m,
    run: { id: 'r', status: 'completed', outputs, epochs, hyperparameters: { learningRate: evidence.model?.learningRate ?? 0.05 }, evidence },
    sources: { 'model.ts': src },
  }).results[1];
}

const TRAINING = [
  'output-head',
  'loss-mismatch',
  'inputs-unscaled',
  'normalization-lag',
  'penalty-dominates',
  'rate-too-high',
  'rate-too-low',
  'too-few-epochs',
  'stuck',
];
const near = manifest([
  { id: 'near', kind: 'compare', title: 'Near', metric: 'test_log_loss', baseline: 'best', maxRatio: 1.05, hint: 'the general hint', causes: TRAINING },
]);

describe('diagnosis: the model contract', () => {
  it('knows the output layer and loss each task needs', () => {
    assert.strictEqual(headFits('binary', model()), true);
    assert.strictEqual(headFits('binary', model({ outputUnits: 2, outputActivation: 'softmax' })), true);
    assert.strictEqual(headFits('binary', model({ outputActivation: 'linear' })), false);
    assert.strictEqual(headFits('multiclass', model({ outputUnits: 4, outputActivation: 'sigmoid' }), 4), false);
    assert.strictEqual(headFits('multiclass', model({ outputUnits: 4, outputActivation: 'softmax' }), 4), true);
    assert.strictEqual(headFits('regression', model({ outputActivation: 'linear' })), true);
    // The lab's own compile always fits; the learner's must match the task.
    assert.strictEqual(lossFits('binary', model({ loss: 'meanSquaredError' })), true);
    assert.strictEqual(lossFits('binary', model({ loss: 'meanSquaredError', compiledByLab: false })), false);
    assert.strictEqual(lossFits('multiclass', model({ loss: 'binaryCrossentropy', compiledByLab: false, outputUnits: 4 })), false);
    assert.strictEqual(lossFits('multiclass', model({ loss: 'sparseCategoricalCrossentropy', compiledByLab: false, outputUnits: 4 })), true);
    assert.strictEqual(contractProblems('binary', model({ outputActivation: 'linear', loss: 'meanSquaredError', compiledByLab: false })), 2);
  });

  it('names the squared error compiled by the learner, on a check of the contract', () => {
    const m = manifest([
      {
        id: 'contract',
        kind: 'metric',
        title: 'Contract',
        metric: 'contract_problems',
        max: 0,
        format: 'integer',
        hint: 'h',
        causes: ['output-head', 'loss-mismatch'],
      },
    ]);
    const r = run(m, { task: 'binary', model: model({ loss: 'meanSquaredError', compiledByLab: false }) }, curves([0.5, 0.4], [0.5, 0.4]), {
      contract_problems: 1,
    });
    assert.strictEqual(r.status, 'fail');
    assert.strictEqual(r.cause, 'loss-mismatch');
    assert.match(r.hint!, /loss 'meanSquaredError'.*binaryCrossentropy/);
  });

  it("a cause several of the lab's diagnoses name is told by the first whose conditions hold", () => {
    const m = manifest([{ id: 'probe', kind: 'metric', title: 'Probe', metric: 'ratio', max: 1.001, min: 0.999, hint: 'h', causes: ['loss-off'] }], {
      diagnoses: [
        { id: 'loss-off', when: [{ output: 'ratio', min: 1.001 }], text: 'too high' },
        { id: 'loss-off', when: [{ output: 'ratio', max: 0.999 }], text: 'too low' },
      ],
    });
    const evidence: Evidence = { task: 'binary', model: model() };
    assert.strictEqual(run(m, evidence, curves([0.5, 0.4], [0.5, 0.4]), { ratio: 2 }).hint, 'too high');
    const low = run(m, evidence, curves([0.5, 0.4], [0.5, 0.4]), { ratio: 0.5 });
    assert.strictEqual(low.cause, 'loss-off');
    assert.strictEqual(low.hint, 'too low');
  });
});

describe("diagnosis: a check's quick fix", () => {
  const src = 'export function buildModel() {\n  model.compile({ optimizer: tf.train.adam(0.001) });\n  const units = 3;\n}\n';
  const at = (pattern: string) => ({ file: 'model.ts', pattern });
  const m = manifest(
    [
      {
        id: 'tunable',
        kind: 'metric',
        title: 'Tunable',
        metric: 'follows',
        min: 1,
        hint: 'h',
        at: at('optimizer\\s*:\\s*([^,}\\n]+)'),
        fix: { title: 'Use hp.learningRate', replacement: 'tf.train.adam(hp.learningRate)' },
        causes: ['by-name', 'in-code', 'elsewhere'],
      },
    ],
    {
      diagnoses: [
        { id: 'by-name', when: [{ output: 'named', min: 1 }], text: 'named', at: at('optimizer\\s*:\\s*([^,}\\n]+)') },
        {
          id: 'in-code',
          when: [
            { output: 'named', max: 0 },
            { output: 'units', max: 0 },
          ],
          text: 'in code',
          at: at('optimizer\\s*:\\s*([^,}\\n]+)'),
        },
        { id: 'elsewhere', when: [{ output: 'units', min: 1 }], text: 'elsewhere', at: at('units\\s*=\\s*(\\d+)') },
      ],
    },
  );
  const evidence: Evidence = { task: 'binary', model: model() };
  const fixOf = (outputs: Record<string, number>) => run(m, evidence, curves([0.5, 0.4], [0.5, 0.4]), { follows: 0, ...outputs }, src);

  it('is offered for the first cause, and for any cause that points at the same place', () => {
    assert.deepStrictEqual(fixOf({ named: 1, units: 0 }).fix?.replacement, 'tf.train.adam(hp.learningRate)');
    const inCode = fixOf({ named: 0, units: 0 });
    assert.strictEqual(inCode.cause, 'in-code');
    assert.deepStrictEqual(inCode.fix?.replacement, 'tf.train.adam(hp.learningRate)');
  });

  it('is not offered for a cause elsewhere in the code', () => {
    const r = fixOf({ named: 0, units: 1 });
    assert.strictEqual(r.cause, 'elsewhere');
    assert.strictEqual(r.location!.line, 3);
    assert.strictEqual(r.fix, undefined);
  });
});

describe('diagnosis: curves and layers', () => {
  it('counts the rises and how far the curve climbed back in all', () => {
    const zigzag = curveFacts([0.7, 0.6, 0.49, 0.78, 0.51, 0.68, 0.73, 0.52], 5)!;
    assert.strictEqual(zigzag.rises, 3);
    assert.ok(Math.abs(zigzag.climbed - (0.29 + 0.17 + 0.05) / 0.49) < 1e-9, String(zigzag.climbed));
    // Falling fast with a little noise: no climbing back to speak of.
    const noisy = curveFacts([2.9, 1.4, 0.82, 0.66, 0.61, 0.612, 0.54, 0.51, 0.515, 0.48], 5)!;
    assert.strictEqual(noisy.rises, 2);
    assert.ok(noisy.climbed / 9 < 0.01, String(noisy.climbed));
  });

  it('an erratic validation loss is a rate too high, not a rate too low, even when its last epoch is its lowest', () => {
    const e: Evidence = { task: 'binary', model: model({ learningRate: 10 }), initialLoss: 0.8, baselineLoss: 0.693 };
    const r = run(near, e, curves([0.9, 0.5, 0.5, 0.52, 0.5, 0.49, 0.51, 0.5], [0.7, 0.6, 0.5, 0.7, 0.55, 0.68, 0.72, 0.45]));
    assert.strictEqual(r.cause, 'rate-too-high');
    assert.match(r.hint!, /^The loss zigzagged: it went up in 3 of 8 epochs, climbing back by 82 % of its lowest value in all/);
    assert.match(r.hint!, /learning rate 10 makes steps that overshoot/);
    // Not also "each step is too small": a low last value in a zigzag is luck, not progress.
    assert.doesNotMatch(r.hint!, /too small|more epochs/);
    assert.strictEqual(r.location!.line, 2);
  });

  it('a loss that ends far above where it started is a rate too high, not a stuck model', () => {
    const e: Evidence = {
      task: 'multiclass',
      model: model({ learningRate: 1, outputUnits: 2, outputActivation: 'softmax' }),
      initialLoss: 1.4,
      baselineLoss: 1.23,
    };
    const r = run(near, e, curves([8.8, 8.93, 8.93, 8.93, 8.93, 8.93], [9.07, 9.07, 9.07, 9.07, 9.07, 9.07]));
    assert.strictEqual(r.cause, 'rate-too-high');
    assert.match(
      r.hint!,
      /^The training loss ended at 8\.93, 6\.38 × what it was before the first step \(1\.4\) and above what learning nothing costs \(1\.23\)/,
    );
  });

  it('a batch-normalization layer that predicts much worse than it trains is named, not the penalty or the rate', () => {
    const e: Evidence = {
      task: 'binary',
      model: model({
        layers: [{ className: 'BatchNormalization' }, { className: 'Dense', units: 1, activation: 'sigmoid', l2: 1e-4 }],
        normalizesInside: true,
        penaltyShare: 0.0016,
      }),
      initialLoss: 8,
      baselineLoss: 0.693,
    };
    const loss = [0.48, 0.39, 0.378, 0.378, 0.38, 0.385, 0.378, 0.38, 0.38, 0.378];
    const val = [8.36, 8.36, 8.36, 8.15, 4.46, 2.18, 1.29, 0.67, 0.52, 0.44];
    const src = 'model.add(tf.layers.batchNormalization({ inputShape: [6] }));\n';
    const r = run(near, e, curves(loss, val), undefined, src);
    assert.strictEqual(r.cause, 'normalization-lag');
    assert.match(r.hint!, /after epoch 1 the validation loss was 8\.36 against 0\.48 on the training rows, and 0\.44 against 0\.378 at the end/);
    assert.strictEqual(r.location!.line, 1);
    // Without the layer the same curves are read as a rate too low, never as the penalty (0.16 % of the loss).
    const plain = run(near, { ...e, model: model({ penaltyShare: 0.0016 }) }, curves(loss, val), undefined, src);
    assert.notStrictEqual(plain.cause, 'penalty-dominates');
    assert.notStrictEqual(plain.cause, 'normalization-lag');
  });

  it('a frozen dense layer is not a layer that learns: no "no activation between dense layers"', () => {
    const m = manifest([
      {
        id: 'near',
        kind: 'compare',
        title: 'Near',
        metric: 'test_log_loss',
        baseline: 'best',
        maxRatio: 1.05,
        hint: 'the general hint',
        causes: ['no-nonlinearity'],
      },
    ]);
    const layers = [
      { className: 'Dense', units: 6, activation: 'linear', trainable: false },
      { className: 'Dense', units: 1, activation: 'sigmoid' },
    ];
    const r = run(m, { task: 'binary', model: model({ layers, normalizesInside: true }) }, curves([0.5, 0.4], [0.5, 0.4]));
    assert.strictEqual(r.cause, 'unexplained');
    assert.strictEqual(r.hint, 'the general hint');
  });
});

describe('diagnosis: a score too good to be honest', () => {
  it('fails below the floor and names the input that follows the label', () => {
    const m = manifest(
      [{ id: 'plausible', kind: 'plausible', title: 'Plausible', metric: 'test_rmse', floor: 35000, format: 'dollars', hint: 'h', causes: ['too-good'] }],
      { harness: 'versus-linear', classification: undefined, labelUnit: 'dollars' },
    );
    const inputs = [
      { mean: 0.5, std: 0.2, min: 0, max: 1, corr: 0.69 },
      { mean: 2.1, std: 1.1, min: 0.1, max: 5, corr: 0.998 },
    ];
    const r = run(m, { task: 'regression', inputs }, curves([1, 0.5], [1, 0.5]), { test_rmse: 1200 });
    assert.strictEqual(r.status, 'fail');
    assert.strictEqual(r.cause, 'too-good');
    assert.strictEqual(r.message, 'The error on the held-out rows (RMSE) is $1,200: better than any honest model reaches on this data');
    assert.match(r.hint!, /Input 2 follows the label almost exactly on the training rows \(correlation 0\.998\)/);
    assert.strictEqual(run(m, { task: 'regression', inputs }, curves([1, 0.5], [1, 0.5]), { test_rmse: 61000 }).status, 'pass');
  });
});

describe('diagnosis: features too weak for any line', () => {
  const m = manifest(
    [{ id: 'floor', kind: 'metric', title: 'Floor', metric: 'test_rmse', max: 95000, format: 'dollars', hint: 'the general hint', causes: ['weak-features'] }],
    { harness: 'regression', classification: undefined, labelUnit: 'dollars', exports: ['features'] },
  );
  const outputs = { test_rmse: 112400, least_squares_rmse: 112500 };
  const columns = [
    { name: 'median_income', corr: 0.684 },
    { name: 'latitude', corr: -0.147 },
  ];
  const src = 'export function features(row) {\n  return [row.total_rooms / row.households];\n}\n';

  it("names the data's column that follows the label most closely, against the learner's inputs", () => {
    const inputs = [{ mean: 5.4, std: 2.4, min: 0.8, max: 140, corr: 0.151 }];
    const r = run(m, { task: 'regression', inputs, columns }, curves([1, 0.9], [1, 0.9]), outputs, src);
    assert.strictEqual(r.cause, 'weak-features');
    assert.match(r.hint!, /\(\$112,400 against \$112,500\)/);
    assert.match(r.hint!, /Add median_income to the array features\(\) returns: .* \(correlation 0\.68, against 0\.15 for your strongest input\)\.$/);
    assert.strictEqual(r.location!.line, 1);
  });

  it("names no column the learner's inputs already match", () => {
    const inputs = [
      { mean: 3.9, std: 1.9, min: 0.5, max: 15, corr: 0.68 },
      { mean: 5.4, std: 2.4, min: 0.8, max: 140, corr: 0.151 },
    ];
    const r = run(m, { task: 'regression', inputs, columns }, curves([1, 0.9], [1, 0.9]), outputs, src);
    assert.strictEqual(r.cause, 'weak-features');
    assert.doesNotMatch(r.hint!, /median_income/);
    assert.match(r.hint!, /carry more about the price — add a stronger one\.$/);
  });
});

describe('format: shares of rows', () => {
  it('shows accuracy and recall outputs as percentages, errors in the label unit, the rest as numbers', () => {
    assert.strictEqual(formatMetric('majority_accuracy', 0.52786, undefined), '52.8%');
    assert.strictEqual(formatMetric('best_linear_min_recall', 0.16015625, undefined), '16.0%');
    assert.strictEqual(formatMetric('test_rmse', 61234.4, { labelUnit: 'dollars' }), '$61,234');
    assert.strictEqual(formatMetric('penalty_percent', 9.0931, undefined), '9.093');
  });
});
