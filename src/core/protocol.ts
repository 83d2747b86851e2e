// The typed messages between the runner host (extension host or CLI) and the runner child process.
// One schema per message, imported by both ends; every message received is validated.
import * as z from 'zod/mini';
import './zodLocale';
import { BACKEND_CHOICES, BACKENDS, LabManifest } from './labManifest';

/** A metric value; non-finite numbers travel as null (JSON has no NaN). */
export const MetricValue = z.nullable(z.number());
export const Metrics = z.record(z.string(), MetricValue);
export type Metrics = z.infer<typeof Metrics>;

export const HyperparameterValue = z.union([z.number(), z.string(), z.boolean()]);
export const Hyperparameters = z.record(z.string(), HyperparameterValue);
export type Hyperparameters = z.infer<typeof Hyperparameters>;

export const SourceLocation = z.object({
  /** Relative to the lab folder, "/" separated. */
  file: z.string(),
  line: z.int().check(z.minimum(1)),
  column: z.int().check(z.minimum(1)),
});
export type SourceLocation = z.infer<typeof SourceLocation>;

// host → child: everything the child needs to run one lab. Sent once, right after fork.
export const StartMessage = z.object({
  type: z.literal('start'),
  labDir: z.string(),
  manifest: LabManifest,
  /** Package root: where the runner finds the course's data sets. */
  installRoot: z.string(),
  backend: z.enum(BACKEND_CHOICES),
  seed: z.int(),
  /** Values that override the learner's exported hyperparameters (used by the tuner). */
  hyperparameters: Hyperparameters,
  /** Folder for the compiled learner bundle. */
  buildDir: z.string(),
  /** Wall-clock time (ms since epoch) after which the child kills itself if the host cannot. */
  deadline: z.number(),
});
export type StartMessage = z.infer<typeof StartMessage>;
export const HostMessage = z.discriminatedUnion('type', [StartMessage]);
export type HostMessage = z.infer<typeof HostMessage>;

export const BackendAttempt = z.object({
  backend: z.enum(BACKENDS),
  ok: z.boolean(),
  detail: z.string(),
});
export type BackendAttempt = z.infer<typeof BackendAttempt>;

// child → host, first message: which TensorFlow.js backend runs, and why.
export const ReadyMessage = z.object({
  type: z.literal('ready'),
  backend: z.enum(BACKENDS),
  reason: z.string(),
  attempts: z.array(BackendAttempt),
  versions: z.record(z.string(), z.string()),
  loadMs: z.number(),
});

// child → host: training is about to start, with the effective settings.
export const StartedMessage = z.object({
  type: z.literal('started'),
  hyperparameters: Hyperparameters,
  epochs: z.int().check(z.minimum(0)),
  rows: z.object({ train: z.int(), validation: z.int(), test: z.int() }),
  features: z.int().check(z.minimum(0)),
});

// child → host: one finished epoch (1-based), with train and validation metrics.
export const EpochMessage = z.object({
  type: z.literal('epoch'),
  epoch: z.int().check(z.minimum(1)),
  metrics: Metrics,
  elapsedMs: z.number(),
});

// child → host: progress inside an epoch, throttled (for progress bars).
export const ProgressMessage = z.object({
  type: z.literal('progress'),
  epoch: z.int().check(z.minimum(1)),
  batch: z.int().check(z.minimum(0)),
  batches: z.int().check(z.minimum(0)),
});

// child → host: something the learner should read (runner notes, warnings).
export const LogMessage = z.object({
  type: z.literal('log'),
  level: z.enum(['info', 'warn']),
  message: z.string(),
});

export const RUN_END_STATUSES = ['completed', 'diverged'] as const;
// child → host, last message of a run that trained: outputs measured by the harness on held-out data.
export const DoneMessage = z.object({
  type: z.literal('done'),
  status: z.enum(RUN_END_STATUSES),
  outputs: Metrics,
  /** Set when training stopped early, e.g. "loss diverged at epoch 3 — learning rate 5 is probably too high". */
  diagnosis: z.optional(z.string()),
  /** Where the time went, in ms: backend, compile, data, prepare, train, evaluate. */
  timings: z.record(z.string(), z.number()),
});

export const ERROR_KINDS = ['compile', 'learner', 'contract', 'data', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
// child → host, last message of a run that could not train.
export const ErrorMessage = z.object({
  type: z.literal('error'),
  kind: z.enum(ERROR_KINDS),
  message: z.string(),
  location: z.optional(SourceLocation),
  stack: z.optional(z.string()),
});

export const ChildMessage = z.discriminatedUnion('type', [
  ReadyMessage,
  StartedMessage,
  EpochMessage,
  ProgressMessage,
  LogMessage,
  DoneMessage,
  ErrorMessage,
]);
export type ChildMessage = z.infer<typeof ChildMessage>;
export type ReadyMessage = z.infer<typeof ReadyMessage>;
export type StartedMessage = z.infer<typeof StartedMessage>;
export type EpochMessage = z.infer<typeof EpochMessage>;
export type DoneMessage = z.infer<typeof DoneMessage>;
export type ErrorMessage = z.infer<typeof ErrorMessage>;

/** Non-finite numbers become null so they survive JSON. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
