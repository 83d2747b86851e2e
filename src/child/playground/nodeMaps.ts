// Every node's output over the heat map's grid, for a frame: the output map at full density and
// each neuron's small map, from one pass. The pass goes layer by layer over all cells at once
// (long tight loops over columns) instead of one forward pass per cell, which is what makes a
// 100×100 frame cheap enough to stream while training flat out. The arithmetic is the trainer's,
// in its order (bias first, then inputs in turn), so the values equal Network's outputs exactly.
import { DOMAIN } from '../../core/playground/datasets';
import { FEATURES, type FeatureId } from '../../core/playground/features';
import type { Activation, NetworkSpec, NetworkWeights } from '../../core/playground/network';
import { quantize } from '../../core/playground/protocol';

function activate(a: Activation, z: Float64Array): void {
  switch (a) {
    case 'tanh':
      for (let c = 0; c < z.length; c++) z[c] = Math.tanh(z[c]!);
      break;
    case 'relu':
      for (let c = 0; c < z.length; c++) z[c] = Math.max(0, z[c]!);
      break;
    case 'sigmoid':
      for (let c = 0; c < z.length; c++) z[c] = 1 / (1 + Math.exp(-z[c]!));
      break;
    case 'linear':
      break;
  }
}

export class GridPass {
  readonly cells: number;
  /** Bytes of the output map (density²) and of every non-input node's small map, node after node. */
  readonly heat: Uint8Array;
  readonly nodes: Uint8Array;
  private readonly inputs: Float64Array[];
  private readonly layers: Float64Array[][];
  /** Cells of the full grid that the small grid's cells sit on (the small grid's points are grid points here). */
  private readonly sample: Int32Array;
  private readonly small: Float64Array;

  constructor(
    features: readonly FeatureId[],
    private readonly spec: NetworkSpec,
    readonly density: number,
    readonly nodeDensity: number,
  ) {
    if ((density - 1) % (nodeDensity - 1) !== 0) throw new RangeError(`the node grid (${nodeDensity}) must sit on the heat map's grid (${density})`);
    this.cells = density * density;
    const [lo, hi] = DOMAIN;
    const step = (hi - lo) / (density - 1);
    // As HeatMapGrid places its cells: row 0 at the top.
    this.inputs = features.map((f) => {
      const col = new Float64Array(this.cells);
      for (let r = 0; r < density; r++) for (let c = 0; c < density; c++) col[r * density + c] = FEATURES[f].compute(lo + c * step, hi - r * step);
      return col;
    });
    this.layers = [...spec.hidden, 1].map((n) => Array.from({ length: n }, () => new Float64Array(this.cells)));
    const stride = (density - 1) / (nodeDensity - 1);
    this.sample = new Int32Array(nodeDensity * nodeDensity);
    for (let r = 0; r < nodeDensity; r++) for (let c = 0; c < nodeDensity; c++) this.sample[r * nodeDensity + c] = r * stride * density + c * stride;
    this.small = new Float64Array(this.sample.length);
    this.heat = new Uint8Array(this.cells);
    this.nodes = new Uint8Array(this.layers.reduce((n, l) => n + l.length, 0) * this.sample.length);
  }

  /** Fills `heat` and `nodes` for these weights (shapes as the spec's). */
  run(w: NetworkWeights): void {
    let prev = this.inputs;
    const depth = this.layers.length;
    let node = 0;
    for (let l = 0; l < depth; l++) {
      const out = this.layers[l]!;
      const lw = w.weights[l]!;
      const lb = w.biases[l]!;
      for (let j = 0; j < out.length; j++) {
        const z = out[j]!;
        z.fill(lb[j]!);
        const row = lw[j]!;
        for (let i = 0; i < prev.length; i++) {
          const wi = row[i]!;
          const a = prev[i]!;
          for (let c = 0; c < z.length; c++) z[c] += wi * a[c]!;
        }
        activate(l === depth - 1 ? this.spec.outputActivation : this.spec.activation, z);
        for (let k = 0; k < this.sample.length; k++) this.small[k] = z[this.sample[k]!]!;
        quantize(this.small, this.nodes, node * this.sample.length);
        node++;
      }
      prev = out;
    }
    quantize(this.layers[depth - 1]![0]!, this.heat);
  }
}
