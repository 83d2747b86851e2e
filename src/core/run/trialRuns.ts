// A run started by a hyperparameter study (a trial) is marked in its folder, so what the learner
// sees as their progress (the Labs view, the grade shown again after a reload) comes from their own
// runs, not from the last trial a study happened to run with values the code does not hold. The
// marker is written while the run is under way, so the run's seal covers it.
import { readLabText, writeLabFile } from '../files/labFiles';

export const TRIAL_MARKER = 'trial.json';

export interface TrialMarker {
  trial: number;
}

export function markTrialRun(runDir: string, marker: TrialMarker): void {
  try {
    writeLabFile(runDir, TRIAL_MARKER, JSON.stringify(marker) + '\n');
  } catch {
    // The run still counts; it only shows as the learner's own.
  }
}

/** The trial that started the run in `runDir`, if a study did. */
export function trialOf(runDir: string): TrialMarker | undefined {
  try {
    const text = readLabText(runDir, TRIAL_MARKER, 4096);
    if (text === undefined) return undefined;
    const raw = JSON.parse(text) as { trial?: unknown };
    return typeof raw.trial === 'number' && Number.isInteger(raw.trial) && raw.trial > 0 ? { trial: raw.trial } : undefined;
  } catch {
    return undefined;
  }
}
