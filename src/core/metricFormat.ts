// How a metric reads for people: errors in the label's units (RMSE, MAE) take the lab's label unit,
// e.g. "$82,417" for house prices; everything else is a plain number.
import { formatValue } from './grader';
import type { LabManifest } from './labManifest';

const LABEL_UNIT_METRIC = /(^|_)(rmse|mae)($|@)/;

export function formatMetric(name: string, value: number | null | undefined, manifest: Pick<LabManifest, 'labelUnit'> | undefined): string {
  return formatValue(value, manifest?.labelUnit === 'dollars' && LABEL_UNIT_METRIC.test(name) ? 'dollars' : 'number');
}
