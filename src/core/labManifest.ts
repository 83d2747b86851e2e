// The lab contract: one schema for every `lab-templates/<id>/lab.json`.
// The JSON Schema published for lab authors is generated from this file (see labSchemaJson.ts).
import { z } from 'zod';

export const LAB_FORMAT_VERSION = 1;

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case words joined by "-", e.g. "hand-tuning"');

const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a path inside the lab folder (no leading "/", no "..")',
  });

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'] as const;

/** A pattern locating something in a learner file, for diagnostics ("the learning-rate literal"). */
const SourceAnchor = z
  .object({
    file: relPath.describe('Learner file, relative to the lab folder.'),
    pattern: z
      .string()
      .describe('Regular expression (JavaScript syntax, multiline). The first match, or its first capture group, is the range.'),
  })
  .strict();

const checkBase = {
  id: id.describe('Stable id of the check, unique in the lab.'),
  title: z.string().min(1).describe('What the check verifies, shown as the test name.'),
  hint: z
    .string()
    .min(1)
    .describe('What to change and why, shown when the check fails. {measured}, {bar} and {hp.<name>} are filled in.'),
  at: SourceAnchor.optional().describe('Where a failure points in the learner code.'),
  fix: z
    .object({
      title: z.string().min(1).describe('Name of the quick fix, e.g. "Set labelScale to 100000".'),
      replacement: z.string().describe('Text that replaces the range found by "at".'),
    })
    .strict()
    .optional()
    .describe('A safe quick fix offered on a failure: replaces the "at" range.'),
  optional: z.boolean().optional().describe('An optional check teaches but does not fail the lab.'),
};

const Format = z.enum(['number', 'dollars', 'percent', 'integer']);

const MetricCheck = z
  .object({
    ...checkBase,
    kind: z.literal('metric'),
    metric: z.string().min(1).describe('Name of a run output, e.g. "test_rmse".'),
    min: z.number().optional(),
    max: z.number().optional(),
    format: Format.optional(),
  })
  .strict()
  .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'a metric check needs "min", "max" or both' });

const CompareCheck = z
  .object({
    ...checkBase,
    kind: z.literal('compare'),
    metric: z.string().min(1).describe('Run output under test.'),
    baseline: z.string().min(1).describe('Run output it is compared with (a baseline model trained in the same run).'),
    maxRatio: z.number().positive().optional().describe('metric ≤ maxRatio × baseline'),
    minRatio: z.number().positive().optional().describe('metric ≥ minRatio × baseline'),
    format: Format.optional(),
  })
  .strict()
  .refine((c) => c.maxRatio !== undefined || c.minRatio !== undefined, {
    message: 'a compare check needs "maxRatio", "minRatio" or both',
  });

const ConvergedCheck = z
  .object({
    ...checkBase,
    kind: z.literal('converged'),
    series: z.string().default('val_loss').describe('Per-epoch metric to inspect.'),
    window: z.number().int().min(2).default(5).describe('Number of final epochs to compare.'),
    maxRelativeDrop: z
      .number()
      .positive()
      .default(0.02)
      .describe('Fail if the series still fell by more than this fraction over the window.'),
  })
  .strict();

const StableCheck = z
  .object({
    ...checkBase,
    kind: z.literal('stable'),
    series: z.string().default('loss'),
    maxRiseRatio: z
      .number()
      .min(1)
      .default(1.5)
      .describe('Fail if the final value is more than this times the best value (the curve blew up).'),
  })
  .strict();

const CodeCheck = z
  .object({
    ...checkBase,
    kind: z.literal('code'),
    file: relPath.describe('Learner file the rule reads.'),
    rule: z.enum(['no-todo', 'forbid', 'require']),
    pattern: z.string().optional().describe('Regular expression for "forbid" and "require".'),
  })
  .strict()
  .refine((c) => c.rule === 'no-todo' || c.pattern !== undefined, {
    message: '"forbid" and "require" rules need a "pattern"',
  });

export const Check = z.union([MetricCheck, CompareCheck, ConvergedCheck, StableCheck, CodeCheck]);
export type Check = z.infer<typeof Check>;

const Hyperparameter = z
  .object({
    type: z.enum(['double', 'integer', 'categorical']),
    min: z.number().optional(),
    max: z.number().optional(),
    values: z.array(z.union([z.string(), z.number()])).optional(),
    scale: z.enum(['linear', 'log']).optional(),
    description: z.string().optional(),
  })
  .strict();
export type Hyperparameter = z.infer<typeof Hyperparameter>;

const Split = z
  .object({
    train: z.number().gt(0).lt(1),
    validation: z.number().min(0).lt(1),
    test: z.number().gt(0).lt(1),
  })
  .strict()
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-9, { message: 'train + validation + test must be 1' });

const Data = z
  .object({
    dataset: z.enum(['california-housing', 'synthetic-linear']).describe('Built-in data set the harness loads.'),
    split: Split,
    shuffleSeed: z.number().int().describe('Seed of the shuffle before the split (fixed per lab, so every learner sees the same held-out rows).'),
    rows: z.number().int().positive().optional().describe('Use only the first N rows after shuffling (synthetic sets: how many to generate).'),
  })
  .strict();

export const LabManifest = z
  .object({
    $schema: z.string().optional(),
    formatVersion: z.literal(LAB_FORMAT_VERSION),
    id,
    title: z.string().min(1),
    summary: z.string().min(1).describe('One line for the catalog.'),
    module: z
      .object({ number: z.number().int().min(1).max(5), title: z.string().min(1) })
      .strict()
      .describe('Module of the course the lab belongs to.'),
    order: z.number().int().min(0).describe('Position within the module.'),
    instructions: relPath.default('README.md'),
    files: z
      .array(relPath)
      .min(1)
      .describe('Files the learner edits; the first is the entry point the harness loads.'),
    harness: z.enum(['regression']).describe('How the runner drives the learner code.'),
    training: z
      .object({
        optimizer: z.enum(OPTIMIZERS).default('sgd').describe('Optimizer the harness compiles the model with, unless the learner compiles it.'),
      })
      .strict()
      .default({ optimizer: 'sgd' }),
    exports: z
      .array(z.string().regex(/^[A-Za-z_$][\w$]*$/))
      .min(1)
      .describe('Names the entry file must export.'),
    data: Data,
    hyperparameters: z.record(z.string(), Hyperparameter).default({}),
    backend: z
      .object({
        auto: z
          .array(z.enum(BACKENDS))
          .min(1)
          .optional()
          .describe('Order tried by "auto" (default tensorflow, wasm, cpu), from the backend benchmark.'),
        reason: z.string().optional().describe('Why this lab prefers its order.'),
      })
      .strict()
      .default({}),
    timeBudgetSeconds: z.number().positive().max(3600).default(60),
    checks: z.array(Check).min(1),
    solutions: z
      .object({
        reference: relPath,
        wrong: z
          .array(
            z
              .object({
                file: relPath,
                why: z.string().min(1),
                fails: z.array(id).min(1).describe('Checks this solution must fail.'),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .describe('Not copied to learners: used by the course check and the tests.'),
  })
  .strict()
  .superRefine((lab, ctx) => {
    const seen = new Set<string>();
    lab.checks.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'id'], message: `duplicate check id "${c.id}"` });
      seen.add(c.id);
    });
    lab.solutions.wrong.forEach((w, i) =>
      w.fails.forEach((f, j) => {
        if (!seen.has(f)) {
          ctx.addIssue({ code: 'custom', path: ['solutions', 'wrong', i, 'fails', j], message: `no check with id "${f}"` });
        }
      }),
    );
  });
export type LabManifest = z.infer<typeof LabManifest>;

/** Human-readable list of what is wrong, one line per issue, each naming its field. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '(top level)';
    return `${where.replace(/^\./, '')}: ${issue.message}`;
  });
}
