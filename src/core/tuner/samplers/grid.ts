// Grid search: every combination of the parameters' grid values, in order (the first parameter
// changes slowest), each tried once. The grid is decoded from a trial's index on demand, never
// materialised, so a large grid costs nothing until it is used.
//
// Cloud ML Engine's grid accepts only INTEGER, DISCRETE and CATEGORICAL parameters. Here a DOUBLE
// parameter is split into `resolution` values evenly spaced on its scale, ends included, and an
// INTEGER parameter with more values than that is thinned the same way. The resolution is the
// spec's `gridResolution`, or else the largest one whose whole grid fits in maxTrials (at least 2),
// so that by default the study covers its space instead of stopping partway along the first axis.
import { fromUnit, paramsKey, type ParamValue, type Params, type SearchParam } from '../scale';
import type { StudySpec } from '../spec';
import type { StudyView } from '../study';
import type { SyncSampler } from './sampler';

/** Values of one parameter on a grid of `resolution` points per continuous axis. */
export function gridValues(p: SearchParam, resolution: number): ParamValue[] {
  switch (p.type) {
    case 'CATEGORICAL':
    case 'DISCRETE':
      return [...p.values];
    case 'INTEGER': {
      const count = p.max - p.min + 1;
      if (count <= resolution) return Array.from({ length: count }, (_, i) => p.min + i);
      return evenlySpaced(p, resolution);
    }
    case 'DOUBLE':
      return evenlySpaced(p, resolution);
  }
}

function evenlySpaced(p: SearchParam, resolution: number): ParamValue[] {
  const out: ParamValue[] = [];
  for (let i = 0; i < resolution; i++) {
    const v = fromUnit(p, i / (resolution - 1));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Number of grid values of a parameter if it were never thinned (Infinity for DOUBLE). */
function fullCount(p: SearchParam): number {
  if (p.type === 'DOUBLE') return Infinity;
  if (p.type === 'INTEGER') return p.max - p.min + 1;
  return p.values.length;
}

/** The default resolution: the largest whose grid fits in maxTrials, at least 2. */
export function defaultGridResolution(space: readonly SearchParam[], maxTrials: number): number {
  const size = (k: number) => space.reduce((n, p) => n * Math.min(fullCount(p), p.type === 'DOUBLE' || p.type === 'INTEGER' ? k : Infinity), 1);
  const thinnable = space.some((p) => fullCount(p) === Infinity || (p.type === 'INTEGER' && fullCount(p) > 2));
  let k = 2;
  if (!thinnable) return k;
  // Stop once more points no longer change the grid (every INTEGER is complete and there is no DOUBLE).
  while (k < 1_000_000 && size(k + 1) <= maxTrials && size(k + 1) > size(k)) k++;
  return k;
}

export class Grid {
  readonly axes: ParamValue[][];
  readonly size: number;

  constructor(
    readonly space: readonly SearchParam[],
    readonly resolution: number,
  ) {
    this.axes = space.map((p) => gridValues(p, resolution));
    this.size = this.axes.reduce((n, a) => n * a.length, 1);
  }

  static forSpec(spec: Pick<StudySpec, 'gridResolution' | 'maxTrials'>, space: readonly SearchParam[]): Grid {
    return new Grid(space, spec.gridResolution ?? defaultGridResolution(space, spec.maxTrials));
  }

  /** The grid point at `index` (0 ≤ index < size); the last parameter changes fastest. */
  at(index: number): Params {
    const params: Params = {};
    let rest = index;
    for (let i = this.axes.length - 1; i >= 0; i--) {
      const axis = this.axes[i];
      params[this.space[i].name] = axis[rest % axis.length];
      rest = Math.floor(rest / axis.length);
    }
    // Keep the space's key order, so the params read naturally in files.
    const ordered: Params = {};
    for (const p of this.space) ordered[p.name] = params[p.name];
    return ordered;
  }

  *points(): Generator<Params> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }
}

export class GridSampler implements SyncSampler {
  ask(study: StudyView): Params | undefined {
    const grid = Grid.forSpec(study.spec, study.space);
    // An interrupted trial's point is re-run by the study under a new number, so it is not free.
    const taken = new Set(study.trials.map((t) => paramsKey(study.space, t.params)));
    for (let i = 0; i < grid.size; i++) {
      const point = grid.at(i);
      if (!taken.has(paramsKey(study.space, point))) return point;
    }
    return undefined;
  }
}
