// How the Gaussian-process sampler sees parameters: one coordinate in [0, 1] per numeric parameter
// (its position on its scale) and one per category of a categorical parameter (one-hot), so that no
// order is invented between categories. A point of this space is made feasible by decoding it
// (rounding integers, snapping discrete values, taking the largest one-hot coordinate) and encoding
// the result again.
import { fromUnit, toUnit, type Params, type SearchParam } from '../scale';

export class Encoding {
  /** First coordinate of each parameter. */
  private readonly offsets: number[];
  readonly dims: number;

  constructor(readonly space: readonly SearchParam[]) {
    let at = 0;
    this.offsets = space.map((p) => {
      const start = at;
      at += p.type === 'CATEGORICAL' ? p.values.length : 1;
      return start;
    });
    this.dims = at;
  }

  encode(params: Params): number[] {
    const x = new Array<number>(this.dims).fill(0);
    this.space.forEach((p, i) => {
      const at = this.offsets[i];
      if (p.type === 'CATEGORICAL') {
        const index = p.values.indexOf(String(params[p.name]));
        x[at + Math.max(0, index)] = 1;
      } else x[at] = toUnit(p, params[p.name]);
    });
    return x;
  }

  decode(x: ArrayLike<number>): Params {
    const params: Params = {};
    this.space.forEach((p, i) => {
      const at = this.offsets[i];
      if (p.type === 'CATEGORICAL') {
        let best = 0;
        for (let c = 1; c < p.values.length; c++) if (x[at + c] > x[at + best]) best = c;
        params[p.name] = p.values[best];
      } else params[p.name] = fromUnit(p, x[at]);
    });
    return params;
  }

  /** The feasible point nearest to x (in the sense of decode). */
  snap(x: ArrayLike<number>): number[] {
    return this.encode(this.decode(x));
  }

  /** From one [0, 1] coordinate per parameter (as random and space-filling designs draw them). */
  fromParameterUnits(units: readonly number[]): number[] {
    const params: Params = {};
    this.space.forEach((p, i) => (params[p.name] = fromUnit(p, units[i])));
    return this.encode(params);
  }
}
