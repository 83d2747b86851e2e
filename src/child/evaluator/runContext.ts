// The context a lab kind runs in: the learner's process driven stage by stage (build or train on the
// process started at launch, serve on a fresh one), the evaluator's own TensorFlow.js loaded once
// the rows have left, and the run's "ready" message sent once, naming the backend the lab trains on.
import type { ChildMessage, StartMessage } from '../../core/run/protocol';
import type { BackendChoiceResult } from '../common/tfjsBackend';
import type { LearnerStart } from '../common/learnerProtocol';
import type { LoadedData } from '../datasets';
import type { EvalContext } from './context';
import type { LabKind } from './kinds';
import type { SpawnedLearner } from './learnerProcess';

export interface RunParts {
  start: StartMessage;
  kind: LabKind;
  entry: string;
  entrySource: string;
  /** The learner's code, compiled. */
  bundle: string;
  data: LoadedData;
  /** The learner's process started at launch: one stage runs on it, once. */
  first: SpawnedLearner;
  /** Starts another learner's process (to serve saved models). */
  launch: () => SpawnedLearner;
  tf: () => Promise<BackendChoiceResult>;
  send: (message: ChildMessage) => void | Promise<void>;
  /** When the run started, for the ready message's load time. */
  t0: number;
  /** Where the time went before training, for the run's timings (filled in as the stages run). */
  marks: Record<string, number>;
}

/** Sends "ready" once, when the first learner's process is ready. */
function readyAnnouncer(run: RunParts): (learner: SpawnedLearner) => Promise<void> {
  let readySent = false;
  return async (learner) => {
    const ready = await learner.ready();
    if (readySent) return;
    readySent = true;
    // The backend reported is the one the lab trains on: the evaluator's own, unless the learner's process trains.
    const own = run.kind.trainer === 'lab' && run.kind.usesTf ? await run.tf() : undefined;
    await run.send({
      type: 'ready',
      backend: own?.backend ?? ready.backend,
      reason: own?.reason ?? ready.reason,
      attempts: own?.attempts ?? ready.attempts,
      versions: own?.versions ?? ready.versions,
      loadMs: Date.now() - run.t0,
      confinement: learner.confinement,
    });
  };
}

/** The start message of a learner's process in a given mode: what every stage needs. */
function startMessage(run: RunParts, mode: LearnerStart['mode']): LearnerStart {
  const { start } = run;
  return {
    type: 'start',
    mode,
    bundle: run.bundle,
    labDir: start.labDir,
    entry: run.entry,
    entrySource: run.entrySource,
    manifest: start.manifest,
    overrides: start.hyperparameters,
    backend: start.backend,
    ...(start.nativeDir ? { nativeDir: start.nativeDir } : {}),
    seed: start.seed,
    label: run.data.label,
  };
}

export function evalContext(run: RunParts): EvalContext {
  const { start, kind, marks, tf } = run;
  const announce = readyAnnouncer(run);
  let firstUsed = false;
  const takeFirst = (): SpawnedLearner => {
    if (firstUsed) throw new Error('the learner process was already used');
    firstUsed = true;
    return run.first;
  };
  return {
    start,
    manifest: start.manifest,
    entry: run.entry,
    entrySource: run.entrySource,
    data: run.data,
    send: (m) => void run.send(m),
    tf,
    build: async (plan, rows, label) => {
      const learner = takeFirst();
      const sent = Date.now();
      // The rows leave first: loading TensorFlow.js blocks this process, and with it the writing of the rows.
      learner.start({ ...startMessage(run, 'build'), ...(rows ? { rows } : {}), build: plan, ...(label ? { label } : {}) });
      if (kind.usesTf)
        void tf().then(
          () => (marks.tfMs = Date.now() - sent),
          () => undefined,
        );
      await announce(learner);
      const built = await learner.built();
      marks.buildMs = Date.now() - sent;
      return built;
    },
    train: async (plan, sets, heldOut) => {
      const learner = takeFirst();
      learner.start({
        ...startMessage(run, 'train'),
        ...(sets.inputs ? { inputs: sets.inputs } : {}),
        ...(sets.labels ? { labels: sets.labels } : {}),
        train: plan,
      });
      await announce(learner);
      const trained = await learner.trained();
      const predictions = await learner.predict({ type: 'predict', test: heldOut.test, validation: heldOut.validation });
      return { trained, predictions };
    },
    serve: async (models, inputs) => {
      const learner = run.launch();
      learner.start({ ...startMessage(run, 'serve'), serve: { models, inputs } });
      await learner.ready();
      return learner.served();
    },
  };
}
