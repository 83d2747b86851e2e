import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadStudySpec, parseStudySpec, readStudySpec, resumeConflict, StudySpecError, type SpecResult } from '../../../src/core/tuner/spec';
import { makeSpec, tempLab } from './support';

const COURSE_YAML = `
trainingInput:
  scaleTier: STANDARD_1
  hyperparameters:
    goal: MINIMIZE
    maxTrials: 30
    maxParallelTrials: 2
    hyperparameterMetricTag: val_rmse
    enableTrialEarlyStopping: True
    params:
    - parameterName: learningRate
      type: DOUBLE
      minValue: 0.01
      maxValue: 0.1
      scaleType: UNIT_LOG_SCALE
    - parameterName: batchSize
      type: INTEGER
      minValue: 8
      maxValue: 64
      scaleType: UNIT_LINEAR_SCALE
`;

function errors(result: SpecResult): string[] {
  assert.ok(!result.ok, 'expected the spec to be rejected');
  return result.errors;
}

function bare(over: Record<string, unknown>, param: Record<string, unknown> = {}): string {
  return JSON.stringify({
    goal: 'MAXIMIZE',
    maxTrials: 4,
    params: [
      { parameterName: 'a', type: 'DOUBLE', minValue: 0, maxValue: 1 },
      { parameterName: 'b', type: 'DOUBLE', minValue: 1, maxValue: 2, ...param },
    ],
    ...over,
  });
}

describe('tuner: study spec', () => {
  it("reads Cloud ML Engine's config.yaml (trainingInput wrapper, other trainingInput fields ignored)", () => {
    const r = parseStudySpec(COURSE_YAML, 'config.yaml');
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
    assert.strictEqual(r.spec.goal, 'MINIMIZE');
    assert.strictEqual(r.spec.maxTrials, 30);
    assert.strictEqual(r.spec.maxParallelTrials, 2);
    assert.strictEqual(r.spec.enableTrialEarlyStopping, true);
    assert.strictEqual(r.spec.hyperparameterMetricTag, 'val_rmse');
    assert.deepStrictEqual(
      r.spec.params.map((p) => [p.parameterName, p.type, p.scaleType]),
      [
        ['learningRate', 'DOUBLE', 'UNIT_LOG_SCALE'],
        ['batchSize', 'INTEGER', 'UNIT_LINEAR_SCALE'],
      ],
    );
  });

  it('reads the bare block as JSON and fills in the defaults', () => {
    const r = parseStudySpec(
      JSON.stringify({
        goal: 'MAXIMIZE',
        algorithm: 'RANDOM_SEARCH',
        seed: 3,
        params: [
          { parameterName: 'optimizer', type: 'CATEGORICAL', categoricalValues: ['sgd', 'adam'] },
          { parameterName: 'units', type: 'DISCRETE', discreteValues: [64, 16, 32] },
        ],
      }),
      'spec.json',
    );
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
    assert.strictEqual(r.spec.maxTrials, 1);
    assert.strictEqual(r.spec.maxParallelTrials, 1);
    assert.strictEqual(r.spec.enableTrialEarlyStopping, false);
    assert.strictEqual(r.spec.algorithm, 'RANDOM_SEARCH');
    assert.strictEqual(r.spec.seed, 3);
  });

  it('reads a file, and throws a StudySpecError listing every problem', () => {
    const dir = tempLab();
    fs.writeFileSync(path.join(dir, 'good.yaml'), COURSE_YAML);
    assert.strictEqual(loadStudySpec(path.join(dir, 'good.yaml')).maxTrials, 30);
    fs.writeFileSync(path.join(dir, 'bad.json'), bare({ maxTrials: 0, goal: 'BEST' }));
    assert.throws(
      () => loadStudySpec(path.join(dir, 'bad.json')),
      (err: unknown) =>
        err instanceof StudySpecError &&
        err.errors.length === 2 &&
        err.errors.some((e) => e.startsWith('goal:')) &&
        err.errors.some((e) => e.startsWith('maxTrials:')),
    );
    assert.match(errors(readStudySpec(path.join(dir, 'missing.yaml')))[0], /missing\.yaml: cannot read/);
    assert.deepStrictEqual(errors(parseStudySpec('just text', 'spec.yaml')), ['(top level): expected an object with goal, maxTrials and params']);
  });

  it('names the field of a log scale with a non-positive bound', () => {
    const e = errors(parseStudySpec(bare({}, { minValue: 0, scaleType: 'UNIT_LOG_SCALE' })));
    assert.deepStrictEqual(e, ['params[1].minValue: must be > 0 for UNIT_LOG_SCALE']);
    const r = errors(
      parseStudySpec(bare({}, { type: 'DISCRETE', minValue: undefined, maxValue: undefined, discreteValues: [0.5, -1], scaleType: 'UNIT_REVERSE_LOG_SCALE' })),
    );
    assert.deepStrictEqual(r, ['params[1].discreteValues[1]: must be > 0 for UNIT_REVERSE_LOG_SCALE']);
  });

  it('prefixes errors with the wrapper path when the block is wrapped', () => {
    const yaml = COURSE_YAML.replace('minValue: 8', 'minValue: 8.5');
    assert.deepStrictEqual(errors(parseStudySpec(yaml, 'config.yaml')), [
      'trainingInput.hyperparameters.params[1].minValue: must be an integer for INTEGER parameters',
    ]);
    assert.deepStrictEqual(errors(parseStudySpec('trainingInput:\n  scaleTier: BASIC\n')), [
      'trainingInput.hyperparameters: missing (the study spec goes there)',
    ]);
  });

  it('reports each kind of problem with its field', () => {
    const cases: [string, string][] = [
      [bare({ goal: 'BEST' }), 'goal: '],
      [bare({ maxTrials: 0 }), 'maxTrials: '],
      [bare({ maxParallelTrials: 1.5 }), 'maxParallelTrials: '],
      [bare({ algorithm: 'HYPERBAND' }), 'algorithm: '],
      [bare({ maxTrial: 5 }), '(top level): '],
      [bare({ params: [] }), 'params: list at least one parameter'],
      [bare({ resumePreviousJobId: '../other' }), 'resumePreviousJobId: use letters'],
      [bare({ gridResolution: 4 }), 'gridResolution: only used with algorithm GRID_SEARCH'],
      [bare({}, { parameterName: 'a' }), 'params[1].parameterName: duplicate parameter name "a" (also params[0])'],
      [bare({}, { maxValue: 1 }), 'params[1].maxValue: must be > minValue (1)'],
      [bare({}, { minValue: undefined }), 'params[1].minValue: required for DOUBLE parameters'],
      [bare({}, { type: 'FLOAT' }), 'params[1].type: '],
      [bare({}, { scaleType: 'LOG' }), 'params[1].scaleType: '],
      [bare({}, { categoricalValues: ['x'] }), 'params[1].categoricalValues: not used by DOUBLE parameters'],
      [bare({}, { type: 'CATEGORICAL', minValue: undefined, maxValue: undefined }), 'params[1].categoricalValues: required for CATEGORICAL parameters'],
      [
        bare({}, { type: 'CATEGORICAL', minValue: undefined, maxValue: undefined, categoricalValues: ['a', 'a'] }),
        'params[1].categoricalValues[1]: duplicate value "a"',
      ],
      [
        bare({}, { type: 'CATEGORICAL', minValue: undefined, maxValue: undefined, categoricalValues: ['a'], scaleType: 'UNIT_LOG_SCALE' }),
        'params[1].scaleType: not used by CATEGORICAL parameters',
      ],
      [
        bare({}, { type: 'DISCRETE', minValue: undefined, maxValue: undefined, discreteValues: [] }),
        'params[1].discreteValues: required for DISCRETE parameters',
      ],
      [bare({}, { type: 'DISCRETE', maxValue: undefined, discreteValues: [1, 2] }), 'params[1].minValue: not used by DISCRETE parameters'],
    ];
    for (const [text, expected] of cases) {
      const e = errors(parseStudySpec(text, 'spec.json'));
      assert.ok(
        e.some((m) => m.startsWith(expected)),
        `expected an error starting "${expected}", got:\n${e.join('\n')}`,
      );
    }
  });

  it('reports YAML and JSON syntax errors with the file name', () => {
    assert.match(errors(parseStudySpec('goal: [MINIMIZE\n', 'study.yaml'))[0], /^study\.yaml: not valid YAML: /);
    assert.match(errors(parseStudySpec('{"goal": ', 'study.json'))[0], /^study\.json: not valid JSON: /);
  });

  it('allows changing budgets but not the search space when resuming', () => {
    const stored = makeSpec({ maxTrials: 5 });
    assert.strictEqual(resumeConflict(stored, makeSpec({ maxTrials: 20, maxParallelTrials: 2 })), undefined);
    assert.match(resumeConflict(stored, makeSpec({ goal: 'MAXIMIZE' })) ?? '', /goal/);
    assert.match(resumeConflict(stored, makeSpec({ params: [{ parameterName: 'x', type: 'DOUBLE', minValue: 0, maxValue: 2 }] })) ?? '', /params/);
    assert.match(resumeConflict(stored, makeSpec({ algorithm: 'RANDOM_SEARCH' })) ?? '', /algorithm/);
  });
});
