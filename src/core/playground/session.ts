// One playground: data, features, network and loss history for a configuration, with the controls'
// verbs (step, reset, change a setting). The panel drives it from a timer; nothing here draws.
import { resolveConfig, changeEffect, type ChangeEffect, type PlaygroundConfig } from './config';
import { generateDataset, type Dataset } from './datasets';
import { normalizeFeatures, toExamples, type Examples, type FeatureId } from './features';
import { HeatMapGrid, DEFAULT_DENSITY } from './heatmap';
import { Network, type NetworkSnapshot, type TrainOptions } from './network';
import { createRng, type Rng } from './random';

export interface EpochResult {
  /** Epochs trained so far (TF Playground's iteration counter). */
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

export class PlaygroundSession {
  private cfg: PlaygroundConfig;
  private rng!: Rng;
  private data!: Dataset;
  private featureIds!: FeatureId[];
  private trainEx!: Examples;
  private testEx!: Examples;
  private net!: Network;
  private grids = new Map<number, HeatMapGrid>();
  private epochCount = 0;
  private lossHistory = new LossHistory();
  private lastTrain = NaN;
  private lastTest = NaN;

  /** Missing settings take TF Playground's defaults; invalid ones throw. */
  constructor(config: Partial<PlaygroundConfig> = {}) {
    this.cfg = resolveConfig(config);
    this.regenerate();
  }

  get config(): Readonly<PlaygroundConfig> {
    return this.cfg;
  }
  get dataset(): Dataset {
    return this.data;
  }
  get network(): Network {
    return this.net;
  }
  /** Selected features in canonical order: the network's inputs. */
  get features(): readonly FeatureId[] {
    return this.featureIds;
  }
  get epoch(): number {
    return this.epochCount;
  }
  /** Loss curve since the last reset (thinned out on long runs, see LossHistory). */
  get history(): LossHistory {
    return this.lossHistory;
  }
  get trainOptions(): TrainOptions {
    const c = this.cfg;
    return { learningRate: c.learningRate, batchSize: c.batchSize, regularization: c.regularization, regularizationRate: c.regularizationRate };
  }
  /** The current losses (exact; the history may have thinned this epoch out). */
  get lastLoss(): EpochResult {
    return { epoch: this.epochCount, trainLoss: this.lastTrain, testLoss: this.lastTest };
  }

  /** Trains `epochs` epochs (one per "step" click; several per animation frame when playing). */
  step(epochs = 1): EpochResult {
    const options = this.trainOptions;
    for (let e = 0; e < epochs; e++) {
      this.net.trainEpoch(this.trainEx, options);
      this.epochCount++;
      this.recordLoss();
    }
    return this.lastLoss;
  }

  /**
   * New initial weights, drawn from where the seeded stream stands (TF Playground's reset does the
   * same), so a configuration plus its sequence of resets is reproducible.
   */
  reset(): void {
    const features = normalizeFeatures(this.cfg.features);
    if (features.join() !== this.featureIds?.join()) this.grids.clear();
    this.featureIds = features;
    this.trainEx = toExamples(this.data.train, this.featureIds);
    this.testEx = toExamples(this.data.test, this.featureIds);
    const c = this.cfg;
    this.net = new Network(
      {
        inputs: this.featureIds.length,
        hidden: c.hidden,
        activation: c.activation,
        outputActivation: this.data.problem === 'regression' ? 'linear' : 'tanh',
      },
      this.rng,
    );
    this.epochCount = 0;
    this.lossHistory = new LossHistory();
    this.recordLoss();
  }

  /** Applies a change of settings and says what it took (see `changeEffect`). */
  update(changes: Partial<PlaygroundConfig>): ChangeEffect {
    const next = resolveConfig({ ...this.cfg, ...changes });
    const effect = changeEffect(this.cfg, next);
    this.cfg = next;
    if (effect === 'regenerate') this.regenerate();
    else if (effect === 'reset') this.reset();
    return effect;
  }

  /** Output per cell of a density × density grid over [−6, 6]², row 0 at the top; the buffer is reused. */
  heatmap(density = DEFAULT_DENSITY): Float64Array {
    return this.grid(density).predict(this.net);
  }

  /** Every neuron's output on a small grid (`out[neuron * density² + cell]`), for the node thumbnails. */
  neuronMaps(density: number): Float64Array {
    return this.grid(density).predictNeurons(this.net);
  }

  snapshot(): NetworkSnapshot {
    return this.net.snapshot();
  }

  private grid(density: number): HeatMapGrid {
    let g = this.grids.get(density);
    if (!g) {
      g = new HeatMapGrid(this.featureIds, density);
      this.grids.set(density, g);
    }
    return g;
  }

  private regenerate(): void {
    // Data first, then weights, from one stream: TF Playground's order when it opens with a seed.
    this.rng = createRng(this.cfg.seed);
    this.data = generateDataset({ kind: this.cfg.dataset, noise: this.cfg.noise, trainShare: this.cfg.trainShare, seed: this.cfg.seed }, this.rng);
    this.grids.clear();
    this.reset();
  }

  private recordLoss(): void {
    this.lastTrain = this.net.loss(this.trainEx);
    this.lastTest = this.net.loss(this.testEx);
    this.lossHistory.add(this.epochCount, this.lastTrain, this.lastTest);
  }
}

/**
 * Train and test loss per epoch, bounded in memory: once `capacity` points are held, every other
 * one is dropped and from then on only every second (fourth, …) epoch is kept. At thousands of
 * epochs a second a curve of a long run would otherwise grow without end; its shape survives.
 */
export class LossHistory {
  readonly epochs: number[] = [];
  readonly train: number[] = [];
  readonly test: number[] = [];
  private stride = 1;

  constructor(readonly capacity = 4096) {}

  add(epoch: number, train: number, test: number): void {
    if (epoch % this.stride !== 0) return;
    this.epochs.push(epoch);
    this.train.push(train);
    this.test.push(test);
    if (this.epochs.length >= this.capacity) {
      this.stride *= 2;
      let k = 0;
      for (let i = 0; i < this.epochs.length; i++) {
        if (this.epochs[i] % this.stride !== 0) continue;
        this.epochs[k] = this.epochs[i];
        this.train[k] = this.train[i];
        this.test[k] = this.test[i];
        k++;
      }
      this.epochs.length = this.train.length = this.test.length = k;
    }
  }
}
