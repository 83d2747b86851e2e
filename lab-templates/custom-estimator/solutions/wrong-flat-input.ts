// Wrong: the LSTM is fed the [batch, 9] rows as they come. A recurrent layer reads a sequence of
// vectors, [batch, time steps, values per step], so TensorFlow.js refuses a 2-D tensor.
import * as tf from '@tensorflow/tfjs';

export const hyperparameters = {
  optimizer: 'adam',
  learningRate: 0.03,
  batchSize: 32,
  steps: 200,
  units: 8,
};

export interface Model {
  lstm: tf.layers.Layer;
  head: tf.layers.Layer;
}

export function createModel(hp: typeof hyperparameters): Model {
  return {
    lstm: tf.layers.lstm({ units: hp.units }),
    head: tf.layers.dense({ units: 1 }),
  };
}

export function predict(model: Model, inputs: tf.Tensor): tf.Tensor {
  const state = model.lstm.apply(inputs) as tf.Tensor;
  return model.head.apply(state) as tf.Tensor;
}

export function loss(predictions: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.meanSquaredError(labels, predictions) as tf.Scalar;
}

export function trainStep(model: Model, optimizer: tf.Optimizer, inputs: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return optimizer.minimize(() => loss(predict(model, inputs), labels), true) as tf.Scalar;
}
