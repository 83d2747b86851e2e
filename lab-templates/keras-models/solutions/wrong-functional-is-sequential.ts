// Typical mistake: the functional model was asked for, but buildFunctional() wraps the same layers
// in tf.sequential — it works, but it is the Sequential API again.
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

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mean: this.mean, std: this.std };
  }
}
tf.serialization.registerClass(Standardize);

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

export function buildFunctional(numFeatures: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(new Standardize({ mean: MEAN, std: STD, inputShape: [numFeatures] }));
  model.add(tf.layers.dense({ units: 12, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 8, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 64,
  epochs: 8,
};
