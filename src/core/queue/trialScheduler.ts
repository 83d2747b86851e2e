// A study's trials as queue jobs. The study runner (and its journal, on this machine) stays the
// single source of truth: this scheduler only carries each trial to a worker and its result back.
// Intermediate values come back as the job's progress (signed), the pruner decides here, and its
// decision goes to the worker as a stop flag. maxParallelTrials counts trials across all workers.
import type { StudyScheduler } from '../tuner/labTuning';
import { DEFAULT_METRIC_TAG } from '../tuner/labTuning';
import type { BackendChoice } from '../lab/manifest';
import type { Hyperparameters } from '../run/protocol';
import type { StudySpec, TrialContext, TrialRequest, TrialResult } from '../tuner';
import type { JobCoordinator } from './coordinator';
import { base64Files, TrialProgress, trialJobId, type TrialJobData } from './jobs';
import { verify, type QueueKey } from './signing';

/** As many trials as the spec allows: the workers, not this machine, bound how many run at once. */
export const QUEUE_CAPACITY = 1000;

export interface QueueTrialOptions {
  labId: string;
  manifestSha256: string;
  /** The learner's files as they are when the study starts (every trial runs these). */
  files: Record<string, Buffer>;
  /** Maps a trial's parameters to the lab's hyperparameters (spec names to code names). */
  hyperparameters(params: TrialRequest['params']): Hyperparameters;
  backend?: BackendChoice;
  timeBudgetMs?: number;
  memoryMb?: number;
  /** The seed when the spec has none (as for local trials). */
  seed?: number;
  /** A note for the user (a trial's job went back to the queue…). */
  note?(message: string): void;
}

export class QueueTrialScheduler implements StudyScheduler {
  readonly capacity = QUEUE_CAPACITY;
  private studyId: string | undefined;
  private spec: StudySpec | undefined;

  constructor(
    private readonly coordinator: JobCoordinator,
    private readonly key: QueueKey,
    private readonly options: QueueTrialOptions,
  ) {}

  opened(studyId: string, spec: StudySpec): void {
    this.studyId = studyId;
    this.spec = spec;
  }

  async run(trial: TrialRequest, ctx: TrialContext): Promise<TrialResult> {
    if (!this.studyId || !this.spec) return { objective: null, error: 'the study is not open yet' };
    const data: TrialJobData = {
      kind: 'trial',
      v: 1,
      labId: this.options.labId,
      manifestSha256: this.options.manifestSha256,
      files: base64Files(this.options.files),
      hyperparameters: this.options.hyperparameters(trial.params),
      // One seed for every trial, as locally: trials differ by their hyperparameters, not by luck.
      seed: this.options.seed ?? this.spec.seed ?? 1,
      metricTag: this.spec.hyperparameterMetricTag ?? DEFAULT_METRIC_TAG,
      ...(this.options.backend ? { backend: this.options.backend } : {}),
      ...(this.options.timeBudgetMs !== undefined ? { timeBudgetMs: this.options.timeBudgetMs } : {}),
      ...(this.options.memoryMb !== undefined ? { memoryMb: this.options.memoryMb } : {}),
    };
    const id = trialJobId(this.studyId, trial.number, data, this.key.fingerprint);
    if (ctx.signal.aborted) return { objective: null, error: 'cancelled before it started' };

    // A retried job reports its first epochs again: each step counts once.
    let lastStep = -Infinity;
    let pruned = false;
    const onProgress = (raw: unknown) => {
      const p = TrialProgress.safeParse(raw);
      if (!p.success) return;
      const { step, value, signature } = p.data;
      if (!verify(this.key, 'progress', id, { step, value }, signature) || step <= lastStep) return;
      lastStep = step;
      ctx
        .report(step, value ?? Number.NaN)
        .then((stop) => {
          if (stop) pruned = true;
        })
        .catch(() => {});
    };
    let onAbort = () => {};
    const aborted = new Promise<'aborted'>((resolve) => (onAbort = () => resolve('aborted')));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const end = await Promise.race([
        this.coordinator.submit(
          { id, data },
          { onProgress, onStalled: () => this.options.note?.(`trial ${trial.number}: its worker stopped answering; the trial goes back to the queue`) },
        ),
        aborted,
      ]);
      if (end === 'aborted') {
        // Pruned or cancelled: the study has decided (and records it); the worker is told to stop.
        void this.coordinator.stop(id, pruned ? 'pruned' : 'cancelled');
        return { objective: null, error: 'stopped' };
      }
      if (!end.ok) return { objective: null, error: end.reason };
      if (end.outcome.kind !== 'trial') return { objective: null, error: 'the result did not verify: not a trial result' };
      const { objective, metrics, error } = end.outcome;
      return { objective, ...(metrics ? { metrics } : {}), ...(error ? { error } : {}) };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }
}
