// Entry point of the evaluator: the trusted side of a run. Started by the host (the extension host or
// the CLI), it compiles the learner's code, starts the learner's process (confined), owns the data,
// the split and the labels, trains where the model is plain data, predicts and measures. It never
// loads the learner's code. Its messages to the host are the run's only source of measurements.
import * as fs from 'fs';
import * as path from 'path';
import { HostMessage, type ChildMessage, type ErrorKind, type SourceLocation, type StartedMessage, type StartMessage } from '../../core/run/protocol';
import { findNativeBackend } from '../../core/native/location';
import { chooseBackend, type BackendChoiceResult } from '../common/tfjsBackend';
import { compileLearner, CompileError } from '../common/compileLearner';
import { CourseIntegrityError } from '../../core/lab/courseDigests';
import { ContractError, LearnerError } from '../common/errors';
import { loadLabData } from '../datasets';
import { seedGlobalRandom } from '../common/seed';
import type { KindResult } from './context';
import { KINDS } from './kinds';
import { LearnerFailure, spawnLearner, type SpawnedLearner } from './learnerProcess';
import { evalContext } from './runContext';

const spawned: SpawnedLearner[] = [];
let finished = false;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

function stopLearners(): void {
  for (const s of spawned) s.kill();
}

async function finish(message: ChildMessage, code: 0 | 1): Promise<never> {
  finished = true;
  stopLearners();
  await send(message);
  process.exit(code);
}

function fail(kind: ErrorKind, message: string, location?: SourceLocation, stack?: string): Promise<never> {
  return finish({ type: 'error', kind, message, ...(location ? { location } : {}), ...(stack ? { stack } : {}) }, 1);
}

function reportError(err: unknown): Promise<never> {
  if (finished) process.exit(1);
  if (err instanceof LearnerFailure) return fail(err.info.kind, err.info.message, err.info.location, err.info.stack);
  if (err instanceof CompileError) return fail('compile', err.message, err.location);
  if (err instanceof ContractError) return fail('contract', err.message, err.location);
  if (err instanceof CourseIntegrityError) return fail('data', err.message);
  // TensorFlow.js refusing the learner's model while the lab trains it (a shape that does not fit).
  if (err instanceof LearnerError) return fail('learner', `training your model failed: ${err.message}`);
  const e = err as Error;
  return fail('internal', e?.message ?? String(err), undefined, e?.stack);
}

/** Starts a learner's process, confined, its messages relayed to the host; rowCounts are the rows as the evaluator counts them. */
function learnerLauncher(start: StartMessage, bundle: string, rowCounts: () => StartedMessage['rows']): (debugPort?: number) => SpawnedLearner {
  const dist = path.join(start.installRoot, 'dist');
  // Native TensorFlow is an addon with its own files: the learner's process may read those (and load
  // the addon) only when the run may use it and it is there.
  const native = start.backend === 'auto' || start.backend === 'tensorflow' ? nativeFiles(start) : [];
  return (debugPort?: number) =>
    spawnLearner(
      {
        script: path.join(dist, 'learner.js'),
        readable: [dist, bundle, ...native],
        memoryMb: start.memoryMb,
        addons: native.length > 0,
        ...(debugPort !== undefined ? { debugPort } : {}),
      },
      start.deadline,
      {
        output: (stream, text) => void send({ type: 'output', stream, text }),
        log: (level, message) => void send({ type: 'log', level, message }),
        epoch: (m) => void send({ type: 'epoch', epoch: m.epoch, metrics: m.metrics, elapsedMs: m.elapsedMs, source: 'learner' }),
        // Training in the learner's process: its settings as it reports them, the rows as the evaluator counts them.
        started: (m) => void send({ type: 'started', hyperparameters: m.hyperparameters, epochs: m.epochs, rows: rowCounts(), features: m.features }),
        progress: (m) => void send(m),
      },
    );
}

/** The evaluator's own TensorFlow.js, on the backend chosen for the run: loaded on first use, once. */
function backendLoader(start: StartMessage): () => Promise<BackendChoiceResult> {
  let backend: Promise<BackendChoiceResult> | undefined;
  return () =>
    (backend ??= chooseBackend(
      start.backend,
      start.manifest.backend.auto,
      start.manifest.backend.reason,
      start.nativeDir ? { nativeDir: start.nativeDir } : {},
    ));
}

function doneMessage(result: KindResult, timings: Record<string, number>): ChildMessage {
  return {
    type: 'done',
    status: result.status,
    outputs: result.outputs,
    trainedBy: result.trainedBy,
    timings,
    ...(result.reported ? { reported: result.reported } : {}),
    ...(result.diagnosis ? { diagnosis: result.diagnosis } : {}),
    ...(result.evidence ? { evidence: result.evidence } : {}),
    ...(result.artifacts ? { artifacts: result.artifacts } : {}),
  };
}

async function run(start: StartMessage): Promise<void> {
  const t0 = Date.now();
  seedGlobalRandom(start.seed);
  const kind = KINDS[start.manifest.harness];
  const entry = start.manifest.files[0];
  const entrySource = start.sources[entry];
  if (entrySource === undefined) throw new ContractError(`${entry} is missing from the lab folder`);
  const bundle = path.join(start.buildDir, 'learner.js');
  let counts = { train: 0, validation: 0, test: 0 };
  const launch = learnerLauncher(start, bundle, () => counts);
  // The learner's process boots while its code compiles and the data loads; the evaluator loads its own
  // TensorFlow.js only once the learner's process has its work, so that the two overlap.
  const first = launch(start.debugPort);
  spawned.push(first);
  fs.mkdirSync(start.buildDir, { recursive: true });
  const compiling = compileLearner(start.labDir, entry, start.buildDir);
  compiling.catch(() => undefined);
  const tf = backendLoader(start);
  const tData = Date.now();
  const data = loadLabData(start.manifest, start.installRoot, start.splitSeed);
  counts = { train: data.split.train.length, validation: data.split.validation.length, test: data.split.test.length };
  const dataMs = Date.now() - tData;
  await compiling;
  const compiledAt = Date.now();

  /** Where the time went before training, for the run's timings. */
  const marks: Record<string, number> = {};
  const launchAnother = () => {
    const learner = launch();
    spawned.push(learner);
    return learner;
  };
  const ctx = evalContext({ start, kind, entry, entrySource, bundle, data, first, launch: launchAnother, tf, send, t0, marks });
  const result = await kind.evaluate(ctx);
  const timings = { startMs: compiledAt - t0, dataMs, ...marks, ...result.timings };
  await finish(doneMessage(result, timings), 0);
}

/** The folders native TensorFlow loads from: an on-demand install, or the install's own node_modules. */
function nativeFiles(start: StartMessage): string[] {
  const dirs: string[] = [];
  if (start.nativeDir && findNativeBackend(start.nativeDir)) dirs.push(start.nativeDir);
  try {
    require.resolve('@tensorflow/tfjs-node');
    dirs.push(path.join(start.installRoot, 'node_modules'));
  } catch {
    // Not installed with the package: nothing more to allow.
  }
  return dirs;
}

process.on('uncaughtException', (err) => void reportError(err));
process.on('unhandledRejection', (err) => void reportError(err));
// The host went away (window closed, CLI killed): stop the learner's process and leave.
process.on('disconnect', () => {
  stopLearners();
  if (!finished) process.exit(0);
});
// A host killed hard leaves no disconnect on some platforms: look for it now and then.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    stopLearners();
    process.exit(0);
  }
}, 1000).unref();
process.once('message', (raw: unknown) => {
  const parsed = HostMessage.safeParse(raw);
  if (!parsed.success) {
    void fail('internal', `the evaluator received an invalid start message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return;
  }
  run(parsed.data).catch(reportError);
});
