// Runs one lab through the evaluator child process: fork (never a shell), typed and validated IPC, a
// time budget, cancel (SIGTERM, then SIGKILL after a grace period) — all of it core/process/child.ts —
// and a clear outcome for every way it can end. The evaluator is trusted (it never loads learner code); it starts the learner's process
// itself, in its own process group, which is killed whole when the run ends.
import { lastLines, parserOf, startChild, type ChildExit } from '../process/child';
import type { BackendChoice, LabManifest } from '../lab/manifest';
import {
  ChildMessage,
  type Confinement,
  type DoneMessage,
  type EpochMessage,
  type ErrorMessage,
  type Hyperparameters,
  type ReadyMessage,
  type StartMessage,
  type StartedMessage,
} from './protocol';

export const DEFAULT_MEMORY_MB = 2048;
/** What the host keeps of a run's messages, whatever the evaluator relays: bounded memory. */
export const HOST_LIMITS = { maxEpochs: 20_000, maxOutputBytes: 2 * 1024 * 1024, maxLogs: 500 };

export interface RunRequest {
  /** dist/evaluator.js of the install. */
  evaluatorScript: string;
  installRoot: string;
  labDir: string;
  manifest: LabManifest;
  /** The learner's files, read and checked by the host. */
  sources: Record<string, string>;
  buildDir: string;
  backend: BackendChoice;
  seed: number;
  splitSeed?: number;
  hyperparameters?: Hyperparameters;
  /** Defaults to the lab's `timeBudgetSeconds`. */
  timeBudgetMs?: number;
  memoryMb?: number;
  nativeDir?: string;
  debugPort?: number;
}

export interface RunEvents {
  onReady?(m: ReadyMessage): void;
  onStarted?(m: StartedMessage): void;
  onEpoch?(m: EpochMessage): void;
  onProgress?(epoch: number, batch: number, batches: number): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Output the learner's code printed (console.log in its process). */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

export type RunStatus = 'completed' | 'diverged' | 'failed' | 'cancelled' | 'timeout' | 'crashed' | 'oom';

export interface RunFailure {
  kind: ErrorMessage['kind'] | 'timeout' | 'oom' | 'crashed' | 'cancelled' | 'protocol';
  message: string;
  location?: ErrorMessage['location'];
  stack?: string;
}

export interface RunOutcome {
  status: RunStatus;
  ready?: ReadyMessage;
  started?: StartedMessage;
  done?: DoneMessage;
  failure?: RunFailure;
  confinement?: Confinement;
  epochs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  pid?: number;
}

export interface RunHandle {
  readonly pid: number | undefined;
  /** Stops the run: SIGTERM, then SIGKILL if it has not exited after the grace period. */
  cancel(): void;
  readonly outcome: Promise<RunOutcome>;
}

function describeSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

const FAILURE_STATUS: Partial<Record<RunFailure['kind'], RunStatus>> = { timeout: 'timeout', oom: 'oom', crashed: 'crashed', protocol: 'crashed' };

/** What the messages of one run added up to, as the host saw them. */
interface RunTally {
  ready?: ReadyMessage;
  started?: StartedMessage;
  done?: DoneMessage;
  error?: ErrorMessage;
  protocolError?: string;
  epochs: number;
}

export function startRun(req: RunRequest, events: RunEvents = {}): RunHandle {
  const timeBudgetMs = req.timeBudgetMs ?? req.manifest.timeBudgetSeconds * 1000;
  const memoryMb = req.memoryMb ?? DEFAULT_MEMORY_MB;
  const t0 = Date.now();
  const tally: RunTally = { epochs: 0 };
  let outputBytes = 0;
  // The evaluator prints nothing of its own; anything it prints is worth a look, within bounds.
  const output = (stream: 'stdout' | 'stderr', text: string) => {
    if ((outputBytes += text.length) <= HOST_LIMITS.maxOutputBytes) events.onOutput?.(stream, text);
  };
  const protocolStop = (reason: string) => {
    tally.protocolError ??= reason;
    child.kill();
  };
  const child = startChild<ChildMessage, StartMessage>({
    script: req.evaluatorScript,
    cwd: req.labDir,
    // Its own process group, so that the end of the run kills every process of it at once.
    group: true,
    stdout: true,
    parse: parserOf(ChildMessage),
    onMessage: messageHandler(tally, events, output, protocolStop),
    // A malformed message is never acted on; the run is stopped and the reason kept.
    onInvalid: (reason) => protocolStop(`the evaluator sent a malformed message: ${reason}`),
    onStdout: (text) => output('stdout', text),
    onStderr: (text) => output('stderr', text),
    timeBudgetMs,
  });

  const outcome = child.exited.then((exit): RunOutcome => {
    const base = {
      ready: tally.ready,
      started: tally.started,
      epochs: tally.epochs,
      exitCode: exit.exitCode,
      signal: exit.signal,
      durationMs: Date.now() - t0,
      pid: child.pid,
      confinement: tally.ready?.confinement,
    };
    if (exit.spawnError) return { ...base, status: 'crashed', failure: { kind: 'crashed', message: `the runner could not start: ${exit.spawnError.message}` } };
    return { ...base, ...classify(tally, exit, { timeBudgetMs, memoryMb }) };
  });

  child.send(startMessage(req, t0 + timeBudgetMs, memoryMb));
  return {
    pid: child.pid,
    cancel: () => child.stop('cancelled'),
    outcome,
  };
}

/**
 * Tallies each message of the evaluator and hands it to its event; `stop` ends a run whose messages
 * break the protocol (one after the result, more epochs or logs than the host keeps).
 */
function messageHandler(
  tally: RunTally,
  events: RunEvents,
  output: (stream: 'stdout' | 'stderr', text: string) => void,
  stop: (reason: string) => void,
): (m: ChildMessage) => void {
  let epochMessages = 0;
  let logs = 0;
  return (m) => {
    if (tally.done || tally.error) return stop(`the evaluator sent a "${m.type}" message after its result`);
    switch (m.type) {
      case 'ready':
        tally.ready = m;
        events.onReady?.(m);
        break;
      case 'started':
        tally.started = m;
        events.onStarted?.(m);
        break;
      case 'epoch':
        if (++epochMessages > HOST_LIMITS.maxEpochs) return stop('the run reported more epochs than any lab trains');
        tally.epochs = Math.max(tally.epochs, m.epoch);
        events.onEpoch?.(m);
        break;
      case 'progress':
        events.onProgress?.(m.epoch, m.batch, m.batches);
        break;
      case 'log':
        if (++logs <= HOST_LIMITS.maxLogs) events.onLog?.(m.level, m.message);
        break;
      case 'output':
        output(m.stream, m.text);
        break;
      case 'done':
        tally.done = m;
        break;
      case 'error':
        tally.error = m;
        break;
    }
  };
}

/** What the evaluator is asked to run. */
function startMessage(req: RunRequest, deadline: number, memoryMb: number): StartMessage {
  return {
    type: 'start',
    labDir: req.labDir,
    manifest: req.manifest,
    sources: req.sources,
    installRoot: req.installRoot,
    backend: req.backend,
    seed: req.seed,
    ...(req.splitSeed !== undefined ? { splitSeed: req.splitSeed } : {}),
    hyperparameters: req.hyperparameters ?? {},
    buildDir: req.buildDir,
    deadline,
    memoryMb,
    ...(req.nativeDir ? { nativeDir: req.nativeDir } : {}),
    ...(req.debugPort !== undefined ? { debugPort: req.debugPort } : {}),
  };
}

/** How a run ended, from what it said and how its process exited. A result counts only from a clean exit. */
function classify(tally: RunTally, exit: ChildExit, limits: { timeBudgetMs: number; memoryMb: number }): Pick<RunOutcome, 'status' | 'done' | 'failure'> {
  const { done, error, protocolError, epochs } = tally;
  const { exitCode, stopReason } = exit;
  const reached = epochs > 0 ? ` after ${epochs} epoch${epochs === 1 ? '' : 's'}` : '';
  if (done && exitCode === 0 && !protocolError && !stopReason) return { status: done.status, done };
  if (protocolError) return { status: 'crashed', failure: { kind: 'protocol', message: protocolError } };
  if (stopReason === 'cancelled') return { status: 'cancelled', failure: { kind: 'cancelled', message: `the run was cancelled${reached}` } };
  if (stopReason === 'timeout' || error?.kind === 'timeout') {
    return {
      status: 'timeout',
      failure: {
        kind: 'timeout',
        message:
          `the run went over its time budget of ${describeSeconds(limits.timeBudgetMs)} and was stopped${reached}. ` +
          (epochs > 0
            ? 'Train for fewer epochs, use a larger batch size, or make the model smaller.'
            : 'The code may be stuck in an endless loop, or doing far more work than the lab needs.'),
      },
    };
  }
  if (error?.kind === 'oom') {
    return {
      status: 'oom',
      failure: {
        kind: 'oom',
        message:
          `the run ran out of memory (limit ${limits.memoryMb} MB)${reached}. ` +
          'Your code may keep too much data alive, or create tensors in a loop without disposing them (wrap the work in tf.tidy).',
      },
    };
  }
  if (error) {
    return {
      status: FAILURE_STATUS[error.kind] ?? 'failed',
      failure: { kind: error.kind, message: error.message, location: error.location, stack: error.stack },
    };
  }
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(exit.stderrTail)) {
    return { status: 'oom', failure: { kind: 'oom', message: `the evaluator ran out of memory${reached}: the model may be far larger than the lab needs` } };
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exitCode}`;
  const tail = lastLines(exit.stderrTail);
  return { status: 'crashed', failure: { kind: 'crashed', message: `the runner ${how} without a result${reached}${tail ? `: ${tail}` : ''}` } };
}
