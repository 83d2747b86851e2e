// Correct, and different from the reference: the course's Keras variant — no recurrence, a dense
// layer of 32 ReLU units reads the nine values at once, then a linear output.
import * as tf from '@tensorflow/tfjs';

export const hyperparameters = {
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  steps: 600,
  units: 8,
};

export interface Model {
  hidden: tf.layers.Layer;
  head: tf.layers.Layer;
}

export function createModel(hp: typeof hyperparameters): Model {
  return {
    hidden: tf.layers.dense({ units: 4 * hp.units, activation: 'relu' }),
    head: tf.layers.dense({ units: 1 }),
  };
}

export function predict(model: Model, inputs: tf.Tensor): tf.Tensor {
  const hidden = model.hidden.apply(inputs) as tf.Tensor;
  return model.head.apply(hidden) as tf.Tensor;
}

export function loss(predictions: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.meanSquaredError(labels, predictions) as tf.Scalar;
}

export function trainStep(model: Model, optimizer: tf.Optimizer, inputs: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return optimizer.minimize(() => loss(predict(model, inputs), labels), true) as tf.Scalar;
}
