// Optimizers by name, and from the configuration a compiled model saves. The evaluator rebuilds a
// learner's optimizer from plain data and a fixed list of classes: nothing is looked up by a name
// the learner chose beyond these.
import type * as tfTypes from '@tensorflow/tfjs';
import { ContractError } from './errors';

type Tf = typeof import('@tensorflow/tfjs');

export function makeOptimizer(tf: Tf, name: unknown, learningRate: number): tfTypes.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, 0.9);
    case 'adam':
      return tf.train.adam(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    default:
      throw new ContractError(`hyperparameters.optimizer "${String(name)}" is not one of sgd, momentum, adam, rmsprop, adagrad`);
  }
}

function num(config: Record<string, unknown>, key: string, fallback: number): number {
  const v = config[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The optimizer classes a saved model may name, with their defaults where the config is silent. */
const FROM_CONFIG: Record<string, (tf: Tf, c: Record<string, unknown>) => tfTypes.Optimizer> = {
  SGD: (tf, c) => tf.train.sgd(num(c, 'learningRate', 0.01)),
  Momentum: (tf, c) => tf.train.momentum(num(c, 'learningRate', 0.01), num(c, 'momentum', 0.9), c.useNesterov === true),
  Adam: (tf, c) => tf.train.adam(num(c, 'learningRate', 0.001), num(c, 'beta1', 0.9), num(c, 'beta2', 0.999), num(c, 'epsilon', 1e-7)),
  Adamax: (tf, c) => tf.train.adamax(num(c, 'learningRate', 0.002), num(c, 'beta1', 0.9), num(c, 'beta2', 0.999), num(c, 'epsilon', 1e-7), num(c, 'decay', 0)),
  RMSProp: (tf, c) =>
    tf.train.rmsprop(num(c, 'learningRate', 0.001), num(c, 'decay', 0.9), num(c, 'momentum', 0), num(c, 'epsilon', 1e-7), c.centered === true),
  Adagrad: (tf, c) => tf.train.adagrad(num(c, 'learningRate', 0.01), num(c, 'initialAccumulatorValue', 0.1)),
  Adadelta: (tf, c) => tf.train.adadelta(num(c, 'learningRate', 0.001), num(c, 'rho', 0.95), num(c, 'epsilon', 1e-7)),
};

export const OPTIMIZER_CLASSES = Object.keys(FROM_CONFIG);

/** Rebuilds an optimizer from { class_name, config }; undefined when the class is not one of ours. */
export function optimizerFromConfig(tf: Tf, saved: unknown): tfTypes.Optimizer | undefined {
  const s = saved as { class_name?: unknown; config?: unknown } | undefined;
  const make = typeof s?.class_name === 'string' && Object.hasOwn(FROM_CONFIG, s.class_name) ? FROM_CONFIG[s.class_name] : undefined;
  if (!make) return undefined;
  return make(tf, (s?.config && typeof s.config === 'object' ? s.config : {}) as Record<string, unknown>);
}
