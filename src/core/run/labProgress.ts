// How far a learner is with a lab folder, read from its run files. Runs a hyperparameter study
// started (trials, with values the learner's code does not hold) are not the learner's progress.
import { RunStore, type RunRecord } from './store';
import type { GradeReport } from '../grade/report';
import { trialOf } from './trialRuns';

export type LabProgress = 'not-started' | 'started' | 'passed';

export interface LabProgressInfo {
  progress: LabProgress;
  /** The learner's newest run that finished (or was interrupted). */
  latest?: RunRecord;
  grade?: GradeReport;
  /** Whether any of the learner's runs ever passed. */
  everPassed: boolean;
}

export function labProgress(labDir: string): LabProgressInfo {
  const store = new RunStore(labDir);
  const runs = store.list().runs.filter((r) => r.status !== 'running' && !trialOf(store.runDir(r.id)));
  if (runs.length === 0) return { progress: 'not-started', everPassed: false };
  const latest = runs[runs.length - 1];
  const grade = store.readGrade(latest.id);
  // Checking every run's grade is cheap: grade.json is small and runs are few.
  const everPassed = runs.some((r) => store.readGrade(r.id)?.passed === true);
  return { progress: everPassed ? 'passed' : 'started', latest, grade, everPassed };
}
