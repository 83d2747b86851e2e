// What a study reports as it runs, and what it resolves with when it stops.
import type { StudySpec } from './spec';
import type { BestTrial } from './study';
import type { Trial } from './trial';

export type StudyStatus = 'completed' | 'exhausted' | 'cancelled' | 'failed';

export interface StudyProgress {
  /** Trials that used up a slot of maxTrials (completed, pruned or failed). */
  finished: number;
  running: number;
  maxTrials: number;
}

export interface StudyOutcome {
  studyId: string;
  location: string;
  /**
   * completed: maxTrials trials finished; exhausted: the sampler had nothing left to try (a grid
   * smaller than maxTrials); cancelled: the signal was aborted; failed: too many trials failed.
   */
  status: StudyStatus;
  /** Why the study stopped, in words. */
  reason: string;
  trials: Trial[];
  best?: BestTrial;
  warnings: string[];
}

/** What a study runner reports as it goes; each carries copies, safe to keep or post to a webview. */
export type StudyEvent =
  // The study is open: its trials so far (after marking those left running as interrupted).
  | {
      type: 'opened';
      studyId: string;
      location: string;
      resumed: boolean;
      spec: StudySpec;
      trials: Trial[];
      interrupted: number[];
      parallel: number;
      best?: BestTrial;
    }
  // A trial was created and handed to the scheduler.
  | { type: 'trial-started'; trial: Trial; progress: StudyProgress }
  // A running trial reported an intermediate value.
  | { type: 'trial-reported'; trial: number; step: number; value: number | null }
  // A trial ended: completed, pruned, failed or interrupted.
  | { type: 'trial-finished'; trial: Trial; progress: StudyProgress }
  // A completed trial is the new best.
  | { type: 'best'; best: BestTrial }
  // Something the user should know that does not stop the study (a skipped journal line…).
  | { type: 'warning'; message: string }
  // The study stopped; the same outcome `runStudy` resolves with.
  | { type: 'finished'; outcome: StudyOutcome };
