// The one-line state of a run for a status bar: which phase it is in and for how long, against its
// time budget, so a run stuck in the learner's code reads as "running your code · 42 s of 60 s"
// rather than a "loading" that never changes.
import { formatValue } from '../format';
import type { RunVerdict } from './verdict';

export interface RunProgressState {
  labId: string;
  /** Date.now() when the run started. */
  startedAt: number;
  timeBudgetMs: number;
  debugging?: boolean;
  /** Set once the runner reported its TensorFlow.js backend (it then compiles and calls the learner's code). */
  backend?: string;
  /** Set once training started. */
  epochsPlanned?: number;
  lastEpoch?: { epoch: number; metrics: Record<string, number | null> };
}

/** "8 s", "2 min 05 s": whole seconds, so the text does not flicker. */
export function wholeSeconds(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function runningStatusText(state: RunProgressState, now: number): string {
  const elapsed = wholeSeconds(now - state.startedAt);
  const clock = state.debugging ? elapsed : `${elapsed} of ${wholeSeconds(state.timeBudgetMs)}`;
  const head = `${state.labId}: ${state.debugging ? 'debugging · ' : ''}`;
  if (state.lastEpoch) {
    const m = state.lastEpoch.metrics;
    const loss = m['val_loss'] ?? m['loss'];
    const total = state.epochsPlanned ? `/${state.epochsPlanned}` : '';
    return `${head}epoch ${state.lastEpoch.epoch}${total} · loss ${formatValue(loss)}${state.backend ? ` · ${state.backend}` : ''} · ${clock}`;
  }
  if (state.epochsPlanned !== undefined) return `${head}training, first epoch of ${state.epochsPlanned} · ${clock}`;
  if (state.backend) return `${head}running your code · ${clock}`;
  return `${head}starting · ${clock}`;
}

export function finishedStatusText(labId: string, verdict: RunVerdict, backend: string | undefined): string {
  const what = verdict.kind === 'passed' ? 'passed' : verdict.kind === 'checks-failed' ? verdict.text : verdict.text.replace(/:.*$/s, '');
  return `${labId}: ${what}${backend && verdict.graded ? ` · ${backend}` : ''}`;
}
