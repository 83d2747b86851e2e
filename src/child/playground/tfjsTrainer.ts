// The playground's network trained by TensorFlow.js, to show that the exact trainer computes what a
// tensor library computes: same data, same weights, same batches (with TF Playground's carry-over of
// a batch's remainder into the next pass), gradients from tf.grads, and the same update rule — plain
// SGD, L2 as weight decay, L1 as the proximal step that sets a weight crossing zero to exactly 0 and
// freezes its link. Layers are plain tensors rather than tf.layers: fewer ops per step at these sizes.
import type * as TfModule from '@tensorflow/tfjs';
import type { Examples } from '../../core/playground/features';
import type { Activation, NetworkSpec, NetworkWeights, TrainOptions } from '../../core/playground/network';

type Tf = typeof TfModule;
type Tensor = TfModule.Tensor;

export interface TfjsState {
  weights: NetworkWeights;
  /** Flat in layer, destination, source order (as NetworkDrawing): true where L1 killed the link. */
  dead: boolean[];
}

export interface TfjsStart {
  spec: NetworkSpec;
  weights: NetworkWeights;
  /** Same shape as `weights.weights`. */
  dead: boolean[][][];
  train: Examples;
  test: Examples;
  /** Training points whose gradient is pending from the previous pass (TF Playground's remainder). */
  carry: number;
}

interface Batch {
  x: Tensor;
  y: Tensor;
}

export class TfjsTrainer {
  private readonly tf: Tf;
  private readonly spec: NetworkSpec;
  private readonly inputs: number;
  private readonly sizes: number[];
  private kernels: Tensor[];
  private biases: Tensor[];
  /** 1 where the link is alive, 0 where L1 killed it; same shapes as the kernels. */
  private alive: Tensor[];
  private readonly x: Tensor;
  private readonly y: Tensor;
  private readonly xTest: Tensor;
  private readonly yTest: Tensor;
  private readonly n: number;
  private carry: number;
  /** False until a link may have died: then every update masks dead links. */
  private maybeDead: boolean;
  private readonly batches = new Map<string, Batch[]>();
  private batch: Batch | undefined;
  private readonly gradients: (params: Tensor[]) => Tensor[];
  private disposed = false;

  constructor(tf: Tf, start: TfjsStart) {
    this.tf = tf;
    this.spec = start.spec;
    this.inputs = start.spec.inputs;
    this.sizes = [start.spec.inputs, ...start.spec.hidden, 1];
    // tfjs kernels are [source][destination]; ours are [destination][source].
    this.kernels = start.weights.weights.map((layer, l) => tf.tensor2d(transpose(layer, this.sizes[l]!), [this.sizes[l]!, this.sizes[l + 1]!]));
    this.biases = start.weights.biases.map((b) => tf.tensor1d(b));
    this.alive = start.dead.map((layer, l) =>
      tf.tensor2d(
        transpose(
          layer.map((row) => row.map((d) => (d ? 0 : 1))),
          this.sizes[l]!,
        ),
        [this.sizes[l]!, this.sizes[l + 1]!],
      ),
    );
    const tensors = (ex: Examples) => ({
      x: tf.tensor2d(Float32Array.from(ex.inputs.subarray(0, ex.length * this.inputs)), [ex.length, this.inputs]),
      y: tf.tensor2d(Float32Array.from(ex.labels.subarray(0, ex.length)), [ex.length, 1]),
    });
    const train = tensors(start.train);
    const test = tensors(start.test);
    this.x = train.x;
    this.y = train.y;
    this.xTest = test.x;
    this.yTest = test.y;
    this.n = start.train.length;
    this.carry = Math.min(start.carry, this.n);
    this.maybeDead = start.dead.some((layer) => layer.some((row) => row.some(Boolean)));
    const depth = this.kernels.length;
    this.gradients = tf.grads((...params: Tensor[]) => {
      const b = this.batch!;
      return this.loss(this.forward(b.x, params.slice(0, depth), params.slice(depth)), b.y);
    });
  }

  /** One pass over the training points in order, a step after every `batchSize` points of this pass. */
  trainEpoch(options: TrainOptions): void {
    for (const b of this.batchesFor(options.batchSize)) {
      this.batch = b;
      this.step(options);
    }
    this.batch = undefined;
    this.carry = this.n % options.batchSize;
  }

  /** TF Playground's losses, mean ½·(output − label)² on the training and the test points. */
  losses(): { train: number; test: number } {
    const tf = this.tf;
    const both = tf.tidy(() => tf.stack([this.loss(this.forward(this.x), this.y), this.loss(this.forward(this.xTest), this.yTest)]));
    const v = both.dataSync();
    both.dispose();
    return { train: v[0]!, test: v[1]! };
  }

  /** The current weights (as the exact trainer stores them) and dead links. */
  read(): TfjsState {
    const weights: number[][][] = [];
    const biases: number[][] = [];
    const dead: boolean[] = [];
    this.kernels.forEach((k, l) => {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      const kv = k.dataSync();
      const av = this.alive[l]!.dataSync();
      const layer: number[][] = [];
      for (let j = 0; j < nOut; j++) {
        const row: number[] = [];
        for (let i = 0; i < nIn; i++) {
          row.push(kv[i * nOut + j]!);
          dead.push(av[i * nOut + j] === 0);
        }
        layer.push(row);
      }
      weights.push(layer);
      biases.push(Array.from(this.biases[l]!.dataSync()));
    });
    return { weights: { weights, biases }, dead };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const all: Tensor[] = [...this.kernels, ...this.biases, ...this.alive, this.x, this.y, this.xTest, this.yTest];
    for (const list of this.batches.values()) for (const b of list) all.push(b.x, b.y);
    this.tf.dispose(all);
    this.batches.clear();
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  private forward(x: Tensor, kernels = this.kernels, biases = this.biases): Tensor {
    const tf = this.tf;
    let h = x;
    const last = kernels.length - 1;
    kernels.forEach((k, l) => {
      h = activate(tf, tf.add(tf.matMul(h, k), biases[l]!), l === last ? this.spec.outputActivation : this.spec.activation);
    });
    return h;
  }

  private loss(output: Tensor, labels: Tensor): TfModule.Scalar {
    const tf = this.tf;
    return tf.mul(0.5, tf.mean(tf.square(tf.sub(output, labels)))) as TfModule.Scalar;
  }

  private step(options: TrainOptions): void {
    const tf = this.tf;
    const depth = this.kernels.length;
    const lr = options.learningRate;
    const regStep = lr * options.regularizationRate;
    const l1 = options.regularization === 'L1';
    // Without L1 and without dead links the mask changes nothing: skip its ops (they cost more than the math here).
    const masked = l1 || this.maybeDead;
    const next = tf.tidy(() => {
      const g = this.gradients([...this.kernels, ...this.biases]);
      const kernels: Tensor[] = [];
      const alive: Tensor[] = [];
      this.kernels.forEach((w, l) => {
        const moved = tf.sub(w, tf.mul(lr, g[l]!));
        let updated = moved;
        if (options.regularization === 'L2') updated = tf.sub(moved, tf.mul(regStep, w));
        if (l1) {
          const shrunk = tf.sub(moved, tf.mul(regStep, tf.sign(w)));
          // The penalty pushed the weight across zero: exactly 0, and the link is dead for good.
          const crossed = tf.less(tf.mul(moved, shrunk), 0);
          updated = tf.where(crossed, tf.zerosLike(shrunk), shrunk);
          alive.push(tf.mul(this.alive[l]!, tf.sub(1, tf.cast(crossed, 'float32'))));
        }
        // A dead link keeps its weight of 0 and is never updated again.
        kernels.push(masked ? tf.where(tf.greater(this.alive[l]!, 0), updated, w) : updated);
      });
      const biases = this.biases.map((b, l) => tf.sub(b, tf.mul(lr, g[depth + l]!)));
      return [...kernels, ...biases, ...alive];
    });
    tf.dispose([...this.kernels, ...this.biases, ...(l1 ? this.alive : [])]);
    this.kernels = next.slice(0, depth);
    this.biases = next.slice(depth, 2 * depth);
    if (l1) {
      this.alive = next.slice(2 * depth);
      this.maybeDead = true;
    }
  }

  /**
   * The batches of one pass: the first also holds the `carry` points left over from the previous
   * pass (their gradient was taken at the same weights), the remainder of this pass is left over.
   */
  private batchesFor(batchSize: number): Batch[] {
    const key = `${batchSize}:${this.carry}`;
    let list = this.batches.get(key);
    if (list) return list;
    const tf = this.tf;
    list = [];
    let pending: number[] = [];
    for (let k = this.n - this.carry; k < this.n; k++) pending.push(k);
    for (let i = 0; i < this.n; i++) {
      pending.push(i);
      if ((i + 1) % batchSize === 0) {
        const idx = tf.tensor1d(pending, 'int32');
        list.push({ x: tf.gather(this.x, idx), y: tf.gather(this.y, idx) });
        idx.dispose();
        pending = [];
      }
    }
    this.batches.set(key, list);
    return list;
  }
}

function activate(tf: Tf, z: Tensor, a: Activation): Tensor {
  switch (a) {
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'linear':
      return z;
  }
}

/** [destination][source] → flat [source][destination]. */
function transpose<T>(rows: readonly (readonly T[])[], sources: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < sources; i++) for (const row of rows) out.push(row[i]!);
  return out;
}
