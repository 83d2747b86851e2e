// What a lab kind works with in the evaluator: the request, the data with its labels (which never
// leave this process), TensorFlow.js for training and prediction, the way to the host, and the
// learner's process, driven stage by stage.
import * as path from 'path';
import type { LabManifest } from '../../core/lab/manifest';
import type { ChildMessage, Confinement, Metrics, StartMessage } from '../../core/run/protocol';
import type { BackendChoiceResult } from '../common/tfjsBackend';
import type { LoadedData } from '../datasets';
import type { BuildPlan, LearnerBuilt, LearnerPredictions, LearnerStart, LearnerTrained, Rows, TrainPlan } from '../common/learnerProtocol';
import type { Matrix, ModelArtifacts } from '../common/wire';
import type { SpawnedLearner } from './learnerProcess';

export type Tf = typeof import('@tensorflow/tfjs');

/** What a lab kind measured. */
export interface KindResult {
  status: 'completed' | 'diverged';
  outputs: Metrics;
  /** What only the learner's process could observe: kept apart, labelled as reported by the learner's code. */
  reported?: Metrics;
  trainedBy: 'lab' | 'learner';
  diagnosis?: string;
  evidence?: Record<string, unknown>;
  /** Files for the run's folder, relative to it. */
  artifacts?: { path: string; base64: string }[];
  timings: { prepareMs: number; trainMs: number; evaluateMs: number };
}

export interface EvalContext {
  start: StartMessage;
  manifest: LabManifest;
  entry: string;
  entrySource: string;
  data: LoadedData;
  send(message: ChildMessage): void;
  /** The evaluator's own TensorFlow.js, on the backend chosen for the run (loaded once). */
  tf(): Promise<BackendChoiceResult>;
  /**
   * Runs the build stage in the learner's process (started at launch) and returns its result. Once
   * the rows have left, the evaluator's own TensorFlow.js starts loading (it blocks this process):
   * call tf() after build(), never beside it, or the rows wait for it.
   */
  build(plan: BuildPlan, rows?: Rows, label?: string): Promise<LearnerBuilt>;
  /** Runs the train stage; then hands the learner the held-out inputs and returns its predictions. */
  train(
    plan: TrainPlan,
    data: { inputs: LearnerStart['inputs']; labels: LearnerStart['labels'] },
    heldOut: { test: Matrix; validation: Matrix },
  ): Promise<{ trained: LearnerTrained; predictions: LearnerPredictions }>;
  /** Loads saved models in a fresh learner process (as a server would) and predicts the inputs. */
  serve(models: { name: string; artifacts: ModelArtifacts }[], inputs: Matrix): Promise<LearnerPredictions>;
}

/** The launch of a learner process: its script, the files it may read, its confinement. */
export interface LearnerLauncher {
  launch(mode: LearnerStart['mode']): SpawnedLearner;
  confinement: Confinement;
}

export function runnerDir(installRoot: string): string {
  return path.join(installRoot, 'dist');
}
