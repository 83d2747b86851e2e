import * as assert from 'assert';
import { createPruner, median, MedianStoppingPruner, NopPruner } from '../../../src/core/tuner/pruners';
import { searchSpace } from '../../../src/core/tuner/scale';
import type { StudySpec } from '../../../src/core/tuner/spec';
import type { StudyView } from '../../../src/core/tuner/study';
import type { Trial, TrialState } from '../../../src/core/tuner/trial';
import { makeSpec } from './support';

/** A trial that reported `values` at steps 1, 2, 3, … */
function trial(number: number, values: (number | null)[], state: TrialState = 'completed'): Trial {
  return {
    number,
    params: { x: 0.5 },
    state,
    objective: state === 'completed' ? (values[values.length - 1] ?? undefined) : undefined,
    intermediate: values.map((value, i) => ({ step: i + 1, value })),
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

function view(spec: StudySpec, trials: Trial[]): StudyView {
  return { spec, space: searchSpace(spec), trials };
}

// Five completed trials whose losses at steps 1…4 have medians 1.0, 0.8, 0.6, 0.5.
const COMPLETED = [
  trial(1, [0.8, 0.6, 0.4, 0.3]),
  trial(2, [0.9, 0.7, 0.5, 0.4]),
  trial(3, [1.0, 0.8, 0.6, 0.5]),
  trial(4, [1.1, 0.9, 0.7, 0.6]),
  trial(5, [1.2, 1.0, 0.8, 0.7]),
];

describe('tuner: pruners', () => {
  const spec = makeSpec({ enableTrialEarlyStopping: true });
  const rule = new MedianStoppingPruner({ startupTrials: 5, warmupSteps: 2 });

  it('stops a trial whose best value is worse than the median of completed trials at that step', () => {
    assert.strictEqual(rule.prune(view(spec, [...COMPLETED]), trial(6, [1.3, 0.85], 'running')), true);
    assert.strictEqual(rule.prune(view(spec, [...COMPLETED]), trial(6, [1.3, 0.75], 'running')), false);
  });

  it('compares the best value so far, not the latest', () => {
    // Latest 0.9 is worse than the median 0.6 at step 3, but it reached 0.5 at step 2.
    assert.strictEqual(rule.prune(view(spec, [...COMPLETED]), trial(6, [1.0, 0.5, 0.9], 'running')), false);
  });

  it('waits for the warm-up steps and the startup trials', () => {
    assert.strictEqual(rule.prune(view(spec, [...COMPLETED]), trial(6, [5], 'running')), false, 'step 1 is in the warm-up');
    assert.strictEqual(rule.prune(view(spec, COMPLETED.slice(0, 4)), trial(6, [5, 5], 'running')), false, 'only 4 completed trials');
  });

  it('counts only completed trials, with their value at or before the step', () => {
    const others = [...COMPLETED, trial(7, [0.1, 0.1, 0.1], 'running'), trial(8, [0.1, 0.1], 'pruned')];
    assert.strictEqual(rule.prune(view(spec, others), trial(6, [1.3, 0.85], 'running')), true);
    // A trial that reports at step 10 is compared with the completed trials' last values (median 0.5).
    const late: Trial = { ...trial(6, []), state: 'running', intermediate: [{ step: 10, value: 0.45 }] };
    assert.strictEqual(rule.prune(view(spec, [...COMPLETED]), late), false);
    late.intermediate = [{ step: 10, value: 0.55 }];
    assert.strictEqual(rule.prune(view(spec, [...COMPLETED]), late), true);
  });

  it('follows the goal: for MAXIMIZE, lower is worse', () => {
    const max = makeSpec({ goal: 'MAXIMIZE', enableTrialEarlyStopping: true });
    assert.strictEqual(rule.prune(view(max, [...COMPLETED]), trial(6, [1.3, 0.85], 'running')), false);
    assert.strictEqual(rule.prune(view(max, [...COMPLETED]), trial(6, [0.1, 0.75], 'running')), true);
  });

  it('stops a trial whose latest value is not finite (diverged) once warmed up', () => {
    assert.strictEqual(rule.prune(view(spec, []), trial(6, [1, null], 'running')), true);
    assert.strictEqual(rule.prune(view(spec, []), trial(6, [null], 'running')), false);
  });

  it('never stops anything when early stopping is off', () => {
    assert.ok(createPruner(makeSpec()) instanceof NopPruner);
    assert.ok(createPruner(spec) instanceof MedianStoppingPruner);
    assert.strictEqual(new NopPruner().prune(), false);
  });

  it('takes the median of even and odd counts', () => {
    assert.strictEqual(median([3, 1, 2]), 2);
    assert.strictEqual(median([4, 1, 3, 2]), 2.5);
  });
});
