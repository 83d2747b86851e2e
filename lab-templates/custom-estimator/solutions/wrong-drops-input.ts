// Wrong: the sequence is cut to its last eight values before the LSTM (an off-by-one in the slice),
// so the model never sees the first value. On smooth sine waves it hardly shows in the error, which
// is why the lab checks that every input reaches the prediction.
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
  const sequence = inputs.slice([0, 1], [-1, 8]).reshape([-1, 8, 1]);
  const state = model.lstm.apply(sequence) as tf.Tensor;
  return model.head.apply(state) as tf.Tensor;
}

export function loss(predictions: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.meanSquaredError(labels, predictions) as tf.Scalar;
}

export function trainStep(model: Model, optimizer: tf.Optimizer, inputs: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return optimizer.minimize(() => loss(predict(model, inputs), labels), true) as tf.Scalar;
}
