// What the dashboard's messages carry — runs, their epochs and code, labs, hyperparameter studies —
// one zod schema each, with the limits that keep a message bounded. Browser-safe: imports only zod
// and other browser-safe schemas.
import * as z from 'zod/mini';
import '../zodMessages';
import { GradeReport } from '../grade/report';
import { Hyperparameters } from '../run/protocol';

/** Same list as RUN_STATUSES in run/store.ts (a unit test keeps them equal); run/store.ts needs Node. */
export const DASHBOARD_RUN_STATUSES = ['running', 'completed', 'diverged', 'failed', 'cancelled', 'timeout', 'crashed', 'oom', 'interrupted'] as const;
export type DashboardRunStatus = (typeof DASHBOARD_RUN_STATUSES)[number];

/** The charts a lab can ask for. */
export const CHART_KINDS = ['loss', 'rmse', 'accuracy', 'confusion'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

// Bounds keep a broken or hostile sender from making either side allocate without limit.
export const LIMITS = {
  runs: 2000,
  epochsPerRun: 1_000_000,
  metricsPerRun: 64,
  text: 20_000,
  /** A PNG of the chart at 2× pixel ratio is a few hundred kB; 24 MB leaves room for 4k screens. */
  pngDataUrl: 24 * 1024 * 1024,
  matrixClasses: 100,
  studies: 500,
  trials: 10_000,
  params: 64,
  /** Categorical or discrete values of one parameter. */
  paramValues: 1000,
  /** A trial's error as the table shows it; the journal keeps it whole. */
  trialError: 2000,
} as const;

export const Id = z.string().check(z.minLength(1), z.maxLength(200));
export const Text = z.string().check(z.maxLength(LIMITS.text));
export const maxString = (n: number) => z.string().check(z.maxLength(n));
export const count = () => z.int().check(z.minimum(1));
export const MetricName = z.string().check(
  z.regex(/^[A-Za-z0-9_.:/@-]{1,64}$/, 'metric names are 1–64 letters, digits or _.:/@-'),
  // "__proto__" or "constructor" as a key would reach Object.prototype instead of a column.
  z.refine((n) => !(n in Object.prototype), 'reserved name'),
);

/** A column of metric values; null marks a missing or non-finite value. Checked in one loop (fast for 100k points). */
const MetricColumn = z.custom<(number | null)[]>(
  (v) => Array.isArray(v) && v.length <= LIMITS.epochsPerRun && v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x))),
  { message: 'expected an array of finite numbers or null' },
);

/** Epoch numbers: integers ≥ 1, strictly increasing. */
const EpochColumn = z.custom<number[]>(
  (v) => {
    if (!Array.isArray(v) || v.length > LIMITS.epochsPerRun) return false;
    let prev = 0;
    for (const x of v) {
      if (typeof x !== 'number' || !Number.isInteger(x) || x <= prev) return false;
      prev = x;
    }
    return true;
  },
  { message: 'expected strictly increasing epoch numbers ≥ 1' },
);

const ElapsedColumn = z.custom<number[]>(
  (v) => Array.isArray(v) && v.length <= LIMITS.epochsPerRun && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0),
  { message: 'expected an array of elapsed milliseconds' },
);

/**
 * Epochs in columns rather than one object per epoch: validating and cloning 100k points this way
 * is several times cheaper, which is what keeps the first draw of a big run fast.
 */
export const EpochColumns = z
  .object({
    epoch: EpochColumn,
    elapsedMs: ElapsedColumn,
    metrics: z.record(MetricName, MetricColumn),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.elapsedMs.length !== c.epoch.length)
        ctx.addIssue({ code: 'custom', input: c.elapsedMs, path: ['elapsedMs'], message: 'length differs from epoch' });
      const names = Object.keys(c.metrics);
      if (names.length > LIMITS.metricsPerRun) ctx.addIssue({ code: 'custom', input: c.metrics, path: ['metrics'], message: 'too many metrics' });
      for (const name of names) {
        if (c.metrics[name]!.length !== c.epoch.length)
          ctx.addIssue({ code: 'custom', input: c.metrics[name], path: ['metrics', name], message: 'length differs from epoch' });
      }
    }),
  );
export type EpochColumns = z.infer<typeof EpochColumns>;

/** Why a run's curve stops: drawn as a marker at `epoch` (the last epoch drawn when absent). */
export const RunMarker = z.object({
  kind: z.enum(['diverged', 'cancelled', 'failed', 'timeout', 'crashed', 'oom', 'interrupted']),
  epoch: z.optional(count()),
  message: Text,
});
export type RunMarker = z.infer<typeof RunMarker>;

export const ConfusionMatrix = z
  .object({
    labels: z.array(maxString(200)).check(z.minLength(2), z.maxLength(LIMITS.matrixClasses)),
    /** matrix[actual][predicted] = count. */
    matrix: z.array(z.array(z.number().check(z.gte(0))).check(z.maxLength(LIMITS.matrixClasses))).check(z.maxLength(LIMITS.matrixClasses)),
  })
  .check(
    z.refine(
      (m) => m.matrix.length === m.labels.length && m.matrix.every((row) => row.length === m.labels.length),
      'the matrix must be square with one row and column per label',
    ),
  );
export type ConfusionMatrix = z.infer<typeof ConfusionMatrix>;

/** How a run's code differs from the previous run's (each run keeps its code in `.mllabs/runs/<id>/source/`). */
export const RunCode = z.object({
  /** One line: "labelScale 1 → 100_000; features() changed", "same code", "first run". */
  summary: maxString(500),
  changed: z.boolean(),
  /** "@@ model.ts:14", "- old line", "+ new line". */
  diff: z.array(maxString(400)).check(z.maxLength(200)),
  /** The run compared with. */
  previous: z.optional(Id),
  /** The run's code files, relative to its source/ folder (the first is the lab's entry file). */
  files: z.array(maxString(300)).check(z.maxLength(50)),
});
export type RunCode = z.infer<typeof RunCode>;

/** What the dashboard shows about a run, without its epochs. */
const runInfoShape = {
  id: Id,
  /** The run's number in the lab and its hyperparameters, e.g. "#3 lr 0.01 · batch 32 · epochs 20". */
  label: maxString(500),
  /** 1 for the lab's first run, in the order runs were created. */
  number: z.optional(count()),
  /** The seed the run drew its randomness from (it reproduces the run with `--seed`). */
  seed: z.optional(z.number()),
  /** Set when a hyperparameter study ran it: its trial number. */
  trial: z.optional(count()),
  code: z.optional(RunCode),
  hyperparameters: Hyperparameters,
  status: z.enum(DASHBOARD_RUN_STATUSES),
  createdAt: maxString(100),
  backend: z.optional(maxString(100)),
  backendReason: z.optional(Text),
  epochsPlanned: z.optional(z.int().check(z.minimum(0))),
  diagnosis: z.optional(Text),
  marker: z.optional(RunMarker),
  confusion: z.optional(ConfusionMatrix),
};
export const RunInfo = z.object(runInfoShape);
export type RunInfo = z.infer<typeof RunInfo>;

export const RunSnapshot = z.object({ ...runInfoShape, epochs: EpochColumns, grade: z.optional(GradeReport) });
export type RunSnapshot = z.infer<typeof RunSnapshot>;

export const LabInfo = z.object({
  id: maxString(200),
  title: maxString(500),
  /** The lab folder; kept in the webview's saved state so the panel can be restored after a reload. */
  folder: maxString(4096),
  /** The label's unit: errors in it (RMSE) read in dollars when it is a price. */
  labelUnit: z.optional(z.enum(['dollars'])),
});
export type LabInfo = z.infer<typeof LabInfo>;

export const ChartList = z.array(z.enum(CHART_KINDS)).check(z.maxLength(CHART_KINDS.length));

// ── hyperparameter studies ───────────────────────────────────────────────────────────────────

/** Same lists as in tuner/trial.ts and tuner/spec.ts (a unit test keeps them equal); those modules need Node. */
export const STUDY_TRIAL_STATES = ['running', 'completed', 'pruned', 'failed', 'interrupted'] as const;
export type StudyTrialState = (typeof STUDY_TRIAL_STATES)[number];
export const STUDY_PARAM_TYPES = ['DOUBLE', 'INTEGER', 'CATEGORICAL', 'DISCRETE'] as const;
export const STUDY_SCALES = ['UNIT_LINEAR_SCALE', 'UNIT_LOG_SCALE', 'UNIT_REVERSE_LOG_SCALE'] as const;
export const STUDY_SAMPLERS = ['grid', 'random', 'bayesian'] as const;
export const VALUE_FORMATS = ['number', 'dollars', 'percent'] as const;

/** A study id names its folder: no separators, no leading dot (the tuner's own rule). */
export const StudyId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'not a study id'));
/** A parameter name is a key of every trial's params, so it may not reach Object.prototype. */
const ParamName = z.string().check(
  z.minLength(1),
  z.maxLength(200),
  z.refine((n) => !(n in Object.prototype), 'reserved name'),
);
const ParamValue = z.union([z.number(), maxString(1000)]);
const Count = z.int().check(z.minimum(0));

export const StudyParam = z.object({
  name: ParamName,
  type: z.enum(STUDY_PARAM_TYPES),
  /** Absent for categorical parameters. */
  scale: z.optional(z.enum(STUDY_SCALES)),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  /** Categorical or discrete parameters: the values to choose from, in the spec's order. */
  values: z.optional(z.array(ParamValue).check(z.maxLength(LIMITS.paramValues))),
});
export type StudyParam = z.infer<typeof StudyParam>;

export const StudyTrial = z.object({
  number: count(),
  state: z.enum(STUDY_TRIAL_STATES),
  params: z.record(ParamName, ParamValue),
  /** completed: the objective; pruned: the last value reported; null when that was not a number. */
  objective: z.optional(z.nullable(z.number())),
  durationMs: z.optional(z.number().check(z.gte(0))),
  error: z.optional(maxString(LIMITS.trialError)),
  /** Intermediate values reported (epochs, for a lab), and the step of the last one. */
  steps: Count,
  lastStep: z.optional(z.number()),
  /** This trial re-runs the parameters of an interrupted one. */
  retryOf: z.optional(count()),
  createdAt: maxString(100),
});
export type StudyTrial = z.infer<typeof StudyTrial>;

/** What the study selector shows about a study. */
const studySummaryShape = {
  id: StudyId,
  goal: z.enum(['MAXIMIZE', 'MINIMIZE']),
  /** The objective's name: the spec's hyperparameterMetricTag, or the lab's default. */
  metric: maxString(200),
  /** How its values read (the host knows the lab's label unit). */
  format: z.enum(VALUE_FORMATS),
  sampler: z.enum(STUDY_SAMPLERS),
  maxTrials: count(),
  maxParallelTrials: count(),
  earlyStopping: z.boolean(),
  counts: z.object({ running: Count, completed: Count, pruned: Count, failed: Count, interrupted: Count }),
  best: z.optional(z.object({ number: count(), objective: z.number() })),
  /** A process is running the study now. */
  active: z.boolean(),
  /** When its first trial was created. */
  startedAt: z.optional(maxString(100)),
};
export const StudySummary = z.object(studySummaryShape);
export type StudySummary = z.infer<typeof StudySummary>;

export const StudyDetail = z
  .object({
    ...studySummaryShape,
    params: z.array(StudyParam).check(z.minLength(1), z.maxLength(LIMITS.params)),
    trials: z.array(StudyTrial).check(z.maxLength(LIMITS.trials)),
    /** Journal lines that were skipped, and the like. */
    warnings: z.array(Text).check(z.maxLength(100)),
  })
  .check(
    z.superRefine((s, ctx) => {
      let prev = 0;
      for (const [i, t] of s.trials.entries()) {
        if (t.number <= prev) ctx.addIssue({ code: 'custom', input: t.number, path: ['trials', i, 'number'], message: 'trial numbers must increase' });
        prev = t.number;
      }
      // The best must be a completed trial with that objective: the table and charts mark it.
      if (s.best) {
        const best = s.best;
        const t = s.trials.find((x) => x.number === best.number);
        if (!t || t.state !== 'completed' || t.objective !== best.objective) {
          ctx.addIssue({ code: 'custom', input: best, path: ['best'], message: 'the best is not a completed trial of the study' });
        }
      }
    }),
  );
export type StudyDetail = z.infer<typeof StudyDetail>;

export const StudyList = z.array(StudySummary).check(z.maxLength(LIMITS.studies));
