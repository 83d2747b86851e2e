// A dense network for the playground's tiny sizes (a few dozen weights), trained the way TF Playground
// trains: per-sample backpropagation accumulated over a mini-batch, one averaged gradient step per
// batch, then the regularization step, with L1 as a proximal step that kills a weight crossing zero.
// At these sizes a general tensor library spends its time in per-op overhead; plain loops over
// preallocated Float64Arrays do the same arithmetic (in TF Playground's order, so results agree with
// it to the last bit) without allocating anything per sample or per epoch.
import type { Examples } from './features';
import { Act, activateRange, backRange, Reg, stepWeights } from './networkKernels';
import type { Rng } from './random';

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const REGULARIZATIONS = ['none', 'L1', 'L2'] as const;
export type Regularization = (typeof REGULARIZATIONS)[number];

/** Initial weights are U[−0.5, 0.5), biases 0.1, as in TF Playground. */
export const INITIAL_BIAS = 0.1;

export interface NetworkSpec {
  /** Number of input features (0 is allowed: the output is then the bias alone). */
  inputs: number;
  /** Neurons per hidden layer, input side first. */
  hidden: readonly number[];
  activation: Activation;
  /** tanh for classification (labels ±1), linear for regression. */
  outputActivation: Activation;
}

export interface TrainOptions {
  learningRate: number;
  /** Samples per gradient step (TF Playground: 1–30). */
  batchSize: number;
  regularization: Regularization;
  regularizationRate: number;
}

/**
 * Weights as plain arrays, e.g. for a webview message or to set two models to the same start.
 * `weights[l][j][i]` is the link from node i of layer l to node j of layer l + 1 (layer 0 = inputs);
 * `biases[l][j]` belongs to node j of layer l + 1.
 */
export interface NetworkWeights {
  weights: number[][][];
  biases: number[][];
}

/** What the panel needs to draw the network: weights with sign and size, dead links, biases. */
export interface NetworkSnapshot extends NetworkWeights {
  /** Nodes per layer, inputs first, output (1) last. */
  sizes: number[];
  /** Same shape as `weights`; true where L1 set the weight to exactly 0 and stopped updating it. */
  dead: boolean[][][];
}

export interface LossPair {
  train: number;
  test: number;
}

function actCode(a: Activation): Act {
  switch (a) {
    case 'tanh':
      return Act.Tanh;
    case 'relu':
      return Act.Relu;
    case 'sigmoid':
      return Act.Sigmoid;
    case 'linear':
      return Act.Linear;
  }
}

function regCode(r: Regularization): Reg {
  return r === 'L1' ? Reg.L1 : r === 'L2' ? Reg.L2 : Reg.None;
}

export class Network {
  readonly spec: NetworkSpec;
  /** Nodes per layer, inputs first, output last. */
  readonly sizes: readonly number[];
  /** Number of weight layers (hidden layers + 1). */
  readonly depth: number;

  // Flat storage. Nodes of all layers are numbered consecutively (inputs first); weights of layer l
  // (into layer l) start at wOff[l], stored destination-major: w[wOff[l] + j * sizes[l−1] + i].
  private readonly nOff: Int32Array;
  private readonly wOff: Int32Array;
  private readonly sz: Int32Array;
  private readonly w: Float64Array;
  private readonly b: Float64Array;
  private readonly isDead: Uint8Array;
  private readonly z: Float64Array;
  private readonly a: Float64Array;
  /** Per node: dE/d(output), and dE/d(total input) (= dE/d(bias)). */
  private readonly outDer: Float64Array;
  private readonly inDer: Float64Array;
  private readonly gw: Float64Array;
  private readonly gb: Float64Array;
  private readonly hiddenAct: Act;
  private readonly outputAct: Act;
  private readonly outNode: number;
  /** Scratch row for `forward` called with a plain array. */
  private readonly row: Float64Array;
  /** Samples whose gradients are accumulated and not yet applied. */
  private pending = 0;

  /** A network with TF Playground's initialisation; weights drawn from `rng` link by link, layer by layer. */
  constructor(spec: NetworkSpec, rng: Rng) {
    this.spec = { ...spec, hidden: [...spec.hidden] };
    if (!Number.isInteger(spec.inputs) || spec.inputs < 0) throw new RangeError(`inputs must be an integer ≥ 0, got ${spec.inputs}`);
    for (const h of spec.hidden) {
      if (!Number.isInteger(h) || h < 1) throw new RangeError(`a hidden layer needs an integer ≥ 1 neurons, got ${h}`);
    }
    const sizes = [spec.inputs, ...spec.hidden, 1];
    this.sizes = sizes;
    this.depth = sizes.length - 1;
    this.sz = Int32Array.from(sizes);
    this.nOff = new Int32Array(sizes.length + 1);
    for (let l = 0; l < sizes.length; l++) this.nOff[l + 1] = this.nOff[l] + sizes[l];
    this.wOff = new Int32Array(sizes.length + 1);
    for (let l = 1; l < sizes.length; l++) this.wOff[l + 1] = this.wOff[l] + sizes[l - 1] * sizes[l];
    const nodes = this.nOff[sizes.length];
    const links = this.wOff[sizes.length];
    this.w = new Float64Array(links);
    this.b = new Float64Array(nodes);
    this.isDead = new Uint8Array(links);
    this.z = new Float64Array(nodes);
    this.a = new Float64Array(nodes);
    this.outDer = new Float64Array(nodes);
    this.inDer = new Float64Array(nodes);
    this.gw = new Float64Array(links);
    this.gb = new Float64Array(nodes);
    this.outNode = nodes - 1;
    this.row = new Float64Array(spec.inputs);
    this.hiddenAct = actCode(spec.activation);
    this.outputAct = actCode(spec.outputActivation);
    for (let k = spec.inputs; k < nodes; k++) this.b[k] = INITIAL_BIAS;
    for (let k = 0; k < links; k++) this.w[k] = rng() - 0.5;
  }

  get inputs(): number {
    return this.sz[0];
  }

  get linkCount(): number {
    return this.w.length;
  }

  /** Output for one input row read from `x[offset…]`; also leaves every node's value for backprop. */
  forward(x: ArrayLike<number>, offset = 0): number {
    if (x instanceof Float64Array) {
      this.run(x, offset);
    } else {
      const row = this.row;
      for (let i = 0; i < row.length; i++) row[i] = x[offset + i];
      this.run(row, 0);
    }
    return this.a[this.outNode];
  }

  // The hot path returns nothing: a double returned from a call that is not inlined is boxed, and at
  // thousands of epochs a second that garbage shows up.
  private run(x: Float64Array, offset: number): void {
    const a = this.a;
    const z = this.z;
    const w = this.w;
    const b = this.b;
    const sz = this.sz;
    const nOff = this.nOff;
    const depth = this.depth;
    const n0 = sz[0];
    for (let i = 0; i < n0; i++) a[i] = x[offset + i];
    let k = 0;
    for (let l = 1; l <= depth; l++) {
      const nIn = sz[l - 1];
      const inOff = nOff[l - 1];
      const outOff = nOff[l];
      const outEnd = nOff[l + 1];
      for (let node = outOff; node < outEnd; node++) {
        let s = b[node];
        for (let i = 0; i < nIn; i++) s += w[k++] * a[inOff + i];
        z[node] = s;
      }
      activateRange(l === depth ? this.outputAct : this.hiddenAct, z, a, outOff, outEnd);
    }
  }

  /** Backpropagates 0.5·(output − target)² for the last `forward` and adds the gradient to the batch. */
  accumulate(target: number): void {
    const a = this.a;
    const z = this.z;
    const w = this.w;
    const sz = this.sz;
    const nOff = this.nOff;
    const wOff = this.wOff;
    const outDer = this.outDer;
    const inDer = this.inDer;
    const gw = this.gw;
    const gb = this.gb;
    const depth = this.depth;
    const out = this.outNode;
    outDer[out] = a[out] - target;
    for (let l = depth; l >= 1; l--) {
      const nIn = sz[l - 1];
      const nOut = sz[l];
      const inOff = nOff[l - 1];
      const outOff = nOff[l];
      const outEnd = nOff[l + 1];
      backRange(l === depth ? this.outputAct : this.hiddenAct, z, a, outDer, inDer, outOff, outEnd);
      let k = wOff[l];
      for (let node = outOff; node < outEnd; node++) {
        const d = inDer[node];
        gb[node] += d;
        // Dead links accumulate too (cheaper than a branch); `update` never reads them.
        for (let i = 0; i < nIn; i++) gw[k++] += d * a[inOff + i];
      }
      if (l === 1) break;
      const base = wOff[l];
      for (let i = 0; i < nIn; i++) {
        let s = 0;
        for (let j = 0; j < nOut; j++) s += w[base + j * nIn + i] * inDer[outOff + j];
        outDer[inOff + i] = s;
      }
    }
    this.pending++;
  }

  /** Applies the averaged accumulated gradient, then the regularization step; clears the batch. */
  update(options: TrainOptions): void {
    const n = this.pending;
    if (n === 0) return;
    const lr = options.learningRate;
    const b = this.b;
    const gb = this.gb;
    for (let k = this.sz[0]; k < b.length; k++) {
      b[k] -= (lr * gb[k]) / n;
      gb[k] = 0;
    }
    stepWeights(this.w, this.gw, this.isDead, lr / n, regCode(options.regularization), lr * options.regularizationRate);
    this.pending = 0;
  }

  /**
   * One pass over `data` in its order: a step after every `batchSize` samples. As in TF Playground, a
   * remainder (samples % batchSize) is not applied at the end of the pass; it is carried into the first
   * batch of the next pass.
   */
  trainEpoch(data: Examples, options: TrainOptions): void {
    const f = this.sz[0];
    checkExamples(data, f);
    const batch = options.batchSize;
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batchSize must be an integer ≥ 1, got ${batch}`);
    const x = data.inputs;
    const y = data.labels;
    for (let i = 0; i < data.length; i++) {
      this.run(x, i * f);
      this.accumulate(y[i]);
      if ((i + 1) % batch === 0) this.update(options);
    }
  }

  /** Mean of 0.5·(output − label)² over `data` (NaN when empty). */
  loss(data: Examples): number {
    const f = this.sz[0];
    checkExamples(data, f);
    const x = data.inputs;
    const y = data.labels;
    const a = this.a;
    const out = this.outNode;
    let sum = 0;
    for (let i = 0; i < data.length; i++) {
      this.run(x, i * f);
      const d = a[out] - y[i];
      sum += 0.5 * d * d;
    }
    return sum / data.length;
  }

  /** Outputs for many rows (row-major, `inputs` columns) into `out`. */
  predictRows(x: Float64Array, rows: number, out: Float64Array): Float64Array {
    const f = this.sz[0];
    const a = this.a;
    const node = this.outNode;
    for (let r = 0; r < rows; r++) {
      this.run(x, r * f);
      out[r] = a[node];
    }
    return out;
  }

  /**
   * Like `predictRows`, but every non-input node's output: `out[node * rows + r]`, nodes numbered
   * layer by layer from the first hidden layer (the output node last). For the small per-neuron maps.
   */
  predictNodes(x: Float64Array, rows: number, out: Float64Array): Float64Array {
    const f = this.sz[0];
    const a = this.a;
    const first = f;
    const count = a.length - first;
    if (out.length < count * rows) throw new RangeError(`output holds ${out.length} values, ${count * rows} needed`);
    for (let r = 0; r < rows; r++) {
      this.run(x, r * f);
      for (let k = 0; k < count; k++) out[k * rows + r] = a[first + k];
    }
    return out;
  }

  /** Number of non-input nodes (hidden neurons + output). */
  get neuronCount(): number {
    return this.a.length - this.sz[0];
  }

  isLinkDead(layer: number, dest: number, source: number): boolean {
    return this.isDead[this.linkIndex(layer, dest, source)] !== 0;
  }

  weight(layer: number, dest: number, source: number): number {
    return this.w[this.linkIndex(layer, dest, source)];
  }

  /** `layer` counts weight layers from 1 (inputs → first hidden layer). */
  private linkIndex(layer: number, dest: number, source: number): number {
    if (layer < 1 || layer > this.depth || dest < 0 || dest >= this.sz[layer] || source < 0 || source >= this.sz[layer - 1]) {
      throw new RangeError(`no link ${layer}:${source}→${dest}`);
    }
    return this.wOff[layer] + dest * this.sz[layer - 1] + source;
  }

  getWeights(): NetworkWeights {
    const weights: number[][][] = [];
    const biases: number[][] = [];
    for (let l = 1; l <= this.depth; l++) {
      const nIn = this.sz[l - 1];
      const layerW: number[][] = [];
      const layerB: number[] = [];
      for (let j = 0; j < this.sz[l]; j++) {
        const start = this.wOff[l] + j * nIn;
        layerW.push(Array.from(this.w.subarray(start, start + nIn)));
        layerB.push(this.b[this.nOff[l] + j]);
      }
      weights.push(layerW);
      biases.push(layerB);
    }
    return { weights, biases };
  }

  /** Sets every weight and bias (shapes must match); revives dead links and drops a pending batch. */
  setWeights(values: NetworkWeights): void {
    if (values.weights.length !== this.depth || values.biases.length !== this.depth) {
      throw new RangeError(`expected ${this.depth} weight layers, got ${values.weights.length}`);
    }
    for (let l = 1; l <= this.depth; l++) {
      const nIn = this.sz[l - 1];
      const lw = values.weights[l - 1];
      const lb = values.biases[l - 1];
      if (lw.length !== this.sz[l] || lb.length !== this.sz[l]) throw new RangeError(`layer ${l}: expected ${this.sz[l]} neurons`);
      for (let j = 0; j < this.sz[l]; j++) {
        if (lw[j].length !== nIn) throw new RangeError(`layer ${l}, neuron ${j}: expected ${nIn} weights`);
        this.w.set(lw[j], this.wOff[l] + j * nIn);
        this.b[this.nOff[l] + j] = lb[j];
      }
    }
    this.isDead.fill(0);
    this.gw.fill(0);
    this.gb.fill(0);
    this.pending = 0;
  }

  snapshot(): NetworkSnapshot {
    const { weights, biases } = this.getWeights();
    const dead = weights.map((layer, l) => layer.map((row, j) => row.map((_w, i) => this.isLinkDead(l + 1, j, i))));
    return { sizes: [...this.sizes], weights, biases, dead };
  }

  /** Count of dead links leaving input feature `input` (all of them dead = the feature dropped out). */
  deadLinksFromInput(input: number): number {
    if (this.depth === 0) return 0;
    let count = 0;
    for (let j = 0; j < this.sz[1]; j++) if (this.isLinkDead(1, j, input)) count++;
    return count;
  }
}

function checkExamples(data: Examples, inputs: number): void {
  if (data.inputs.length < data.length * inputs || data.labels.length < data.length) {
    throw new RangeError(`examples hold fewer values than ${data.length} rows of ${inputs} inputs`);
  }
}

/** One training pass, then the train and test loss: an epoch as TF Playground's step counts it. */
export function runEpoch(network: Network, train: Examples, test: Examples, options: TrainOptions): LossPair {
  network.trainEpoch(train, options);
  return { train: network.loss(train), test: network.loss(test) };
}
