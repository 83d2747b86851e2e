import type { LabManifest } from '../../core/labManifest';
import { HOUSING_LABEL, loadHousing } from './housing';
import { LINEAR_LABEL, syntheticLinear } from './synthetic';
import { loadPlayground, PLAYGROUND_LABEL } from './playground';
import { SINE_LABEL, sineSequences } from './sine';
import { splitRows, type Split } from './split';

export type Row = Record<string, unknown>;

export interface LoadedData {
  split: Split<Row>;
  /** Name of the label column. */
  label: string;
}

export function loadLabData(manifest: LabManifest, installRoot: string): LoadedData {
  const { dataset, split, shuffleSeed, rows } = manifest.data;
  switch (dataset) {
    case 'california-housing':
      return { split: splitRows(loadHousing(installRoot) as unknown as Row[], split, shuffleSeed, rows), label: HOUSING_LABEL };
    case 'synthetic-linear':
      return { split: splitRows(syntheticLinear(rows ?? 1000) as unknown as Row[], split, shuffleSeed), label: LINEAR_LABEL };
    case 'playground':
      return { split: loadPlayground(manifest.data) as unknown as Split<Row>, label: PLAYGROUND_LABEL };
    case 'sine-sequences':
      // Generated from the lab's seed; the sequences are independent, so the shuffle only fixes which go where.
      return { split: splitRows(sineSequences(rows ?? 2000, shuffleSeed) as unknown as Row[], split, shuffleSeed), label: SINE_LABEL };
  }
}
