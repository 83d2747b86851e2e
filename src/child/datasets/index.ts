import type { LabManifest } from '../../core/lab/manifest';
import { HOUSING_LABEL, loadHousing } from './housing';
import { LINEAR_LABEL, syntheticLinear } from './synthetic';
import { loadPlayground, PLAYGROUND_LABEL } from './playground';
import { SINE_LABEL, sineSequences } from './sine';
import { splitRows, type Split } from '../../core/data/split';

export type Row = Record<string, unknown>;

export interface LoadedData {
  split: Split<Row>;
  /** Name of the label column. */
  label: string;
  /** Columns the learner's code never sees: the label, and what a generator used to make it. */
  hidden: string[];
}

/**
 * The lab's data, shuffled and split with the lab's seed, or with `splitSeed` (official grading: a
 * secret seed, so that nobody knows in advance which rows are held out).
 */
export function loadLabData(manifest: LabManifest, installRoot: string, splitSeed?: number): LoadedData {
  const { dataset, split, rows } = manifest.data;
  const seed = splitSeed ?? manifest.data.shuffleSeed;
  switch (dataset) {
    case 'california-housing':
      return { split: splitRows(loadHousing(installRoot) as unknown as Row[], split, seed, rows), label: HOUSING_LABEL, hidden: [HOUSING_LABEL] };
    case 'synthetic-linear':
      return { split: splitRows(syntheticLinear(rows ?? 1000) as unknown as Row[], split, seed), label: LINEAR_LABEL, hidden: [LINEAR_LABEL] };
    case 'playground':
      return { split: loadPlayground({ ...manifest.data, shuffleSeed: seed }) as unknown as Split<Row>, label: PLAYGROUND_LABEL, hidden: [PLAYGROUND_LABEL] };
    case 'sine-sequences':
      // Generated from the seed; the sequences are independent, so the shuffle only fixes which go where.
      return {
        split: splitRows(sineSequences(rows ?? 2000, seed) as unknown as Row[], split, seed),
        label: SINE_LABEL,
        hidden: [SINE_LABEL, 'frequency', 'amplitude'],
      };
  }
}

/** Rows as the learner's code may see them: without the hidden columns. */
export function withoutHidden(rows: readonly Row[], hidden: readonly string[]): Record<string, number | string | null | number[]>[] {
  return rows.map((r) => {
    const out: Record<string, number | string | null | number[]> = {};
    for (const [k, v] of Object.entries(r)) if (!hidden.includes(k)) out[k] = v as number | string | null | number[];
    return out;
  });
}
