// Trials and the journal that records them. The journal (trials.jsonl) is the study's source of
// truth: one event per line, only ever appended, and replaying it rebuilds every trial. Nothing
// else about a trial is stored, so a study stopped between any two lines is still consistent.
import * as z from 'zod/mini';
import '../zodMessages';
import type { Params } from './scale';

/**
 * running: created and not finished (after a restart, one still running was interrupted);
 * completed: finished with an objective; pruned: stopped early by the pruner; failed: raised an
 * error or produced no objective; interrupted: cut off by a kill or a cancel — it does not count
 * towards maxTrials and its parameters run again as a new trial.
 */
export const TRIAL_STATES = ['running', 'completed', 'pruned', 'failed', 'interrupted'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

/** States that use up one of the study's maxTrials. */
export function isFinished(state: TrialState): boolean {
  return state === 'completed' || state === 'pruned' || state === 'failed';
}

const ParamsSchema = z.record(z.string(), z.union([z.number(), z.string()]));
/** Non-finite numbers are stored as null (JSON has no NaN). */
const Value = z.nullable(z.number());
const MetricsSchema = z.record(z.string(), Value);

const eventBase = {
  /** Trial number, from 1, in creation order. */
  trial: z.int().check(z.minimum(1)),
  /** ISO time the event was written. */
  at: z.string(),
};

// A trial was created with these parameters and handed to the scheduler.
const CreatedEvent = z.object({
  type: z.literal('created'),
  ...eventBase,
  params: ParamsSchema,
  /** Set when this trial re-runs the parameters of an interrupted one. */
  retryOf: z.optional(z.int().check(z.minimum(1))),
});
// The trial reported an intermediate value of the objective (e.g. validation loss after an epoch).
const ReportedEvent = z.object({ type: z.literal('reported'), ...eventBase, step: z.number(), value: Value });
// The trial finished with an objective.
const CompletedEvent = z.object({
  type: z.literal('completed'),
  ...eventBase,
  objective: z.number(),
  metrics: z.optional(MetricsSchema),
  durationMs: z.optional(z.number()),
});
// The pruner stopped the trial at `step`; its objective is the last value it reported.
const PrunedEvent = z.object({
  type: z.literal('pruned'),
  ...eventBase,
  step: z.number(),
  objective: Value,
  metrics: z.optional(MetricsSchema),
  durationMs: z.optional(z.number()),
});
// The trial raised an error or finished without an objective.
const FailedEvent = z.object({
  type: z.literal('failed'),
  ...eventBase,
  error: z.string(),
  metrics: z.optional(MetricsSchema),
  durationMs: z.optional(z.number()),
});
// The trial never finished: its process was killed, or the study was cancelled while it ran.
const InterruptedEvent = z.object({ type: z.literal('interrupted'), ...eventBase, reason: z.string() });

export const TrialEvent = z.discriminatedUnion('type', [CreatedEvent, ReportedEvent, CompletedEvent, PrunedEvent, FailedEvent, InterruptedEvent]);
export type TrialEvent = z.infer<typeof TrialEvent>;

/** Distributes over the union, so each event keeps its own fields. */
type WithoutTime<E> = E extends unknown ? Omit<E, 'at'> : never;
/** An event before it is stamped with its time. */
export type NewTrialEvent = WithoutTime<TrialEvent>;

export interface IntermediateValue {
  step: number;
  value: number | null;
}

export interface Trial {
  number: number;
  params: Params;
  state: TrialState;
  /** In the order reported. */
  intermediate: IntermediateValue[];
  /** completed: the objective; pruned: the last reported value; otherwise undefined. */
  objective?: number | null;
  metrics?: Record<string, number | null>;
  error?: string;
  retryOf?: number;
  createdAt: string;
  finishedAt?: string;
  durationMs?: number;
}

/** Whether a trial ended up with an objective the sampler can learn from. */
export function hasObjective(trial: Trial): trial is Trial & { objective: number } {
  return (trial.state === 'completed' || trial.state === 'pruned') && typeof trial.objective === 'number' && Number.isFinite(trial.objective);
}

export interface Replayed {
  trials: Trial[];
  warnings: string[];
}

/**
 * Applies one journal event to the trials (by number), in place. Returns a warning instead of
 * throwing when the event makes no sense (a duplicate, or an event for an unknown or ended trial).
 */
export function applyTrialEvent(trials: Map<number, Trial>, e: TrialEvent): string | undefined {
  if (e.type === 'created') {
    if (trials.has(e.trial)) return `trial ${e.trial} is created twice in the journal; the second is ignored`;
    trials.set(e.trial, { number: e.trial, params: e.params, state: 'running', intermediate: [], retryOf: e.retryOf, createdAt: e.at });
    return undefined;
  }
  const t = trials.get(e.trial);
  if (!t) return `the journal has a "${e.type}" event for trial ${e.trial}, which was never created; ignored`;
  if (t.state !== 'running') return `the journal has a "${e.type}" event for trial ${e.trial} after it ended (${t.state}); ignored`;
  switch (e.type) {
    case 'reported':
      t.intermediate.push({ step: e.step, value: e.value });
      break;
    case 'completed':
      Object.assign(t, { state: 'completed', objective: e.objective, metrics: e.metrics, finishedAt: e.at, durationMs: e.durationMs });
      break;
    case 'pruned':
      Object.assign(t, { state: 'pruned', objective: e.objective, metrics: e.metrics, finishedAt: e.at, durationMs: e.durationMs });
      break;
    case 'failed':
      Object.assign(t, { state: 'failed', error: e.error, metrics: e.metrics, finishedAt: e.at, durationMs: e.durationMs });
      break;
    case 'interrupted':
      Object.assign(t, { state: 'interrupted', error: e.reason, finishedAt: e.at });
      break;
  }
  return undefined;
}

/** Rebuilds the trials, in number order, from journal events. */
export function replayJournal(events: readonly TrialEvent[]): Replayed {
  const byNumber = new Map<number, Trial>();
  const warnings: string[] = [];
  for (const e of events) {
    const warning = applyTrialEvent(byNumber, e);
    if (warning) warnings.push(warning);
  }
  return { trials: [...byNumber.values()].sort((a, b) => a.number - b.number), warnings };
}

/** Parses trials.jsonl, skipping (and reporting) torn or malformed lines. */
export function parseJournal(text: string, file = 'trials.jsonl'): { events: TrialEvent[]; warnings: string[] } {
  const events: TrialEvent[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  const endsClean = text.length === 0 || text.endsWith('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof TrialEvent.safeParse> | undefined;
    try {
      parsed = TrialEvent.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) events.push(parsed.data);
    else if (i === lines.length - 1 && !endsClean)
      warnings.push(`${file}: the last line is incomplete (the study was stopped while writing it) and was skipped`);
    else warnings.push(`${file}: line ${i + 1} is not a valid trial event and was skipped`);
  });
  return { events, warnings };
}
