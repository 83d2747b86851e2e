// Every sampler works in the unit cube: each parameter maps to [0, 1] through its scale, and back.
// A value taken to the cube and back is the same value (integers stay integers, discrete values
// stay on their list, categories keep their index).
import type { ParameterSpec, ScaleType, StudySpec } from './spec';

export type ParamValue = number | string;
/** One value per parameter name: numbers for DOUBLE, INTEGER, DISCRETE; strings for CATEGORICAL. */
export type Params = Record<string, ParamValue>;

/** A parameter in the form the samplers use (bounds resolved, discrete values sorted). */
export type SearchParam =
  | { name: string; type: 'DOUBLE'; min: number; max: number; scale: ScaleType }
  | { name: string; type: 'INTEGER'; min: number; max: number; scale: ScaleType }
  | { name: string; type: 'DISCRETE'; values: number[]; scale: ScaleType }
  | { name: string; type: 'CATEGORICAL'; values: string[] };

/** The search space of a validated spec, in the spec's parameter order. */
export function searchSpace(spec: Pick<StudySpec, 'params'>): SearchParam[] {
  return spec.params.map(toSearchParam);
}

export function toSearchParam(p: ParameterSpec): SearchParam {
  const scale = p.scaleType ?? 'UNIT_LINEAR_SCALE';
  switch (p.type) {
    case 'DOUBLE':
    case 'INTEGER':
      return { name: p.parameterName, type: p.type, min: p.minValue as number, max: p.maxValue as number, scale };
    case 'DISCRETE':
      return { name: p.parameterName, type: 'DISCRETE', values: [...(p.discreteValues ?? [])].sort((a, b) => a - b), scale };
    case 'CATEGORICAL':
      return { name: p.parameterName, type: 'CATEGORICAL', values: [...(p.categoricalValues ?? [])] };
  }
}

const clamp01 = (u: number) => (u < 0 ? 0 : u > 1 ? 1 : u);

/**
 * A number in [lo, hi] to [0, 1]. Log puts equal ratios at equal distances; reverse log (as
 * Vizier defines it) mirrors that, so the resolution is finest near `hi` — for values such as a
 * momentum or discount factor of 0.9 … 0.9999.
 */
export function scaleToUnit(x: number, lo: number, hi: number, scale: ScaleType): number {
  if (hi === lo) return 0.5;
  switch (scale) {
    case 'UNIT_LINEAR_SCALE':
      return clamp01((x - lo) / (hi - lo));
    case 'UNIT_LOG_SCALE':
      return clamp01(Math.log(x / lo) / Math.log(hi / lo));
    case 'UNIT_REVERSE_LOG_SCALE':
      return clamp01(1 - Math.log((hi + lo - x) / lo) / Math.log(hi / lo));
  }
}

/** Inverse of `scaleToUnit`. */
export function scaleFromUnit(u: number, lo: number, hi: number, scale: ScaleType): number {
  u = clamp01(u);
  let x: number;
  switch (scale) {
    case 'UNIT_LINEAR_SCALE':
      x = lo + u * (hi - lo);
      break;
    case 'UNIT_LOG_SCALE':
      x = lo * Math.exp(u * Math.log(hi / lo));
      break;
    case 'UNIT_REVERSE_LOG_SCALE':
      x = hi + lo - lo * Math.exp((1 - u) * Math.log(hi / lo));
      break;
  }
  return Math.min(hi, Math.max(lo, x));
}

/**
 * An INTEGER parameter covers [min − ½, max + ½] on its scale, so every integer owns a cell of
 * the same width and the end values are as likely as the others under uniform sampling.
 */
function integerRange(p: { min: number; max: number }): [number, number] {
  return [p.min - 0.5, p.max + 0.5];
}

/** Where a parameter value sits in [0, 1]. */
export function toUnit(p: SearchParam, value: ParamValue): number {
  switch (p.type) {
    case 'DOUBLE':
      return scaleToUnit(Number(value), p.min, p.max, p.scale);
    case 'INTEGER': {
      const [lo, hi] = integerRange(p);
      return scaleToUnit(Number(value), lo, hi, p.scale);
    }
    case 'DISCRETE':
      return p.values.length === 1 ? 0.5 : scaleToUnit(Number(value), p.values[0], p.values[p.values.length - 1], p.scale);
    case 'CATEGORICAL': {
      const i = p.values.indexOf(String(value));
      return ((i < 0 ? 0 : i) + 0.5) / p.values.length;
    }
  }
}

/** The feasible value at (or nearest to) a point of [0, 1]: rounded, snapped or indexed. */
export function fromUnit(p: SearchParam, u: number): ParamValue {
  switch (p.type) {
    case 'DOUBLE':
      return scaleFromUnit(u, p.min, p.max, p.scale);
    case 'INTEGER': {
      const [lo, hi] = integerRange(p);
      const x = Math.round(scaleFromUnit(u, lo, hi, p.scale));
      return Math.min(p.max, Math.max(p.min, x));
    }
    case 'DISCRETE':
      return snapDiscrete(p, u);
    case 'CATEGORICAL':
      return p.values[Math.min(p.values.length - 1, Math.floor(clamp01(u) * p.values.length))];
  }
}

/** The discrete value nearest to `u`, measured on the parameter's scale. */
function snapDiscrete(p: Extract<SearchParam, { type: 'DISCRETE' }>, u: number): number {
  let best = p.values[0];
  let bestDistance = Infinity;
  for (const v of p.values) {
    const d = Math.abs(toUnit(p, v) - u);
    if (d < bestDistance) {
      bestDistance = d;
      best = v;
    }
  }
  return best;
}

/** Parameters at a point of the cube (one coordinate per parameter, in space order). */
export function paramsFromUnit(space: readonly SearchParam[], point: readonly number[]): Params {
  const params: Params = {};
  space.forEach((p, i) => (params[p.name] = fromUnit(p, point[i])));
  return params;
}

export function paramsToUnit(space: readonly SearchParam[], params: Params): number[] {
  return space.map((p) => toUnit(p, params[p.name]));
}

/** Identity of a parameter set, to notice repeats (values in space order). */
export function paramsKey(space: readonly SearchParam[], params: Params): string {
  return JSON.stringify(space.map((p) => params[p.name]));
}

/** Whether `params` holds a feasible value for every parameter of the space. */
export function isFeasible(space: readonly SearchParam[], params: Params): boolean {
  return space.every((p) => {
    const v = params[p.name];
    switch (p.type) {
      case 'DOUBLE':
        return typeof v === 'number' && v >= p.min && v <= p.max;
      case 'INTEGER':
        return typeof v === 'number' && Number.isInteger(v) && v >= p.min && v <= p.max;
      case 'DISCRETE':
        return typeof v === 'number' && p.values.includes(v);
      case 'CATEGORICAL':
        return typeof v === 'string' && p.values.includes(v);
    }
  });
}
