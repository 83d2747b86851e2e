// What a study needs before its first trial: the storage it is kept in (a new study, or the one to
// resume, with the spec it continues with) and the sampler its spec names.
import { randomInt } from 'crypto';
import { GaussianProcessSampler } from './samplers/bayesian';
import { defaultGridResolution, GridSampler } from './samplers/grid';
import { RandomSampler } from './samplers/random';
import type { Sampler } from './samplers/sampler';
import { WorkerSampler } from './samplers/workerSampler';
import { searchSpace } from './scale';
import { resumeConflict, samplerKind, type StudySpec } from './spec';
import { FileStudyStorage, newStudyId, StudyNotFoundError, type StudyStorage } from './storage';
import { replayJournal, type Trial } from './trial';

export class StudySetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StudySetupError';
  }
}

/** The spec's sampler; with `workerScript`, the Bayesian one runs in a worker thread. */
export function createSampler(spec: Pick<StudySpec, 'algorithm'>, options: { workerScript?: string } = {}): Sampler {
  switch (samplerKind(spec)) {
    case 'grid':
      return new GridSampler();
    case 'random':
      return new RandomSampler();
    case 'bayesian':
      return options.workerScript ? new WorkerSampler({ script: options.workerScript, sampler: { kind: 'gaussian-process' } }) : new GaussianProcessSampler();
  }
}

/** Where a study is kept: a storage given as is, or a lab folder with the id to resume (else a new id). */
export interface StudyPlace {
  storage?: StudyStorage;
  labDir?: string;
  resume?: string;
  spec?: StudySpec;
}

/** Opens (or creates) the study the options name. */
export function openStorage(options: StudyPlace): { storage: StudyStorage; resuming: boolean } {
  if (options.storage) return { storage: options.storage, resuming: options.storage.exists() };
  if (!options.labDir) throw new StudySetupError('runStudy needs a labDir or a storage');
  const resumeId = options.resume ?? options.spec?.resumePreviousJobId;
  if (resumeId !== undefined) {
    const storage = new FileStudyStorage(options.labDir, resumeId);
    if (!storage.exists()) throw new StudyNotFoundError(resumeId, options.labDir);
    return { storage, resuming: true };
  }
  let storage = new FileStudyStorage(options.labDir, newStudyId());
  while (storage.exists()) storage = new FileStudyStorage(options.labDir, newStudyId());
  return { storage, resuming: false };
}

/** The spec the study continues with: the stored one, with the new budgets if a spec was given. */
function resumedSpec(stored: StudySpec, next: StudySpec | undefined): StudySpec {
  if (!next) return stored;
  const conflict = resumeConflict(stored, next);
  if (conflict) throw new StudySetupError(`cannot resume the study with this spec: ${conflict}`);
  // The seed and grid stay those of the study, so earlier trials keep their meaning.
  return { ...next, seed: stored.seed, gridResolution: next.gridResolution ?? stored.gridResolution, resumePreviousJobId: undefined };
}

/**
 * The spec the study runs with and its trials so far: a resumed study's from its files, a new study's
 * spec completed and stored (with no trials yet). What is wrong in the files goes to `warn`.
 */
export function openSpec(
  storage: StudyStorage,
  resuming: boolean,
  next: StudySpec | undefined,
  warn: (message: string) => void,
): { spec: StudySpec; trials: Trial[] } {
  if (resuming) {
    const stored = storage.load();
    const spec = resumedSpec(stored.spec, next);
    if (JSON.stringify(spec) !== JSON.stringify(stored.spec)) storage.saveSpec(spec);
    stored.warnings.forEach((w) => warn(w));
    const replayed = replayJournal(stored.events);
    replayed.warnings.forEach((w) => warn(w));
    return { spec, trials: replayed.trials };
  }
  if (!next) throw new StudySetupError('a new study needs a spec');
  // The seed (and a grid's resolution) are fixed now and stored, so that a resumed study
  // proposes what this one would have, even if it is resumed with a larger maxTrials.
  const spec: StudySpec = { ...next, seed: next.seed ?? randomInt(1, 2 ** 31 - 1), resumePreviousJobId: undefined };
  if (samplerKind(next) === 'grid' && next.gridResolution === undefined) {
    spec.gridResolution = defaultGridResolution(searchSpace(next), next.maxTrials);
  }
  storage.create(spec);
  return { spec, trials: [] };
}
