// Class grading on this machine: official gradings in local processes, as many at once as there are
// cores (each is an evaluator and a learner process training a model; more would only slow all).
import pLimit from 'p-limit';
import type { BackendChoice } from '../lab/manifest';
import { gradeOfficial } from '../grade/official';
import { cpuCount } from '../tuner';
import { outcomeOfError, outcomeOfOfficial, type GradingOutcome } from './outcome';
import type { Grader, GradingRequest } from './gradeClass';

export interface LocalGraderOptions {
  installRoot: string;
  labId: string;
  secret?: string;
  secretId?: string;
  backend?: BackendChoice;
  timeBudgetMs?: number;
  memoryMb?: number;
  nativeDir?: string;
  /** Gradings at once (default: the cores). */
  concurrency?: number;
}

export class LocalGrader implements Grader {
  readonly parallel: number;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(private readonly options: LocalGraderOptions) {
    this.parallel = Math.max(1, options.concurrency ?? cpuCount());
    this.limit = pLimit(this.parallel);
  }

  grade(request: GradingRequest, signal: AbortSignal): Promise<GradingOutcome | undefined> {
    return this.limit(async () => {
      if (signal.aborted) return undefined;
      try {
        const result = await gradeOfficial({
          installRoot: this.options.installRoot,
          labId: this.options.labId,
          files: request.files,
          secret: this.options.secret,
          backend: this.options.backend,
          timeBudgetMs: this.options.timeBudgetMs,
          memoryMb: this.options.memoryMb,
          nativeDir: this.options.nativeDir,
          signal,
        });
        return signal.aborted ? undefined : outcomeOfOfficial(result, { secretId: this.options.secretId, gradedBy: 'local' });
      } catch (err) {
        return outcomeOfError(err, 'local');
      }
    });
  }
}
