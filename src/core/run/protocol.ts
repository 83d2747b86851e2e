// The typed messages between the runner host (extension host or CLI) and the runner child process.
// One schema per message, imported by both ends; every message received is validated.
import * as z from 'zod/mini';
import '../zodMessages';
import { BACKEND_CHOICES, BACKENDS, LabManifest } from '../lab/manifest';

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

// host → evaluator: everything needed to run and measure one lab. Sent once, right after fork.
// The evaluator is trusted: it owns the data, the split and the labels, and never loads learner
// code; it starts the learner's process itself and measures what that process produces.
export const StartMessage = z.object({
  type: z.literal('start'),
  labDir: z.string(),
  manifest: LabManifest,
  /** The learner's files, as read (checked) by the host, by path relative to the lab folder. */
  sources: z.record(z.string(), z.string()),
  /** Package root: where the evaluator finds the course's data sets and the runner. */
  installRoot: z.string(),
  backend: z.enum(BACKEND_CHOICES),
  seed: z.int(),
  /** Seed of the shuffle before the split; default: the lab's own (official grading uses a secret one). */
  splitSeed: z.optional(z.int()),
  /** Values that override the learner's exported hyperparameters (used by the tuner). */
  hyperparameters: Hyperparameters,
  /** Folder for the compiled learner bundle. */
  buildDir: z.string(),
  /** Wall-clock time (ms since epoch) after which the learner's process is stopped. */
  deadline: z.number(),
  /** Memory limit of the learner's process (MB). */
  memoryMb: z.number(),
  /** Where an on-demand install of the native backend lives, if any. */
  nativeDir: z.optional(z.string()),
  /** Start the learner's process under the inspector on this port (a debugging session; not confined). */
  debugPort: z.optional(z.int()),
});
export type StartMessage = z.infer<typeof StartMessage>;
export const HostMessage = z.discriminatedUnion('type', [StartMessage]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Whether the learner's process ran confined by Node's permission model, and why (not). */
export const Confinement = z.object({ active: z.boolean(), detail: z.string() });
export type Confinement = z.infer<typeof Confinement>;

export const BackendAttempt = z.object({
  backend: z.enum(BACKENDS),
  ok: z.boolean(),
  detail: z.string(),
});
export type BackendAttempt = z.infer<typeof BackendAttempt>;

/** Which TensorFlow.js backend a process runs, why, and what it tried: said by the evaluator and by the learner's process. */
export const backendReportShape = {
  backend: z.enum(BACKENDS),
  reason: z.string(),
  attempts: z.array(BackendAttempt),
  versions: z.record(z.string(), z.string()),
  loadMs: z.number(),
};

/** Where a run is inside an epoch: the evaluator relays it as the learner's process said it. */
export const progressShape = {
  type: z.literal('progress'),
  epoch: z.int().check(z.minimum(1)),
  batch: z.int().check(z.minimum(0)),
  batches: z.int().check(z.minimum(0)),
};

// evaluator → host, first message: which TensorFlow.js backend runs, and why; how the learner's code is confined.
export const ReadyMessage = z.object({ type: z.literal('ready'), ...backendReportShape, confinement: z.optional(Confinement) });

// child → host: training is about to start, with the effective settings.
export const StartedMessage = z.object({
  type: z.literal('started'),
  hyperparameters: Hyperparameters,
  epochs: z.int().check(z.minimum(0)),
  rows: z.object({ train: z.int(), validation: z.int(), test: z.int() }),
  features: z.int().check(z.minimum(0)),
});

/** Who measured a curve: the lab's own training loop, or the learner's process (which may not be believed). */
export const CURVE_SOURCES = ['lab', 'learner'] as const;
export type CurveSource = (typeof CURVE_SOURCES)[number];

// evaluator → host: one finished epoch (1-based), with train and validation metrics.
export const EpochMessage = z.object({
  type: z.literal('epoch'),
  epoch: z.int().check(z.minimum(1)),
  metrics: Metrics,
  elapsedMs: z.number(),
  /** Absent: measured by the lab. */
  source: z.optional(z.enum(CURVE_SOURCES)),
});

// child → host: progress inside an epoch, throttled (for progress bars).
export const ProgressMessage = z.object(progressShape);

// child → host: something the learner should read (runner notes, warnings).
export const LogMessage = z.object({
  type: z.literal('log'),
  level: z.enum(['info', 'warn']),
  message: z.string(),
});

// evaluator → host: what the learner's code printed (capped; the evaluator says when it cut).
export const OutputMessage = z.object({
  type: z.literal('output'),
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
});

/** A file the run leaves for the learner (e.g. an exported model), relative to the run's folder. */
export const RunArtifact = z.object({
  path: z.string().check(z.regex(/^[a-z0-9_-]+(\/[a-z0-9_.-]+)*$/i)),
  base64: z.string(),
});

export const RUN_END_STATUSES = ['completed', 'diverged'] as const;
// evaluator → host, last message of a run that trained: outputs measured by the evaluator on held-out data.
export const DoneMessage = z.object({
  type: z.literal('done'),
  status: z.enum(RUN_END_STATUSES),
  outputs: Metrics,
  /** Outputs only the learner's process could observe (e.g. which of its weights changed): reported, not measured. */
  reported: z.optional(Metrics),
  /** Who trained the model: the lab's own loop in the evaluator, or the learner's process. */
  trainedBy: z.optional(z.enum(CURVE_SOURCES)),
  /** Set when training stopped early, e.g. "loss diverged at epoch 3 — learning rate 5 is probably too high". */
  diagnosis: z.optional(z.string()),
  /** Facts about the model and the data it saw, for the grade's diagnosis. */
  evidence: z.optional(z.record(z.string(), z.unknown())),
  artifacts: z.optional(z.array(RunArtifact)),
  /** Where the time went, in ms: backend, compile, data, prepare, train, evaluate. */
  timings: z.record(z.string(), z.number()),
});

export const ERROR_KINDS = ['compile', 'learner', 'contract', 'data', 'internal', 'protocol', 'timeout', 'oom', 'crashed'] as const;
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
  OutputMessage,
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
