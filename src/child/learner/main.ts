// Entry point of the learner's process: the only process that runs the learner's code, and so the
// one that is never believed. Started by the evaluator, confined by Node's permission model where
// the runtime has it (it reads the runner and its own compiled code, writes nothing, starts nothing).
// It receives one start message, runs its stage, sends one result and exits; the evaluator takes the
// result only from a clean exit.
import * as net from 'net';
import { learnerLocation, learnerStack } from '../../core/source/stackLocation';
import type { SourceLocation } from '../../core/run/protocol';
import { chooseBackend } from '../common/tfjsBackend';
import { TF_GLOBAL } from '../common/compileLearner';
import { ContractError, LearnerError } from '../common/errors';
import { encodeFrame, FrameReader } from '../common/frames';
import type { FromLearner, LearnerStart, ToLearner } from '../common/learnerProtocol';
import { seedGlobalRandom } from '../common/seed';
import { runBuild } from './build';
import type { LearnerContext, Tf } from './context';
import { runServe } from './serve';
import { predictStage, runTrain } from './train';

const channel = new net.Socket({ fd: 3, readable: true, writable: true });
let labDir = '';
let finished = false;
const waiting = new Map<string, (m: ToLearner) => void>();
const early: ToLearner[] = [];

function send(message: FromLearner): Promise<void> {
  return new Promise((resolve) => {
    if (channel.destroyed) return resolve();
    channel.write(encodeFrame(message), () => resolve());
  });
}

/** Sends the last message, then exits once it has left the process. */
async function finish(message: FromLearner, code: 0 | 1): Promise<never> {
  finished = true;
  await send(message);
  process.exit(code);
}

function fail(kind: 'learner' | 'contract' | 'internal', message: string, location?: SourceLocation, stack?: string): Promise<never> {
  return finish(
    { type: 'error', kind, message: message.slice(0, 19_000), ...(location ? { location } : {}), ...(stack ? { stack: stack.slice(0, 19_000) } : {}) },
    1,
  );
}

function reportError(err: unknown): Promise<never> {
  if (finished) process.exit(1);
  if (err instanceof ContractError) {
    return fail('contract', err.message, err.location ?? learnerLocation(err.stack, labDir));
  }
  const original = err instanceof LearnerError ? err.original : err;
  const e = original as Error & { code?: unknown };
  const stack = typeof e?.stack === 'string' ? e.stack : undefined;
  const location = learnerLocation(stack, labDir);
  // Node's permission model said no: the learner's code reached for a file, a process or a thread.
  if (e?.code === 'ERR_ACCESS_DENIED') {
    return fail(
      'contract',
      'your code tried to read or write a file, or to start a process or a thread. Lab code runs without access to files: the lab gives it its data, and keeps its results itself.',
      location,
    );
  }
  const message = e?.message ?? String(original);
  // An error raised inside TensorFlow.js by the learner's model (a shape mismatch) has no learner
  // frame but is still the learner's to fix.
  if (err instanceof LearnerError || location) return fail('learner', message, location, learnerStack(stack, labDir));
  return fail('internal', message, undefined, stack);
}

function next<T extends ToLearner['type']>(type: T): Promise<Extract<ToLearner, { type: T }>> {
  const i = early.findIndex((m) => m.type === type);
  if (i >= 0) return Promise.resolve(early.splice(i, 1)[0] as Extract<ToLearner, { type: T }>);
  return new Promise((resolve) => waiting.set(type, resolve as (m: ToLearner) => void));
}

/**
 * TensorFlow.js for the build stage, loaded only if the learner's code uses it (to build a model) and
 * on the cpu backend: nothing trains here, so the fastest backend to start is the right one.
 */
function lazyBuildTf(): Tf {
  const tf = require('@tensorflow/tfjs') as Tf;
  tf.enableProdMode();
  void tf.setBackend('cpu');
  return tf;
}

async function run(start: LearnerStart): Promise<void> {
  labDir = start.labDir;
  seedGlobalRandom(start.seed);
  const t0 = Date.now();
  let tf: Tf;
  if (start.mode === 'build') {
    let loaded: Tf | undefined;
    const load = () => (loaded ??= lazyBuildTf());
    Object.defineProperty(globalThis, TF_GLOBAL, { get: load, configurable: true });
    tf = new Proxy({} as Tf, { get: (_t, key) => (load() as unknown as Record<PropertyKey, unknown>)[key] });
    await send({
      type: 'ready',
      backend: 'cpu',
      reason: 'the lab builds the model here and trains it in its own process',
      attempts: [],
      versions: { node: process.versions.node },
      loadMs: Date.now() - t0,
    });
  } else {
    const choice = await chooseBackend(
      start.backend,
      start.manifest.backend.auto,
      start.manifest.backend.reason,
      start.nativeDir ? { nativeDir: start.nativeDir } : {},
    );
    (globalThis as Record<symbol, unknown>)[TF_GLOBAL] = choice.tf;
    tf = choice.tf;
    await send({
      type: 'ready',
      backend: choice.backend,
      reason: choice.reason,
      attempts: choice.attempts,
      versions: choice.versions,
      loadMs: Date.now() - t0,
    });
  }
  // Source maps for what is loaded from here on (the learner's code, compiled with an inline map):
  // errors point at the learner's TypeScript lines. The runner's own bundle stays unmapped, cheaply.
  process.setSourceMapsEnabled(true);
  let learner: Record<string, unknown>;
  try {
    learner = require(start.bundle) as Record<string, unknown>;
  } catch (err) {
    throw new LearnerError(err);
  }
  const ctx: LearnerContext = { tf, start, learner, send: (m) => void send(m), next };
  switch (start.mode) {
    case 'build':
      return finish(await runBuild(ctx), 0);
    case 'train':
      await send(await runTrain(ctx));
      return finish(await predictStage(ctx), 0);
    case 'serve':
      return finish(await runServe(ctx), 0);
  }
}

const reader = new FrameReader(
  { maxFrameBytes: 512 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024 },
  (raw) => {
    const m = raw as ToLearner;
    if (m.type === 'start' && !labDir) {
      labDir = m.labDir;
      run(m).catch(reportError);
      return;
    }
    const resolve = waiting.get(m.type);
    if (resolve) {
      waiting.delete(m.type);
      resolve(m);
    } else early.push(m);
  },
  () => process.exit(1),
);
channel.on('data', (chunk: Buffer) => reader.push(chunk));
// The evaluator went away: nothing is listening, so stop.
channel.on('close', () => {
  if (!finished) process.exit(1);
});
channel.on('error', () => process.exit(1));
process.on('uncaughtException', (err) => void reportError(new LearnerError(err)));
process.on('unhandledRejection', (err) => void reportError(new LearnerError(err)));
