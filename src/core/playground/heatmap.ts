// The network's output over a square grid, for the decision-boundary heat map. The grid's feature
// rows are computed once per (selection, density); each frame is then only forward passes into a
// reused buffer.
import { DOMAIN } from './datasets';
import { writeFeatures, type FeatureId } from './features';
import type { Network } from './network';

export const DEFAULT_DENSITY = 100;
/** TF Playground's per-neuron thumbnails are 10×10. */
export const NODE_DENSITY = 10;

export class HeatMapGrid {
  readonly density: number;
  readonly features: readonly FeatureId[];
  readonly domain: readonly [number, number];
  private readonly rows: Float64Array;
  private readonly values: Float64Array;

  /**
   * Cell (r, c) is at x1 = lo + (hi − lo)·c/(density − 1) and x2 = hi − (hi − lo)·r/(density − 1):
   * row 0 is the top of the picture (largest x2), as a canvas draws it.
   */
  constructor(features: readonly FeatureId[], density = DEFAULT_DENSITY, domain: readonly [number, number] = DOMAIN) {
    if (!Number.isInteger(density) || density < 2) throw new RangeError(`density must be an integer ≥ 2, got ${density}`);
    this.density = density;
    this.features = [...features];
    this.domain = [domain[0], domain[1]];
    const f = features.length;
    const cells = density * density;
    this.rows = new Float64Array(cells * f);
    this.values = new Float64Array(cells);
    const [lo, hi] = domain;
    const step = (hi - lo) / (density - 1);
    for (let r = 0; r < density; r++) {
      const x2 = hi - r * step;
      for (let c = 0; c < density; c++) writeFeatures(features, lo + c * step, x2, this.rows, (r * density + c) * f);
    }
  }

  get cells(): number {
    return this.density * this.density;
  }

  /** x1 of column c and x2 of row r. */
  x1At(c: number): number {
    return this.domain[0] + ((this.domain[1] - this.domain[0]) * c) / (this.density - 1);
  }
  x2At(r: number): number {
    return this.domain[1] - ((this.domain[1] - this.domain[0]) * r) / (this.density - 1);
  }

  /**
   * Network output per cell, row-major. Returns this grid's own buffer, overwritten by the next call:
   * copy it (or pass `out`) to keep it.
   */
  predict(network: Network, out: Float64Array = this.values): Float64Array {
    this.check(network);
    return network.predictRows(this.rows, this.cells, out);
  }

  /** Every neuron's output per cell: `out[neuron * cells + cell]` (a new array unless `out` is given). */
  predictNeurons(network: Network, out?: Float64Array): Float64Array {
    this.check(network);
    return network.predictNodes(this.rows, this.cells, out ?? new Float64Array(network.neuronCount * this.cells));
  }

  private check(network: Network): void {
    if (network.inputs !== this.features.length) {
      throw new RangeError(`the network has ${network.inputs} inputs, the grid ${this.features.length} features`);
    }
  }
}
