// What a finished run means for the learner, in one line: passed, some checks failed, or it never
// trained (a syntax error, an exception, the time budget) — then the checks say nothing and must not
// be announced as "failed checks" — or it was cancelled, which is no failure at all. Derived from the
// run's status and failure; the grade format stays as it is.
import type { GradeReport } from '../grade/report';
import type { RunRecord } from './store';

export type VerdictKind = 'passed' | 'checks-failed' | 'did-not-train' | 'did-not-finish' | 'cancelled';

export interface RunVerdict {
  kind: VerdictKind;
  /** One line, e.g. "5 of 7 checks passed", "did not train: syntax error at model.ts:12 — Expected "]"". */
  text: string;
  /** Whether the checks measured anything: false when the run never finished training. */
  graded: boolean;
  /** Where the problem is in the learner's code, when known. */
  location?: { file: string; line: number; column: number };
}

type VerdictRecord = Pick<RunRecord, 'status' | 'epochs' | 'epochsPlanned' | 'failure'>;

/** Failures whose message alone does not say what went wrong; the others' messages say it all. */
const WHAT_FAILED: Record<string, string> = {
  compile: 'syntax error',
  learner: 'your code threw an error',
};

function epochsText(record: VerdictRecord): string {
  const n = record.epochs;
  return record.epochsPlanned ? `${n} of ${record.epochsPlanned} epochs` : `${n} epoch${n === 1 ? '' : 's'}`;
}

/** The failure's message without the "file:line:column: " prefix that compile errors carry. */
function bareMessage(message: string, location: { file: string; line: number } | undefined): string {
  if (!location) return message;
  const prefix = new RegExp(`^${location.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${location.line}(?::\\d+)?:\\s*`);
  return message.replace(prefix, '');
}

export function runVerdict(record: VerdictRecord, grade: Pick<GradeReport, 'passed' | 'summary'>): RunVerdict {
  if (record.status === 'completed' || record.status === 'diverged') {
    return grade.passed ? { kind: 'passed', text: grade.summary, graded: true } : { kind: 'checks-failed', text: grade.summary, graded: true };
  }
  if (record.status === 'cancelled') {
    return { kind: 'cancelled', text: record.epochs > 0 ? `cancelled after ${epochsText(record)}` : 'cancelled before training started', graded: false };
  }
  const failure = record.failure;
  const kind = failure?.kind ?? record.status;
  const location = failure?.location;
  const where = location ? `${location.file}:${location.line}` : '';
  const why = failure ? bareMessage(failure.message, location) : `the run ended as "${record.status}"`;
  const what = WHAT_FAILED[kind];
  const detail = what ? `${what}${where ? ` at ${where}` : ''} — ${why}` : `${why}${where ? ` (${where})` : ''}`;
  const head = record.epochs > 0 ? `did not finish (stopped after ${epochsText(record)})` : 'did not train';
  const verdict: RunVerdict = {
    kind: record.epochs > 0 ? 'did-not-finish' : 'did-not-train',
    text: `${head}: ${detail}`,
    graded: false,
  };
  if (location) verdict.location = location;
  return verdict;
}
