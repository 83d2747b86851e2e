// The settings of a playground network, as the lab's harness reads them from your `network` export.
// They are TF Playground's controls (playground.tensorflow.org), with the same names and limits.

/**
 * The seven inputs TF Playground offers, computed from a point's coordinates (x1, x2):
 * x1, x2, x1², x2², x1·x2, sin(x1), sin(x2).
 */
export type Feature = 'x1' | 'x2' | 'x1Squared' | 'x2Squared' | 'x1TimesX2' | 'sinX1' | 'sinX2';

/** Activation of the hidden neurons (the output neuron is always tanh for classification). */
export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear';

/** L1 sets weights to exactly zero (the link disappears); L2 only shrinks them. */
export type Regularization = 'none' | 'L1' | 'L2';

export interface Network {
  /** The inputs the network sees; any of the seven, in any order. */
  features: Feature[];
  /** Neurons per hidden layer, input side first: 0–6 layers of 1–8 neurons. [] is a linear model. */
  hidden: number[];
  activation: Activation;
  /** Step size of gradient descent: 0.00001–10 (TF Playground's default is 0.03). */
  learningRate: number;
  /** Points per gradient step: 1–30 (default 10). */
  batchSize: number;
  regularization: Regularization;
  /** Strength of the penalty: 0–10 (TF Playground offers 0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10). */
  regularizationRate: number;
  /** Passes over the training points (TF Playground's epoch counter). */
  epochs: number;
}
