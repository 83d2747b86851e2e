// What the lab saw of a run, for the diagnosis of a failed check: the model's structure, the inputs
// its first trainable layer received, the label as the model learned it, and what always predicting
// the average would have cost. Measured by the evaluator (trusted), stored in the run's record, read
// back with this schema.
import * as z from 'zod/mini';
import '../zodMessages';

export const LayerFact = z.object({
  className: z.string(),
  units: z.optional(z.number()),
  activation: z.optional(z.string()),
  /** The kernel initializer's class (e.g. "GlorotUniform", "Zeros"). */
  initializer: z.optional(z.string()),
  l1: z.optional(z.number()),
  l2: z.optional(z.number()),
  /** Dropout's rate. */
  rate: z.optional(z.number()),
  /** False for a layer whose weights training leaves alone (frozen). */
  trainable: z.optional(z.boolean()),
});
export type LayerFact = z.infer<typeof LayerFact>;

export const ModelEvidence = z.object({
  /** The layers on the way from the input to the output, in order (an unconnected layer is not one). */
  layers: z.array(LayerFact),
  outputUnits: z.number(),
  outputActivation: z.string(),
  loss: z.string(),
  /** The lab chose loss and optimizer (the learner's code did not compile the model). */
  compiledByLab: z.boolean(),
  /** The lab fixes the output layer and the loss (the learner's code cannot change them). */
  headByLab: z.optional(z.boolean()),
  optimizer: z.string(),
  learningRate: z.nullable(z.number()),
  params: z.number(),
  /** Hidden layers that apply a nonlinearity. */
  hiddenActivations: z.number(),
  /** A layer before the first trainable one rescales the inputs (a normalization inside the model). */
  normalizesInside: z.boolean(),
  /** The regularization penalty's share of the final training loss. */
  penaltyShare: z.optional(z.number()),
  /** Weights the learner's code created while building that are not part of the model (reported by its process). */
  unusedParams: z.optional(z.number()),
});
export type ModelEvidence = z.infer<typeof ModelEvidence>;

export const ColumnFact = z.object({
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  /** Correlation with the label on the training rows (regression and binary labels). */
  corr: z.optional(z.nullable(z.number())),
});
export type ColumnFact = z.infer<typeof ColumnFact>;

export const TASKS = ['regression', 'binary', 'multiclass'] as const;

export const Evidence = z.object({
  task: z.enum(TASKS),
  model: z.optional(ModelEvidence),
  /** The inputs the first trainable layer receives, per column, on training rows. */
  inputs: z.optional(z.array(ColumnFact)),
  /** The label as the model learns it (regression: after labelScale). */
  label: z.optional(z.object({ meanAbs: z.number(), std: z.number() })),
  /** The training loss of always predicting the average label (the class shares), in the model's loss. */
  baselineLoss: z.optional(z.number()),
  /** The training loss before the first step. */
  initialLoss: z.optional(z.number()),
  /** The data's numeric columns the learner's code may read, with their correlation with the label on the training rows, strongest first. */
  columns: z.optional(z.array(z.object({ name: z.string(), corr: z.number() }))),
});
export type Evidence = z.infer<typeof Evidence>;
