// The messages between the evaluator (trusted: it owns the data, the labels and every measurement) and
// the learner's process (untrusted: it runs the learner's code). One schema per message; the evaluator
// validates everything it receives, and accepts a result only in the stage that asks for it.
import * as z from 'zod/mini';
import '../../core/zodMessages';
import { BACKEND_CHOICES, LabManifest } from '../../core/lab/manifest';
import { backendReportShape, Hyperparameters, Metrics, progressShape, SourceLocation } from '../../core/run/protocol';
import { Matrix, ModelArtifacts } from './wire';

const Cell = z.union([z.number(), z.string(), z.null(), z.array(z.number())]);

/** Rows as columns (far quicker to send and read than one object per row): never their label. */
export const Columns = z.object({
  count: z.int().check(z.minimum(0)),
  /** Each column's values, one per row, by column name. */
  columns: z.record(z.string(), z.array(Cell)),
});
export type Columns = z.infer<typeof Columns>;

export const Rows = z.object({ train: Columns, validation: Columns, test: Columns });
export type Rows = z.infer<typeof Rows>;

type CellValue = z.infer<typeof Cell>;

/** Rows → columns, leaving out the hidden ones. */
export function toColumns(rows: readonly Record<string, unknown>[], hidden: readonly string[]): Columns {
  const names = rows.length ? Object.keys(rows[0]).filter((k) => !hidden.includes(k)) : [];
  const columns: Record<string, CellValue[]> = {};
  for (const name of names) columns[name] = rows.map((r) => (r[name] === undefined ? null : (r[name] as CellValue)));
  return { count: rows.length, columns };
}

/** What a builder of the learner's is called with: the width of the inputs, the number of classes, the hyperparameters. */
export const BUILDER_ARGS = ['inputs', 'classes', 'hyperparameters'] as const;

/** Build stage: the learner's code turns rows into features and builds (untrained) models; nothing trains. */
export const BuildPlan = z.object({
  /** Exports read as plain data (hyperparameters, labelScale, network…). */
  values: z.array(z.string()),
  /** Call features(row[, prepared]) on every row, after prepare(trainingRows) when `prepare`. */
  features: z.optional(z.object({ prepare: z.boolean() })),
  models: z.optional(
    z.array(
      z.object({
        name: z.string(),
        builder: z.string(),
        args: z.array(z.enum(BUILDER_ARGS)),
        /** A fixed input width (the lab prepares the inputs itself); default: the width of features(). */
        inputs: z.optional(z.int()),
        classes: z.optional(z.int()),
        optional: z.optional(z.boolean()),
      }),
    ),
  ),
  /** Build the first model again with a third of the learning rate, to see whether it follows the hyperparameters. */
  probeRate: z.optional(z.boolean()),
});
export type BuildPlan = z.infer<typeof BuildPlan>;

/** Train stage: the learner's own code takes part in training, so training happens in its process. */
export const TrainPlan = z.object({
  trainer: z.enum(['custom-training', 'fit-side-by-side']),
  /** fit-side-by-side: the builders of the models trained side by side (the first is the primary). */
  models: z.optional(z.array(z.object({ name: z.string(), builder: z.string() }))),
  /** Exports read as plain data. */
  values: z.array(z.string()),
  /** fit-side-by-side: the inputs the models get (the lab's raw columns), fixed by the lab. */
  columns: z.optional(z.array(z.string())),
});
export type TrainPlan = z.infer<typeof TrainPlan>;

// evaluator → learner, first message.
export const LearnerStart = z.object({
  type: z.literal('start'),
  mode: z.enum(['build', 'train', 'serve']),
  /** The compiled learner bundle. */
  bundle: z.string(),
  labDir: z.string(),
  entry: z.string(),
  entrySource: z.string(),
  manifest: LabManifest,
  overrides: Hyperparameters,
  backend: z.enum(BACKEND_CHOICES),
  nativeDir: z.optional(z.string()),
  seed: z.int(),
  /** The label's column: absent from every row, named when the learner's code reads it. */
  label: z.string(),
  /** build mode: the rows, without their labels, for features(). */
  rows: z.optional(Rows),
  /** train mode: the inputs of the training and validation rows, as the lab prepares them… */
  inputs: z.optional(z.object({ train: Matrix, validation: Matrix })),
  /** …and their labels (never the held-out rows'). */
  labels: z.optional(z.object({ train: Matrix, validation: Matrix })),
  build: z.optional(BuildPlan),
  train: z.optional(TrainPlan),
  /** serve mode: saved models to load afresh, and the inputs to predict. */
  serve: z.optional(z.object({ models: z.array(z.object({ name: z.string(), artifacts: ModelArtifacts })), inputs: Matrix })),
});
export type LearnerStart = z.infer<typeof LearnerStart>;

// evaluator → learner, train mode: the held-out inputs, once the model is trained.
export const LearnerPredict = z.object({ type: z.literal('predict'), test: Matrix, validation: Matrix });
export type LearnerPredict = z.infer<typeof LearnerPredict>;

export const ToLearner = z.discriminatedUnion('type', [LearnerStart, LearnerPredict]);
export type ToLearner = z.infer<typeof ToLearner>;

// learner → evaluator: the backend in use, and whether the process is confined.
export const LearnerReady = z.object({ type: z.literal('ready'), ...backendReportShape });

// learner → evaluator: a note for the learner (rate-limited by the evaluator).
export const LearnerLog = z.object({ type: z.literal('log'), level: z.enum(['info', 'warn']), message: z.string().check(z.maxLength(2000)) });

// learner → evaluator, train mode: a point of the training curve, as the learner's process measured it.
export const LearnerEpoch = z.object({ type: z.literal('epoch'), epoch: z.int().check(z.minimum(1)), metrics: Metrics, elapsedMs: z.number() });

// learner → evaluator, train mode: progress inside an epoch.
export const LearnerProgress = z.object(progressShape);

// learner → evaluator, train mode, before training: the effective settings.
export const LearnerStarted = z.object({
  type: z.literal('started'),
  hyperparameters: Hyperparameters,
  epochs: z.int().check(z.minimum(0)),
  features: z.int().check(z.minimum(0)),
});

const PlainValue = z.unknown();

// learner → evaluator, build mode, last message: the features, the exported values and the untrained models.
export const LearnerBuilt = z.object({
  type: z.literal('built'),
  values: z.record(z.string(), PlainValue),
  features: z.optional(z.object({ train: Matrix, validation: Matrix, test: Matrix })),
  /** unusedParams: weights the builder created that are not part of the model (a layer off the way to the output). */
  models: z.array(z.object({ name: z.string(), artifacts: ModelArtifacts, unusedParams: z.optional(z.number()) })),
  /** The learning rate of the model built with a third of the rate (null: it has no readable rate). */
  probeRate: z.optional(z.nullable(z.number())),
  /** That model's optimizer was named as a string in compile() (TensorFlow.js built it with its default rate). */
  optimizerByName: z.optional(z.boolean()),
});
export type LearnerBuilt = z.infer<typeof LearnerBuilt>;

// learner → evaluator, train mode, after training: the trained models (when they can be saved) and
// facts only the learner's process can observe (which weights changed, what loss() returns…).
export const LearnerTrained = z.object({
  type: z.literal('trained'),
  values: z.record(z.string(), PlainValue),
  models: z.array(z.object({ name: z.string(), artifacts: z.optional(ModelArtifacts), error: z.optional(z.string()) })),
  facts: Metrics,
  status: z.enum(['completed', 'diverged']),
  diagnosis: z.optional(z.string()),
});
export type LearnerTrained = z.infer<typeof LearnerTrained>;

// learner → evaluator, train or serve mode, last message: predictions for the inputs it was given.
export const LearnerPredictions = z.object({
  type: z.literal('predictions'),
  /** One matrix per model (train mode: the trained models; serve mode: the reloaded ones), for the test rows. */
  test: z.record(z.string(), Matrix),
  validation: z.optional(z.record(z.string(), Matrix)),
});
export type LearnerPredictions = z.infer<typeof LearnerPredictions>;

// learner → evaluator, last message of a process that could not do its stage.
export const LearnerError = z.object({
  type: z.literal('error'),
  kind: z.enum(['learner', 'contract', 'internal']),
  message: z.string().check(z.maxLength(20_000)),
  location: z.optional(SourceLocation),
  stack: z.optional(z.string().check(z.maxLength(20_000))),
});
export type LearnerErrorMessage = z.infer<typeof LearnerError>;

export const FromLearner = z.discriminatedUnion('type', [
  LearnerReady,
  LearnerLog,
  LearnerEpoch,
  LearnerProgress,
  LearnerStarted,
  LearnerBuilt,
  LearnerTrained,
  LearnerPredictions,
  LearnerError,
]);
export type FromLearner = z.infer<typeof FromLearner>;
export type LearnerReadyMessage = z.infer<typeof LearnerReady>;
