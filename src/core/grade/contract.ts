// The model contract a task asks for: the output layer (how many units, which activation) and the
// loss that make the outputs what the lab grades — any number for a regression, a probability for a
// yes/no question, a distribution over exclusive classes. The evaluator counts the mismatches as a
// run output (a check can hold a model to it); the causes output-head and loss-mismatch explain them.
import type { ModelEvidence } from './evidence';

/** Loss names, as TensorFlow.js and Keras spell them, for each kind of output. */
export const SQUARED_ERROR = new Set(['meanSquaredError', 'mse', 'MSE', 'mean_squared_error']);
export const CROSS_ENTROPY_MULTI = new Set([
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
]);
export const CROSS_ENTROPY_BINARY = new Set(['binaryCrossentropy', 'binary_crossentropy']);

export type Task = 'regression' | 'binary' | 'multiclass';

/** The output layer fits the task: linear for a regression, one sigmoid (or two softmax) for yes/no, one softmax unit per class. */
export function headFits(task: Task, m: Pick<ModelEvidence, 'outputUnits' | 'outputActivation'>, classes = 0): boolean {
  const act = m.outputActivation;
  if (task === 'regression') return act === 'linear';
  if (task === 'binary') return (m.outputUnits === 1 && act === 'sigmoid') || (m.outputUnits === 2 && act === 'softmax');
  return m.outputUnits === classes && act === 'softmax';
}

/** The loss fits the task: the squared error for a regression, the cross-entropy that matches the head otherwise. */
export function lossFits(task: Task, m: Pick<ModelEvidence, 'loss' | 'outputUnits' | 'compiledByLab'>): boolean {
  if (m.compiledByLab) return true;
  if (task === 'regression') return SQUARED_ERROR.has(m.loss);
  if (task === 'binary') return CROSS_ENTROPY_BINARY.has(m.loss) || (m.outputUnits === 2 && CROSS_ENTROPY_MULTI.has(m.loss));
  return CROSS_ENTROPY_MULTI.has(m.loss);
}

/** How many parts of the contract (output layer, loss) the model misses: 0, 1 or 2. */
export function contractProblems(task: Task, m: ModelEvidence, classes = 0): number {
  return (headFits(task, m, classes) ? 0 : 1) + (lossFits(task, m) ? 0 : 1);
}
