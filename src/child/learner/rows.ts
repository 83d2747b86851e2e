// The rows the learner's code sees, and what it makes of them. A row never has its label: reading it
// is a mistake the learner can learn from, so it fails at once, naming the column.
import { ContractError, callLearner } from '../common/errors';
import type { Columns } from '../common/learnerProtocol';
import { at, type LearnerContext } from './context';

/**
 * Row objects from columns, where reading the label column throws a contract error saying why. The
 * trap sits on a shared prototype, and every row gets its fields in one order (one fast shape).
 */
export function learnerRows(data: Columns, label: string): Record<string, unknown>[] {
  const message =
    `your code reads row.${label}, the value the model has to predict. It is not in the rows: at prediction ` +
    'time nobody knows it, so a feature made from it would only work on data that is already labelled. Use the other columns.';
  const proto = Object.defineProperty({}, label, {
    enumerable: false,
    get() {
      throw new ContractError(message);
    },
  });
  const names = Object.keys(data.columns).filter((n) => n !== label);
  const columns = names.map((n) => data.columns[n]);
  const rows = new Array<Record<string, unknown>>(data.count);
  for (let i = 0; i < data.count; i++) {
    const row = Object.create(proto) as Record<string, unknown>;
    for (let j = 0; j < names.length; j++) row[names[j]] = columns[j][i];
    rows[i] = row;
  }
  return rows;
}

/** More inputs per row than this is a table, not a feature vector (and would flood the channel). */
export const MAX_FEATURES = 256;

const SPLIT_NAMES = { train: 'training', validation: 'validation', test: 'held-out' } as const;

/** features() on every row of a split, checked: arrays of the same width, finite numbers. */
export function featureTable(
  ctx: LearnerContext,
  rows: Record<string, unknown>[],
  features: (row: unknown, prepared: unknown) => unknown,
  prepared: unknown,
  split: keyof typeof SPLIT_NAMES,
  width: number | undefined,
): number[][] {
  const where = at(ctx, 'features');
  const out: number[][] = [];
  let bad = 0;
  let firstBad: string | undefined;
  for (const row of rows) {
    const f = callLearner(() => features(row, prepared));
    if (!Array.isArray(f)) throw new ContractError(`features() must return an array of numbers, but returned ${short(f)}`, where);
    width ??= f.length;
    if (f.length > MAX_FEATURES) throw new ContractError(`features() returns ${f.length} values per row; a lab model takes at most ${MAX_FEATURES}`, where);
    if (f.length !== width || width === 0) {
      throw new ContractError(`features() must return the same number of values for every row (got ${width} and then ${f.length})`, where);
    }
    if (!f.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      bad++;
      firstBad ??= `${short(f)} for ${short({ ...row })}`;
    }
    out.push(f as number[]);
  }
  if (bad > 0) {
    throw new ContractError(
      `features() returned something other than a finite number for ${bad} of ${rows.length} ${SPLIT_NAMES[split]} rows, e.g. ${firstBad}. ` +
        'Check for missing values (null) and divisions by zero, and replace them with a sensible number.',
      where,
    );
  }
  return out;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
