// The lab contract: one schema for every `lab-templates/<id>/lab.json`.
// The JSON Schema published for lab authors is generated from this file (see schemaJson.ts).
// zod/mini: the same validation as zod's classic API in a small, tree-shaken bundle (the extension
// host and the webviews load these schemas).
import * as z from 'zod/mini';
import '../zodMessages';
import { dashedId, described } from '../schemaParts';

export const LAB_FORMAT_VERSION = 1;

const id = dashedId('hand-tuning');

const relPath = z.string().check(
  z.minLength(1),
  z.refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be a path inside the lab folder (no leading "/", no "..")'),
);

const nonEmpty = () => z.string().check(z.minLength(1));

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'] as const;

/** How the runner drives a lab's code (src/child/harness/). */
export const HARNESS_NAMES = ['regression', 'playground', 'classification', 'rate-sweep', 'versus-linear', 'save-reload', 'custom-training'] as const;
/** The first result of every grade, "The run finishes": a wrong solution that stops the run fails it. */
export const RUN_CHECK_ID = 'run';

/** Data sets the harnesses can load (src/child/datasets/). */
export const DATASET_NAMES = ['california-housing', 'synthetic-linear', 'playground', 'sine-sequences'] as const;
/** TF Playground's generators (src/core/playground/datasets.ts), for the "playground" data set. */
export const PLAYGROUND_KINDS = ['circle', 'xor', 'gauss', 'spiral', 'reg-plane', 'reg-gauss'] as const;

/** A pattern locating something in a learner file, for diagnostics ("the learning-rate literal"). */
const SourceAnchor = z.strictObject({
  file: described(relPath, 'Learner file, relative to the lab folder.'),
  pattern: described(z.string(), 'Regular expression (JavaScript syntax, multiline). The first match, or its first capture group, is the range.'),
});

const checkBase = {
  id: described(id, 'Stable id of the check, unique in the lab.'),
  title: described(nonEmpty(), 'What the check verifies, shown as the test name.'),
  hint: described(nonEmpty(), 'What to change and why, shown when the check fails. {measured}, {bar} and {hp.<name>} are filled in.'),
  at: z.optional(described(SourceAnchor, 'Where a failure points in the learner code.')),
  fix: z.optional(
    described(
      z.strictObject({
        title: described(nonEmpty(), 'Name of the quick fix, e.g. "Set labelScale to 100000".'),
        replacement: described(z.string(), 'Text that replaces the range found by "at".'),
      }),
      'A safe quick fix offered on a failure: replaces the "at" range.',
    ),
  ),
  optional: z.optional(described(z.boolean(), 'An optional check teaches but does not fail the lab.')),
  causes: z.optional(
    described(
      z.array(id),
      'What can make this check fail, most specific first: general causes (label-unscaled, inputs-unscaled, output-head, loss-mismatch, unused-layer, no-nonlinearity, symmetric-init, penalty-dominates, dropout-heavy, rate-too-high, stuck, too-few-epochs, rate-too-low, overfitting, too-good, weak-features, normalization-lag) or ids of this lab\'s "diagnoses". The first the evidence shows is the one the hint names; "hint" is said when none does.',
    ),
  ),
  measures: z.optional(described(nonEmpty(), 'The measured value in plain words, e.g. "the error on the held-out blocks".')),
};

const Format = z.enum(['number', 'dollars', 'percent', 'integer']);

const MetricCheck = z
  .strictObject({
    ...checkBase,
    kind: z.literal('metric'),
    metric: described(nonEmpty(), 'Name of a run output, e.g. "test_rmse".'),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    format: z.optional(Format),
  })
  .check(z.refine((c) => c.min !== undefined || c.max !== undefined, 'a metric check needs "min", "max" or both'));

const CompareCheck = z
  .strictObject({
    ...checkBase,
    kind: z.literal('compare'),
    against: z.optional(described(nonEmpty(), 'The baseline in plain words, e.g. "the best straight line through your features".')),
    metric: described(nonEmpty(), 'Run output under test.'),
    baseline: described(nonEmpty(), 'Run output it is compared with (a baseline model trained in the same run).'),
    maxRatio: z.optional(described(z.number().check(z.positive()), 'metric ≤ maxRatio × baseline')),
    minRatio: z.optional(described(z.number().check(z.positive()), 'metric ≥ minRatio × baseline')),
    format: z.optional(Format),
  })
  .check(z.refine((c) => c.maxRatio !== undefined || c.minRatio !== undefined, 'a compare check needs "maxRatio", "minRatio" or both'));

const ConvergedCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('converged'),
  series: z._default(described(z.string(), 'Per-epoch metric to inspect.'), 'val_loss'),
  window: z._default(described(z.int().check(z.minimum(2)), 'Number of final epochs to compare.'), 5),
  maxRelativeDrop: z._default(described(z.number().check(z.positive()), 'Fail if the series still fell by more than this fraction over the window.'), 0.02),
});

const StableCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('stable'),
  series: z._default(z.string(), 'loss'),
  maxRiseRatio: z._default(
    described(
      z.number().check(z.minimum(1)),
      'Fail if, in the final window, the series jumps above this times its lowest value so far (it blew up or is erratic).',
    ),
    1.5,
  ),
  window: z._default(described(z.int().check(z.minimum(1)), 'Number of final epochs inspected for jumps.'), 5),
});

const CodeCheck = z
  .strictObject({
    ...checkBase,
    kind: z.literal('code'),
    file: described(relPath, 'Learner file the rule reads.'),
    rule: z.enum(['no-todo', 'forbid', 'require']),
    pattern: z.optional(described(z.string(), 'Regular expression for "forbid" and "require".')),
  })
  .check(z.refine((c) => c.rule === 'no-todo' || c.pattern !== undefined, '"forbid" and "require" rules need a "pattern"'));

const PlausibleCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('plausible'),
  metric: described(nonEmpty(), 'An error on the held-out rows, e.g. "test_rmse".'),
  floor: described(z.number(), "No honest model reaches below this on the lab's data (set well under the best of many reference runs)."),
  format: z.optional(Format),
});

export const Check = z.union([MetricCheck, CompareCheck, ConvergedCheck, StableCheck, CodeCheck, PlausibleCheck]);
export type Check = z.infer<typeof Check>;

const Hyperparameter = z.strictObject({
  type: z.enum(['double', 'integer', 'categorical']),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  values: z.optional(z.array(z.union([z.string(), z.number()]))),
  scale: z.optional(z.enum(['linear', 'log'])),
  description: z.optional(z.string()),
});
export type Hyperparameter = z.infer<typeof Hyperparameter>;

const fraction = () => z.number().check(z.gte(0), z.lt(1));

const Split = z
  .strictObject({
    train: fraction().check(z.gt(0)),
    validation: fraction(),
    test: fraction().check(z.gt(0)),
  })
  .check(z.refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-9, 'train + validation + test must be 1'));

const Data = z
  .strictObject({
    dataset: described(z.enum(DATASET_NAMES), 'Built-in data set the harness loads.'),
    split: Split,
    shuffleSeed: described(z.int(), 'Seed of the shuffle before the split (fixed per lab, so every learner sees the same held-out rows).'),
    rows: z.optional(described(z.int().check(z.positive()), 'Use only the first N rows after shuffling (synthetic sets: how many to generate).')),
    playground: z.optional(
      described(
        z.strictObject({
          kind: described(z.enum(PLAYGROUND_KINDS), 'Generator: circle, xor, gauss (two Gaussians), spiral, reg-plane or reg-gauss (six Gaussian bumps).'),
          noise: described(z.number().check(z.gte(0), z.lte(50)), "Label noise in percent (0–50), as TF Playground's slider."),
        }),
        'For the "playground" data set: generator and noise. shuffleSeed seeds the points; split.train is the training share (0.1–0.9), the rest the test part.',
      ),
    ),
  })
  .check(
    z.superRefine((d, ctx) => {
      if (d.dataset !== 'playground') {
        if (d.playground)
          ctx.addIssue({ code: 'custom', input: d.playground, path: ['playground'], message: 'only the "playground" data set takes these settings' });
        return;
      }
      if (!d.playground) ctx.addIssue({ code: 'custom', input: d, path: ['playground'], message: 'the "playground" data set needs { kind, noise }' });
      if (d.split.validation !== 0)
        ctx.addIssue({
          code: 'custom',
          input: d.split,
          path: ['split', 'validation'],
          message: 'playground data has a training and a test part only: set validation to 0',
        });
      if (d.split.train < 0.1 || d.split.train > 0.9)
        ctx.addIssue({ code: 'custom', input: d.split, path: ['split', 'train'], message: 'TF Playground trains on 10–90 % of the points' });
      if (d.rows !== undefined && d.rows % 2 !== 0)
        ctx.addIssue({ code: 'custom', input: d.rows, path: ['rows'], message: 'playground data sets need an even number of points' });
    }),
  );

/** A further network a playground lab trains and grades, on data of its own (harness "playground"). */
const PlaygroundPart = z.strictObject({
  id: described(id, 'Prefix of its outputs, e.g. "circle" gives circle_test_loss.'),
  export: described(z.string().check(z.regex(/^[A-Za-z_$][\w$]*$/)), 'The exported network object, listed in "exports" too.'),
  data: z.strictObject({
    kind: described(z.enum(PLAYGROUND_KINDS), 'Generator, as data.playground.kind.'),
    noise: described(z.number().check(z.gte(0), z.lte(50)), 'Label noise in percent (0–50).'),
    train: z.optional(described(z.number().check(z.gte(0.1), z.lte(0.9)), 'Training share (default: data.split.train).')),
    shuffleSeed: z.optional(described(z.int(), 'Seed of its points (default: data.shuffleSeed).')),
  }),
});

/** What a classification lab predicts (harness "classification"): the label column and its classes. */
const Classification = z
  .strictObject({
    label: described(nonEmpty(), 'Column the classes come from, e.g. "ocean_proximity".'),
    classes: described(z.array(nonEmpty()).check(z.minLength(2)), 'Class names in the order of the model\'s outputs. With "threshold": [at or below, above].'),
    threshold: z.optional(
      described(
        z.union([z.number(), z.literal('median')]),
        'Binary classes from a numeric column: values above the threshold are the second class; "median" is the median of the training rows.',
      ),
    ),
    merge: z.optional(
      described(
        z.record(z.string(), nonEmpty()),
        'Values of the column counted as one of the classes, e.g. a class too rare to learn merged into a neighbour.',
      ),
    ),
  })
  .check(
    z.refine((c) => c.threshold === undefined || c.classes.length === 2, 'a "threshold" makes two classes: list exactly two names'),
    z.refine((c) => Object.values(c.merge ?? {}).every((v) => c.classes.includes(v)), '"merge" must map values to names listed in "classes"'),
  );

const WrongSolution = z.strictObject({
  file: relPath,
  why: nonEmpty(),
  fails: described(z.array(id).check(z.minLength(1)), 'Checks this solution must fail.'),
  cause: described(id, 'The cause the diagnosis must name for it (a general cause or one of the lab\'s "diagnoses").'),
});

const CorrectSolution = z.strictObject({
  file: relPath,
  why: described(nonEmpty(), 'How it differs from the reference (and still passes).'),
});

/** A condition of a lab's own diagnosis, on a run output or a hyperparameter. */
const RuleCondition = z.union([
  z.strictObject({
    output: nonEmpty(),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    ratioTo: z.optional(described(nonEmpty(), 'Compare output / ratioTo with min and max.')),
  }),
  z.strictObject({
    hp: nonEmpty(),
    equals: z.optional(z.union([z.string(), z.number(), z.boolean()])),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
  }),
]);

const LabRule = z.strictObject({
  id: described(id, 'The cause this diagnosis names (listed in a check\'s "causes").'),
  when: described(z.array(RuleCondition).check(z.minLength(1)), 'All must hold.'),
  text: described(nonEmpty(), 'What the evidence shows and what to change; {output.<name>} and {hp.<name>} are filled in.'),
  at: z.optional(described(SourceAnchor, 'The knob it names, in the learner code.')),
});
export type LabRule = z.infer<typeof LabRule>;

export const LabManifest = z
  .strictObject({
    $schema: z.optional(z.string()),
    formatVersion: z.literal(LAB_FORMAT_VERSION),
    id,
    title: nonEmpty(),
    summary: described(nonEmpty(), 'One line for the catalog.'),
    module: described(z.strictObject({ number: z.int().check(z.minimum(1), z.maximum(5)), title: nonEmpty() }), 'Module of the course the lab belongs to.'),
    order: described(z.int().check(z.minimum(0)), 'Position within the module.'),
    instructions: z._default(relPath, 'README.md'),
    files: described(z.array(relPath).check(z.minLength(1)), 'Files the learner edits; the first is the entry point the harness loads.'),
    harness: described(z.enum(HARNESS_NAMES), 'How the runner drives the learner code.'),
    training: z._default(
      z.strictObject({
        optimizer: z._default(described(z.enum(OPTIMIZERS), 'Optimizer the harness compiles the model with, unless the learner compiles it.'), 'sgd'),
      }),
      { optimizer: 'sgd' },
    ),
    exports: described(z.array(z.string().check(z.regex(/^[A-Za-z_$][\w$]*$/))).check(z.minLength(1)), 'Names the entry file must export.'),
    data: Data,
    parts: z.optional(
      described(z.array(PlaygroundPart), 'Playground labs: further exported networks, each trained on its own points and graded by its prefixed outputs.'),
    ),
    classification: z.optional(described(Classification, 'Classification labs: the label column and its classes.')),
    hyperparameters: z._default(z.record(z.string(), Hyperparameter), {}),
    backend: z._default(
      z.strictObject({
        auto: z.optional(
          described(z.array(z.enum(BACKENDS)).check(z.minLength(1)), 'Order tried by "auto" (default tensorflow, wasm, cpu), from the backend benchmark.'),
        ),
        reason: z.optional(described(z.string(), 'Why this lab prefers its order.')),
      }),
      {},
    ),
    labelUnit: z.optional(
      described(z.enum(['dollars']), 'Unit of the label, used to show errors in the label\'s units (RMSE, MAE) as people read them, e.g. "$82,000".'),
    ),
    timeBudgetSeconds: z._default(z.number().check(z.positive(), z.maximum(3600)), 60),
    checks: z.array(Check).check(z.minLength(1)),
    diagnoses: z._default(described(z.array(LabRule), "Causes of this lab's own, decided by its outputs and hyperparameters."), []),
    solutions: described(
      z.strictObject({
        reference: relPath,
        correct: z._default(z.array(CorrectSolution), []),
        wrong: z._default(z.array(WrongSolution), []),
      }),
      'Not copied to learners: used by the course check and the tests.',
    ),
  })
  .check(
    z.superRefine((lab, ctx) => {
      if (lab.harness === 'classification' && !lab.classification) {
        ctx.addIssue({
          code: 'custom',
          input: lab.harness,
          path: ['classification'],
          message: 'the classification harness needs "classification" (label column and classes)',
        });
      }
      (lab.parts ?? []).forEach((p, i) => {
        if (lab.harness !== 'playground') ctx.addIssue({ code: 'custom', input: p, path: ['parts', i], message: 'only the playground harness trains parts' });
        if (!lab.exports.includes(p.export))
          ctx.addIssue({ code: 'custom', input: p.export, path: ['parts', i, 'export'], message: `"${p.export}" must be listed in "exports" too` });
        if ((lab.parts ?? []).findIndex((q) => q.id === p.id) !== i)
          ctx.addIssue({ code: 'custom', input: p.id, path: ['parts', i, 'id'], message: `duplicate part id "${p.id}"` });
      });
      const seen = new Set<string>();
      lab.checks.forEach((c, i) => {
        if (seen.has(c.id)) ctx.addIssue({ code: 'custom', input: c.id, path: ['checks', i, 'id'], message: `duplicate check id "${c.id}"` });
        if (c.id === RUN_CHECK_ID)
          ctx.addIssue({
            code: 'custom',
            input: c.id,
            path: ['checks', i, 'id'],
            message: `"${RUN_CHECK_ID}" is the run's own check ("The run finishes"): choose another id`,
          });
        seen.add(c.id);
      });
      lab.solutions.wrong.forEach((w, i) =>
        w.fails.forEach((f, j) => {
          if (!seen.has(f) && f !== RUN_CHECK_ID)
            ctx.addIssue({ code: 'custom', input: f, path: ['solutions', 'wrong', i, 'fails', j], message: `no check with id "${f}"` });
        }),
      );
    }),
  );
export type LabManifest = z.infer<typeof LabManifest>;

export { describeIssues } from '../zodMessages';
