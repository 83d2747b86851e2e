import type { LabManifest } from '../../core/labManifest';
import { HOUSING_LABEL, loadHousing } from './housing';
import { LINEAR_LABEL, syntheticLinear } from './synthetic';
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
  }
}
