// Correct, and different from the reference: a GRU, a recurrent layer with fewer gates than the LSTM
// (and so fewer weights), with a state of 12 values.
import * as tf from '@tensorflow/tfjs';

export const hyperparameters = {
  optimizer: 'adam',
  learningRate: 0.03,
  batchSize: 32,
  steps: 200,
  units: 12,
};

export interface Model {
  lstm: tf.layers.Layer;
  head: tf.layers.Layer;
}

export function createModel(hp: typeof hyperparameters): Model {
  return {
    lstm: tf.layers.gru({ units: hp.units }),
    head: tf.layers.dense({ units: 1 }),
  };
}

export function predict(model: Model, inputs: tf.Tensor): tf.Tensor {
  const sequence = inputs.reshape([-1, 9, 1]);
  const state = model.lstm.apply(sequence) as tf.Tensor;
  return model.head.apply(state) as tf.Tensor;
}

export function loss(predictions: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.meanSquaredError(labels, predictions) as tf.Scalar;
}

export function trainStep(model: Model, optimizer: tf.Optimizer, inputs: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return optimizer.minimize(() => loss(predict(model, inputs), labels), true) as tf.Scalar;
}
