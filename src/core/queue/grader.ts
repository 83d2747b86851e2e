// Class grading through the queue: each submission is a grading job (its id a hash of the files, the
// lab's manifest, the settings and the key), so learners who hand in the same files share one job,
// and a class graded again finds the results of jobs that ended while nobody waited for them.
import type { Grader, GradingRequest } from '../classGrading/gradeClass';
import { outcomeWithoutRun, type GradingOutcome } from '../classGrading/outcome';
import type { BackendChoice } from '../lab/manifest';
import type { JobCoordinator, JobEnd } from './coordinator';
import { base64Files, gradeJobId, type GradeJobData } from './jobs';
import type { QueueKey } from './signing';

export interface QueueGraderOptions {
  labId: string;
  manifestSha256: string;
  /** The public name of this machine's grading secret: workers must grade with the same one. */
  secretId?: string;
  backend?: BackendChoice;
  timeBudgetMs?: number;
  memoryMb?: number;
  /** Said when a grading's worker was lost and the grading went back to the queue. */
  note?(message: string): void;
}

export class QueueGrader implements Grader {
  readonly parallel = Number.POSITIVE_INFINITY;
  private readonly shared = new Map<string, Promise<JobEnd>>();

  constructor(
    private readonly coordinator: JobCoordinator,
    private readonly key: QueueKey,
    private readonly options: QueueGraderOptions,
  ) {}

  async grade(request: GradingRequest, signal: AbortSignal): Promise<GradingOutcome | undefined> {
    const data: GradeJobData = {
      kind: 'grade',
      v: 1,
      labId: this.options.labId,
      manifestSha256: this.options.manifestSha256,
      files: base64Files(request.files),
      ...(this.options.backend ? { backend: this.options.backend } : {}),
      ...(this.options.timeBudgetMs !== undefined ? { timeBudgetMs: this.options.timeBudgetMs } : {}),
      ...(this.options.memoryMb !== undefined ? { memoryMb: this.options.memoryMb } : {}),
      ...(this.options.secretId ? { secretId: this.options.secretId } : {}),
    };
    const id = gradeJobId(data, this.key.fingerprint);
    let end = this.shared.get(id);
    if (!end) {
      end = this.coordinator.submit(
        { id, data },
        { onStalled: () => this.options.note?.(`${request.learner}: the worker grading it stopped answering; the grading goes back to the queue`) },
      );
      this.shared.set(id, end);
    }
    let onAbort = () => {};
    const aborted = new Promise<undefined>((resolve) => (onAbort = () => resolve(undefined)));
    if (signal.aborted) return undefined;
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Stopped by the user: the job stays on the queue; the next grading of the class finds its result.
      const result = await Promise.race([end, aborted]);
      if (result === undefined) return undefined;
      if (!result.ok) return outcomeWithoutRun('error', result.reason);
      if (result.outcome.kind !== 'grade') return outcomeWithoutRun('error', 'the result did not verify: not a grading result');
      if (this.options.secretId && result.outcome.grade && result.outcome.secretId !== this.options.secretId) {
        return outcomeWithoutRun(
          'error',
          'the worker graded with another grading secret than this machine: set the same MLLABS_GRADING_SECRET on every machine',
        );
      }
      return result.outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
