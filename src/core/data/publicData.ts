// The data a learner's lab folder gets: the lab's training and validation rows only. The held-out rows
// (and so their labels) stay with ML Labs, which measures on them; a copy in the lab folder would be a
// lookup table of the answers.
import type { LabManifest } from '../lab/manifest';
import { splitRows } from './split';

/** The lines of a CSV data set that the lab's split does not hold out, in their original order. */
export function publicCsv(manifest: LabManifest, text: string): string {
  const lines = text.split(/\r?\n/);
  const header = lines[0];
  // The evaluator parses the same lines (non-empty ones) and splits them with the same seed.
  const body = lines.slice(1).filter((l) => l.length > 0);
  const { train, validation } = splitRows(
    body.map((_, i) => i),
    manifest.data.split,
    manifest.data.shuffleSeed,
    manifest.data.rows,
  );
  const kept = [...train, ...validation].sort((a, b) => a - b);
  return [header, ...kept.map((i) => body[i])].join('\n') + '\n';
}

/** How a data file is copied into a lab folder: as is, or without its held-out rows. */
export function publicDataCopy(manifest: LabManifest, file: string): ((content: Buffer) => Buffer) | undefined {
  if (manifest.data.dataset === 'california-housing' && file.endsWith('.csv')) {
    return (content) => Buffer.from(publicCsv(manifest, content.toString('utf8')), 'utf8');
  }
  return undefined;
}
