// TF Playground's data sets for a lab: generated from the lab's fixed seed, so every learner trains
// and is graded on the same points. The split is TF Playground's own (shuffle, then the first
// `split.train` share trains and the rest is the test part), so a lab can quote the panel's numbers.
import type { LabManifest } from '../../core/lab/manifest';
import { generateDataset, type Dataset, type PointSet } from '../../core/playground/datasets';
import type { Split } from '../../core/data/split';

export const PLAYGROUND_LABEL = 'label';

/** One point as a row, the form every data set takes between loader and harness. */
export interface PlaygroundRow {
  x1: number;
  x2: number;
  label: number;
}

export function generateLabPlayground(data: LabManifest['data']): Dataset {
  if (!data.playground) throw new Error('lab.json data.playground is missing: the playground data set needs { kind, noise }');
  return generateDataset({
    kind: data.playground.kind,
    noise: data.playground.noise,
    // A share such as 0.2 is 20 %; rounded so 0.7 does not become 69.99999 % and lose a point.
    trainShare: Math.round(data.split.train * 1e6) / 1e4,
    seed: String(data.shuffleSeed),
    ...(data.rows !== undefined ? { samples: data.rows } : {}),
  });
}

export function toRows(points: PointSet): PlaygroundRow[] {
  const rows: PlaygroundRow[] = [];
  for (let i = 0; i < points.length; i++) rows.push({ x1: points.x1[i], x2: points.x2[i], label: points.label[i] });
  return rows;
}

export function loadPlayground(data: LabManifest['data']): Split<PlaygroundRow> {
  const d = generateLabPlayground(data);
  return { train: toRows(d.train), validation: [], test: toRows(d.test) };
}
