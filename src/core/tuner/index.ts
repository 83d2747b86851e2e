// Hyperparameter tuning: studies of trials proposed by a sampler (grid, random or Bayesian),
// stopped early by a pruner, run by a scheduler, and kept in an append-only journal so that they
// survive restarts. What the CLI and the extension use:
//
//   const spec = loadStudySpec(file);                         // or parseStudySpec(text)
//   const scheduler = new LocalTrialScheduler(runOneTrial);   // (trial, { report, signal }) => result
//   const outcome = await runStudy({ labDir, spec, scheduler, signal, onEvent });
//   await runStudy({ labDir, resume: id, scheduler });         // continue a stopped study
//   listStudies(labDir), readStudy(labDir, id)                 // for the studies view
export {
  ALGORITHMS,
  GOALS,
  PARAMETER_TYPES,
  SCALE_TYPES,
  StudySpec,
  StudySpecError,
  loadStudySpec,
  parseStudySpec,
  readStudySpec,
  resumeConflict,
  samplerKind,
  validateStudySpec,
  type Algorithm,
  type Goal,
  type ParameterSpec,
  type ParameterType,
  type ScaleType,
  type SpecResult,
  type StudySpecInput,
} from './spec';
export { fromUnit, paramsKey, searchSpace, toUnit, type ParamValue, type Params, type SearchParam } from './scale';
export { TRIAL_STATES, isFinished, type IntermediateValue, type Trial, type TrialEvent, type TrialState } from './trial';
export { bestTrial, isBetter, type BestTrial, type StudyView } from './study';
export type { Proposal, Sampler, SamplerContext, SyncSampler } from './samplers/sampler';
export { Grid, GridSampler } from './samplers/grid';
export { RandomSampler } from './samplers/random';
export { GaussianProcessSampler, type GaussianProcessSamplerOptions } from './samplers/bayesian';
export { WorkerSampler, type WorkerSamplerOptions } from './samplers/workerSampler';
export { SamplerChoice } from './samplerProtocol';
export { MedianStoppingPruner, NopPruner, createPruner, type MedianStoppingOptions, type Pruner } from './pruners';
export {
  LocalTrialScheduler,
  cpuCount,
  type LocalSchedulerOptions,
  type TrialContext,
  type TrialFunction,
  type TrialRequest,
  type TrialResult,
  type TrialScheduler,
} from './scheduler';
export {
  BEST_FILE,
  FileStudyStorage,
  JOURNAL_FILE,
  MemoryStudyStorage,
  SPEC_FILE,
  StudyBusyError,
  StudyNotFoundError,
  listStudies,
  newStudyId,
  readStudy,
  studiesRoot,
  type StoredStudy,
  type StudySnapshot,
  type StudyStorage,
} from './storage';
export { runStudy, type RunStudyOptions } from './runStudy';
export { StudySetupError, createSampler } from './studySetup';
export type { StudyEvent, StudyOutcome, StudyProgress, StudyStatus } from './studyEvents';
