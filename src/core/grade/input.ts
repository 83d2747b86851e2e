// What the grader is given (the manifest, the run as recorded, the learner's files) and what every
// check kind gets from it: one module both the grader and the check kinds import.
import type { LabManifest } from '../lab/manifest';
import type { Hyperparameters, Metrics, SourceLocation } from '../run/protocol';
import type { CauseContext } from './causes';
import type { GradeProvenance } from './report';

export type GradedRunStatus = 'completed' | 'diverged' | 'failed' | 'cancelled' | 'timeout' | 'crashed' | 'oom' | 'interrupted' | 'running';

export interface GradeInput {
  manifest: LabManifest;
  run: {
    id: string;
    status: GradedRunStatus;
    /** Measured by the lab. */
    outputs?: Metrics;
    /** Reported by the learner's own process (e.g. which of its weights changed): shown as such. */
    reported?: Metrics;
    /** Per-epoch metrics, in order; `source` "learner" when the learner's process measured them. */
    epochs: { epoch: number; metrics: Metrics; source?: 'lab' | 'learner' }[];
    hyperparameters: Hyperparameters;
    diagnosis?: string;
    failure?: { kind: string; message: string; location?: SourceLocation };
    trainedBy?: 'lab' | 'learner';
    /** What the evaluator saw of the model and the data (see evidence.ts). */
    evidence?: unknown;
  };
  /** Learner files by path relative to the lab folder; undefined when missing. */
  sources: Record<string, string | undefined>;
  provenance?: GradeProvenance;
}

/** What every check kind gets: the run, and how to say things about it. */
export interface CheckContext {
  input: GradeInput;
  cause: CauseContext;
  /** An output: measured by the lab, or else reported by the learner's process (and marked so). */
  output(name: string): { value: number | null | undefined; source: 'lab' | 'learner' };
  /** Whether a curve came from the learner's own process rather than the lab's loop. */
  curveSource(): 'lab' | 'learner';
}
