// Wrong: plain SGD at rate 0.9 (the optimizer is the learner's to choose here): each step overshoots,
// and the loss blows up.
import * as tf from '@tensorflow/tfjs';

export const hyperparameters = {
  optimizer: 'sgd',
  learningRate: 0.9,
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
