// A study of a lab folder with its trials on the queue's workers: the trials carry the lab's id, the
// learner's files as they are when the study starts, the trial's hyperparameters and the study's
// seed, so a worker runs them from its own install without the folder. Used by `mllabs tune --redis`
// and by VS Code's Tune command when mllabs.redisUrl is set.
import { readSubmission } from '../grade/official';
import type { LabRunOptions, OpenedLab } from '../run/labRun';
import { trialHyperparameters } from '../tuner/labTuning';
import type { QueueTarget } from './connection';
import { JobCoordinator } from './coordinator';
import type { QueueKey } from './signing';
import { QueueTrialScheduler } from './trialScheduler';

export class QueueSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueSetupError';
  }
}

export interface QueueStudy {
  scheduler: QueueTrialScheduler;
  /** Stops listening to the queue (trials not ended stay with the workers). */
  close(): Promise<void>;
}

export async function openQueueStudy(
  lab: OpenedLab,
  run: LabRunOptions,
  options: { target: QueueTarget; key: QueueKey; warn?: (message: string) => void },
): Promise<QueueStudy> {
  if (lab.source !== 'catalog') {
    throw new QueueSetupError(
      `trials on workers run course labs only (workers start each trial from their own copy of the lab); "${lab.manifest.id}" is a lab in development: tune it without Redis`,
    );
  }
  const files = readSubmission(lab.labDir, lab.manifest);
  const coordinator = await JobCoordinator.open({ target: options.target, key: options.key, warn: options.warn });
  const scheduler = new QueueTrialScheduler(coordinator, options.key, {
    labId: lab.manifest.id,
    manifestSha256: lab.sha256,
    files,
    hyperparameters: (params) => trialHyperparameters(params, lab.manifest),
    backend: run.backend,
    timeBudgetMs: run.timeBudgetMs,
    memoryMb: run.memoryMb,
    seed: run.seed,
    note: options.warn,
  });
  return { scheduler, close: () => coordinator.close() };
}
