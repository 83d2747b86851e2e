// A custom estimator: your own model function — see README.md for the steps and what to expect.
// The harness owns the plumbing: it generates the sine sequences, cuts them into batches, creates
// the optimizer from your hyperparameters, calls trainStep() once per step, draws the curves from
// the validation sequences, and grades predict() on held-out sequences your code never sees.
import * as tf from '@tensorflow/tfjs';

export const hyperparameters = {
  optimizer: 'adam', // the harness creates it: sgd, momentum, adam, rmsprop or adagrad
  learningRate: 0.03,
  batchSize: 32, // sequences per training step
  steps: 200, // calls of trainStep()
  units: 8, // size of the LSTM's state
};

// The model's state: everything it learns. Two layers, used as plain functions: an LSTM that reads a
// sequence one value at a time, and a dense "head" that turns the LSTM's last output into a number.
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

// Step 1 — the architecture. `inputs` has shape [batch, 9]: the first nine values of each sequence.
// Return one prediction per sequence, shape [batch, 1].
// TODO: run the LSTM over the sequence, then the head over the LSTM's output. An LSTM reads
// [batch, time steps, values per step]. Until then the head reads the nine values directly, and
// the LSTM is never used.
export function predict(model: Model, inputs: tf.Tensor): tf.Tensor {
  return model.head.apply(inputs) as tf.Tensor;
}

// Step 2 — the loss: how far `predictions` ([batch, 1]) are from `labels` ([batch, 1]).
// TODO: return the mean squared error (tf.losses.meanSquaredError, or sub, square and mean).
export function loss(predictions: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.scalar(0);
}

// Step 3 — one training step on one batch: return the batch's loss (a scalar tensor).
// TODO: this only measures the loss. Let the optimizer compute its gradients with respect to the
// model's weights and apply them: optimizer.minimize(() => <the loss>, true) does both and returns
// the loss.
export function trainStep(model: Model, optimizer: tf.Optimizer, inputs: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return loss(predict(model, inputs), labels);
}
