// The playground's data sets, defined as in TF Playground: points in [−6, 6]², classification
// labels ±1, regression labels about [−1, 1] (the plane's reach ±1.2, more with noise). Random numbers are drawn in TF Playground's order
// (see random.ts), so a seed reproduces its data exactly, shuffle and train/test split included.
import { createRng, normal, uniform, type Rng } from './random';

export const CLASSIFICATION_DATASETS = ['circle', 'xor', 'gauss', 'spiral'] as const;
export const REGRESSION_DATASETS = ['reg-plane', 'reg-gauss'] as const;
export const DATASETS = [...CLASSIFICATION_DATASETS, ...REGRESSION_DATASETS] as const;
export type ClassificationDataset = (typeof CLASSIFICATION_DATASETS)[number];
export type RegressionDataset = (typeof REGRESSION_DATASETS)[number];
export type DatasetKind = (typeof DATASETS)[number];
export type Problem = 'classification' | 'regression';

export const DATASET_TITLES: Record<DatasetKind, string> = {
  circle: 'Circle',
  xor: 'Exclusive or',
  gauss: 'Two Gaussians',
  spiral: 'Spiral',
  'reg-plane': 'Plane',
  'reg-gauss': 'Six Gaussians',
};

/** Point counts TF Playground uses. */
export const CLASSIFICATION_SAMPLES = 500;
export const REGRESSION_SAMPLES = 1200;
/** Every point lies in this square (both axes); it is also the heat map's domain. */
export const DOMAIN: readonly [number, number] = [-6, 6];
export const NOISE_RANGE = { min: 0, max: 50 } as const;
export const TRAIN_SHARE_RANGE = { min: 10, max: 90 } as const;
export const DEFAULT_TRAIN_SHARE = 50;

/** Points as parallel columns (no object per point): x1, x2 and the label. */
export interface PointSet {
  readonly x1: Float64Array;
  readonly x2: Float64Array;
  readonly label: Float64Array;
  readonly length: number;
}

export interface DatasetOptions {
  kind: DatasetKind;
  /** Percent, 0–50 as in TF Playground's slider. */
  noise: number;
  /** Percent of the points used for training, 10–90. */
  trainShare: number;
  seed: string | number;
  /** Defaults to 500 for classification, 1200 for regression; must be even. */
  samples?: number;
}

export interface Dataset {
  readonly kind: DatasetKind;
  readonly problem: Problem;
  readonly noise: number;
  readonly trainShare: number;
  readonly seed: string;
  readonly train: PointSet;
  readonly test: PointSet;
}

export function problemOf(kind: DatasetKind): Problem {
  return (REGRESSION_DATASETS as readonly string[]).includes(kind) ? 'regression' : 'classification';
}

export function defaultSamples(kind: DatasetKind): number {
  return problemOf(kind) === 'regression' ? REGRESSION_SAMPLES : CLASSIFICATION_SAMPLES;
}

class PointWriter {
  readonly x1: Float64Array;
  readonly x2: Float64Array;
  readonly label: Float64Array;
  private n = 0;
  constructor(size: number) {
    this.x1 = new Float64Array(size);
    this.x2 = new Float64Array(size);
    this.label = new Float64Array(size);
  }
  push(x1: number, x2: number, label: number): void {
    this.x1[this.n] = x1;
    this.x2[this.n] = x2;
    this.label[this.n] = label;
    this.n++;
  }
  done(): PointSet {
    return { x1: this.x1, x2: this.x2, label: this.label, length: this.n };
  }
}

/** d3's linear scale as TF Playground uses it, computed the same way so labels agree to the last bit. */
function linearScale(v: number, d0: number, d1: number, r0: number, r1: number, clamp = false): number {
  let t = (v - d0) / (d1 - d0);
  if (clamp) t = Math.max(0, Math.min(1, t));
  return r0 * (1 - t) + r1 * t;
}

/** Written out rather than Math.hypot, which may round differently and flip a label on the border. */
function dist(x: number, y: number, cx: number, cy: number): number {
  const dx = x - cx;
  const dy = y - cy;
  return Math.sqrt(dx * dx + dy * dy);
}

// Circle: half the points uniformly in radius [0, 2.5), half in the ring [3.5, 5). Noise does not move
// a point; it moves the place where its label is read, so points near the border flip.
function circle(w: PointWriter, half: number, noise: number, rng: Rng): void {
  const radius = 5;
  const ring = (rMin: number, rMax: number) => {
    for (let i = 0; i < half; i++) {
      const r = uniform(rng, rMin, rMax);
      const angle = uniform(rng, 0, 2 * Math.PI);
      const x = r * Math.sin(angle);
      const y = r * Math.cos(angle);
      const nx = uniform(rng, -radius, radius) * noise;
      const ny = uniform(rng, -radius, radius) * noise;
      w.push(x, y, dist(x + nx, y + ny, 0, 0) < radius * 0.5 ? 1 : -1);
    }
  };
  ring(0, radius * 0.5);
  ring(radius * 0.7, radius);
}

// XOR: uniform in [−5, 5]² pushed 0.3 away from both axes; label is the sign of x·y read at a noisy place.
function xor(w: PointWriter, n: number, noise: number, rng: Rng): void {
  const pad = (v: number) => v + (v > 0 ? 0.3 : -0.3);
  for (let i = 0; i < n; i++) {
    const x = pad(uniform(rng, -5, 5));
    const y = pad(uniform(rng, -5, 5));
    const nx = uniform(rng, -5, 5) * noise;
    const ny = uniform(rng, -5, 5) * noise;
    w.push(x, y, (x + nx) * (y + ny) >= 0 ? 1 : -1);
  }
}

// Two Gaussians centred at (2, 2) → +1 and (−2, −2) → −1; noise widens them (variance 0.5 → 4).
function gauss(w: PointWriter, half: number, noise: number, rng: Rng): void {
  const variance = linearScale(noise, 0, 0.5, 0.5, 4);
  for (const [c, label] of [
    [2, 1],
    [-2, -1],
  ] as const) {
    for (let i = 0; i < half; i++) {
      const x = normal(rng, c, variance);
      const y = normal(rng, c, variance);
      w.push(x, y, label);
    }
  }
}

// Spiral: two arms of 1.75 turns reaching radius 5, the second turned by π; noise moves points by U(−1, 1)·noise.
function spiral(w: PointWriter, half: number, noise: number, rng: Rng): void {
  for (const [turn, label] of [
    [0, 1],
    [Math.PI, -1],
  ] as const) {
    for (let i = 0; i < half; i++) {
      const r = (i / half) * 5;
      const t = ((1.75 * i) / half) * 2 * Math.PI + turn;
      const x = r * Math.sin(t) + uniform(rng, -1, 1) * noise;
      const y = r * Math.cos(t) + uniform(rng, -1, 1) * noise;
      w.push(x, y, label);
    }
  }
}

// Regression sets: uniform points in [−6, 6]², label read at a place moved by U(−6, 6)·noise.
function regression(w: PointWriter, n: number, noise: number, rng: Rng, labelAt: (x: number, y: number) => number): void {
  const radius = 6;
  for (let i = 0; i < n; i++) {
    const x = uniform(rng, -radius, radius);
    const y = uniform(rng, -radius, radius);
    const nx = uniform(rng, -radius, radius) * noise;
    const ny = uniform(rng, -radius, radius) * noise;
    w.push(x, y, labelAt(x + nx, y + ny));
  }
}

/** Plane: label (x1 + x2) / 10, i.e. [−10, 10] mapped onto [−1, 1] (unclamped). */
function planeLabel(x: number, y: number): number {
  return linearScale(x + y, -10, 10, -1, 1);
}

/** Six bumps of alternating sign at x ∈ {−4, 0, 4}, y = ±2.5, falling linearly to 0 at distance 2. */
const BUMPS: readonly (readonly [number, number, number])[] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];
function bumpsLabel(x: number, y: number): number {
  // The bump with the largest magnitude wins, not their sum.
  let label = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const v = sign * linearScale(dist(x, y, cx, cy), 0, 2, 1, 0, true);
    if (Math.abs(v) > Math.abs(label)) label = v;
  }
  return label;
}

/**
 * The points of a data set in generation order (not shuffled). `noise` is a fraction (0–0.5).
 * Consumes `rng` exactly as TF Playground does.
 */
export function generatePoints(kind: DatasetKind, samples: number, noise: number, rng: Rng): PointSet {
  if (!Number.isInteger(samples) || samples < 2 || samples % 2 !== 0) {
    throw new RangeError(`samples must be an even integer ≥ 2, got ${samples}`);
  }
  const w = new PointWriter(samples);
  const half = samples / 2;
  switch (kind) {
    case 'circle':
      circle(w, half, noise, rng);
      break;
    case 'xor':
      xor(w, samples, noise, rng);
      break;
    case 'gauss':
      gauss(w, half, noise, rng);
      break;
    case 'spiral':
      spiral(w, half, noise, rng);
      break;
    case 'reg-plane':
      regression(w, samples, noise, rng, planeLabel);
      break;
    case 'reg-gauss':
      regression(w, samples, noise, rng, bumpsLabel);
      break;
  }
  return w.done();
}

/** In-place Fisher–Yates, drawing from the end the way TF Playground's shuffle does. */
export function shuffleInPlace(points: PointSet, rng: Rng): void {
  const { x1, x2, label } = points;
  for (let counter = points.length; counter > 0;) {
    const index = Math.floor(rng() * counter);
    counter--;
    swap(x1, counter, index);
    swap(x2, counter, index);
    swap(label, counter, index);
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function slice(points: PointSet, start: number, end: number): PointSet {
  return {
    x1: points.x1.slice(start, end),
    x2: points.x2.slice(start, end),
    label: points.label.slice(start, end),
    length: end - start,
  };
}

function checkRange(name: string, v: number, range: { min: number; max: number }): void {
  if (!Number.isFinite(v) || v < range.min || v > range.max) {
    throw new RangeError(`${name} must be within ${range.min}–${range.max}, got ${v}`);
  }
}

/**
 * Generates, shuffles and splits a data set. Pass `rng` to keep drawing from it afterwards (the
 * network's initial weights come next in TF Playground); by default a generator seeded with `seed`.
 */
export function generateDataset(options: DatasetOptions, rng: Rng = createRng(options.seed)): Dataset {
  checkRange('noise', options.noise, NOISE_RANGE);
  checkRange('trainShare', options.trainShare, TRAIN_SHARE_RANGE);
  const points = generatePoints(options.kind, options.samples ?? defaultSamples(options.kind), options.noise / 100, rng);
  shuffleInPlace(points, rng);
  const split = Math.floor((points.length * options.trainShare) / 100);
  return {
    kind: options.kind,
    problem: problemOf(options.kind),
    noise: options.noise,
    trainShare: options.trainShare,
    seed: String(options.seed),
    train: slice(points, 0, split),
    test: slice(points, split, points.length),
  };
}
