// Keras models: one regression, two APIs, one export — see README.md for the steps.
// The harness trains both of your models with its own loop, exports each to model.json + weights.bin
// in the run's folder (.mllabs/runs/<run>/export/), loads the files back and predicts again.
import * as tf from '@tensorflow/tfjs';

// The lab gives both models the eight numeric columns of a block, raw, as a server would receive
// them (a missing count of bedrooms is filled with the median): the model standardizes them itself.

// The model learns the price in units of $100k.
export const labelScale = 100_000;

// Mean and standard deviation of each column over the whole data set.
const MEAN = [-119.6, 35.63, 28.64, 2636, 537.9, 1425, 499.5, 3.871];
const STD = [2.003, 2.136, 12.59, 2182, 421.4, 1132, 382.3, 1.9];

/** A custom layer: (x − mean) / std per column, with the statistics fixed when the model is built. */
export class Standardize extends tf.layers.Layer {
  static className = 'Standardize';
  private readonly mean: number[];
  private readonly std: number[];

  constructor(config: { mean: number[]; std: number[]; inputShape?: number[]; name?: string }) {
    super(config);
    this.mean = config.mean;
    this.std = config.std;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return x.sub(tf.tensor1d(this.mean)).div(tf.tensor1d(this.std));
    });
  }

  // Step 3 — TODO: saving a model stores each layer's class name and its getConfig(); loading
  // calls the class again with that config. Return the statistics too:
  //   override getConfig() { return { ...super.getConfig(), mean: this.mean, std: this.std }; }
}
// Step 3 — TODO: tell TensorFlow.js how to rebuild this layer when a model is loaded:
//   tf.serialization.registerClass(Standardize);

// Step 1 — the Sequential API: a stack of layers, each fed by the one before.
export function buildSequential(numFeatures: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      new Standardize({ mean: MEAN, std: STD, inputShape: [numFeatures] }),
      tf.layers.dense({ units: 12, activation: 'relu' }),
      tf.layers.dense({ units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

// Step 2 — TODO: the same model with the functional API: start from tf.input({ shape: [numFeatures] }),
// apply each layer to the previous layer's output (layer.apply(x)), and finish with
// tf.model({ inputs, outputs }). Until then this returns the Sequential model.
export function buildFunctional(numFeatures: number): tf.LayersModel {
  return buildSequential(numFeatures);
}

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 64,
  epochs: 8,
};
