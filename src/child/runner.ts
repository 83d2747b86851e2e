// Entry point of the runner child process: receives one `start` message, picks the backend,
// compiles and loads the learner's code, runs the lab's harness and reports every step.
import * as fs from 'fs';
import * as path from 'path';
import { ChildMessage, HostMessage, type ErrorKind, type SourceLocation, type StartMessage } from '../core/protocol';
import { learnerLocation, learnerStack } from '../core/stackLocation';
import { chooseBackend } from './backend';
import { compileLearner, CompileError, TF_GLOBAL } from './compileLearner';
import { loadLabData } from './datasets';
import { HARNESSES } from './harness';
import { ContractError, LearnerError, type HarnessContext } from './harness/types';
import { seedGlobalRandom } from './rng';
import { startWatchdog } from './watchdog';

let labDir = '';
let finished = false;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

async function fail(kind: ErrorKind, message: string, location?: SourceLocation, stack?: string): Promise<never> {
  finished = true;
  await send({ type: 'error', kind, message, ...(location ? { location } : {}), ...(stack ? { stack } : {}) });
  process.exit(1);
}

function reportError(err: unknown): Promise<never> {
  if (err instanceof CompileError) return fail('compile', err.message, err.location);
  if (err instanceof ContractError) return fail('contract', err.message, err.location);
  const original = err instanceof LearnerError ? err.original : err;
  const e = original as Error;
  const stack = typeof e?.stack === 'string' ? e.stack : undefined;
  const location = learnerLocation(stack, labDir);
  const message = e?.message ?? String(original);
  // An error raised inside TensorFlow.js by the learner's model (a shape mismatch) has no learner
  // frame but is still the learner's to fix.
  if (err instanceof LearnerError || location) return fail('learner', message, location, learnerStack(stack, labDir));
  return fail('internal', message, undefined, stack);
}

async function run(start: StartMessage): Promise<void> {
  labDir = start.labDir;
  startWatchdog(start.deadline);
  seedGlobalRandom(start.seed);
  const t0 = Date.now();
  const { manifest } = start;
  const entry = manifest.files[0];
  // esbuild compiles in its own process: let it work while TensorFlow.js loads here.
  fs.mkdirSync(start.buildDir, { recursive: true });
  const compiling = compileLearner(labDir, entry, start.buildDir);
  compiling.catch(() => undefined); // awaited (and reported) after the ready message
  const choice = await chooseBackend(start.backend, manifest.backend.auto, manifest.backend.reason).catch((err: Error) =>
    fail('internal', err.message),
  );
  (globalThis as Record<symbol, unknown>)[TF_GLOBAL] = choice.tf;
  await send({
    type: 'ready',
    backend: choice.backend,
    reason: choice.reason,
    attempts: choice.attempts,
    versions: choice.versions,
    loadMs: Date.now() - t0,
  });

  const tCompile = Date.now();
  const bundle = await compiling;
  const tData = Date.now();
  let data;
  try {
    data = loadLabData(manifest, start.installRoot);
  } catch (err) {
    return fail('data', `could not load the lab's data: ${(err as Error).message}`);
  }
  const dataMs = Date.now() - tData;
  let learner: Record<string, unknown>;
  // Source maps for what is loaded from here on (the learner's code, compiled with an inline map):
  // errors point at the learner's TypeScript lines. The runner's own bundle stays unmapped, cheaply.
  process.setSourceMapsEnabled(true);
  try {
    learner = require(bundle) as Record<string, unknown>;
  } catch (err) {
    throw new LearnerError(err);
  }
  const ctx: HarnessContext = {
    tf: choice.tf,
    manifest,
    learner,
    entrySource: fs.readFileSync(path.join(labDir, entry), 'utf8'),
    data,
    overrides: start.hyperparameters,
    send: (m) => void send(m),
    // The compiled bundle lives in <run folder>/build.
    runDir: path.dirname(start.buildDir),
  };
  const result = await HARNESSES[manifest.harness](ctx);
  finished = true;
  const timings = { backendMs: tCompile - t0, compileMs: tData - tCompile, dataMs, ...result.timings };
  await send({ type: 'done', status: result.status, outputs: result.outputs, timings, ...(result.diagnosis ? { diagnosis: result.diagnosis } : {}) });
  process.exit(0);
}

process.on('uncaughtException', (err) => void reportError(new LearnerError(err)));
process.on('unhandledRejection', (err) => void reportError(new LearnerError(err)));
// The host went away (window closed, CLI killed): nothing is listening, so stop.
process.on('disconnect', () => {
  if (!finished) process.exit(0);
});
process.once('message', (raw: unknown) => {
  const parsed = HostMessage.safeParse(raw);
  if (!parsed.success) {
    void fail('internal', `the runner received an invalid start message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return;
  }
  run(parsed.data).catch(reportError);
});
