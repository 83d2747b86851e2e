// Runs one lab through the evaluator child process: fork (never a shell), typed and validated IPC, a
// time budget, cancel (SIGTERM, then SIGKILL after a grace period), and a clear outcome for every way
// it can end. The evaluator is trusted (it never loads learner code); it starts the learner's process
// itself, in its own process group, which is killed whole when the run ends.
import { fork, type ChildProcess } from 'child_process';
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
export const KILL_GRACE_MS = 2000;
const STDERR_TAIL = 16 * 1024;
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

/** Kills a process and everything in its group (the learner's process, and anything it left behind). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

const FAILURE_STATUS: Partial<Record<RunFailure['kind'], RunStatus>> = { timeout: 'timeout', oom: 'oom', crashed: 'crashed', protocol: 'crashed' };

export function startRun(req: RunRequest, events: RunEvents = {}): RunHandle {
  const timeBudgetMs = req.timeBudgetMs ?? req.manifest.timeBudgetSeconds * 1000;
  const memoryMb = req.memoryMb ?? DEFAULT_MEMORY_MB;
  const t0 = Date.now();
  const child: ChildProcess = fork(req.evaluatorScript, [], {
    cwd: req.labDir,
    // Its own process group, so that the end of the run kills every process of it at once.
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });

  let ready: ReadyMessage | undefined;
  let started: StartedMessage | undefined;
  let done: DoneMessage | undefined;
  let error: ErrorMessage | undefined;
  let protocolError: string | undefined;
  let epochs = 0;
  let epochMessages = 0;
  let outputBytes = 0;
  let logs = 0;
  let stopReason: 'cancelled' | 'timeout' | undefined;
  let stderrTail = '';
  let killTimer: NodeJS.Timeout | undefined;

  const stop = (reason: 'cancelled' | 'timeout') => {
    if (child.exitCode !== null || child.signalCode !== null || stopReason) return;
    stopReason = reason;
    killGroup(child, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    killTimer.unref();
  };
  const budgetTimer = setTimeout(() => stop('timeout'), timeBudgetMs);

  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    // The evaluator prints nothing of its own; anything here is worth a look, within bounds.
    if ((outputBytes += text.length) <= HOST_LIMITS.maxOutputBytes) events.onOutput?.('stdout', text);
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL);
    if ((outputBytes += text.length) <= HOST_LIMITS.maxOutputBytes) events.onOutput?.('stderr', text);
  });

  const protocolStop = (reason: string) => {
    protocolError ??= reason;
    killGroup(child, 'SIGKILL');
  };

  child.on('message', (raw: unknown) => {
    const parsed = ChildMessage.safeParse(raw);
    if (!parsed.success) {
      // A malformed message is never acted on; the run is stopped and the reason kept.
      protocolStop(`the evaluator sent a malformed message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return;
    }
    const m = parsed.data;
    if (done || error) {
      protocolStop(`the evaluator sent a "${m.type}" message after its result`);
      return;
    }
    switch (m.type) {
      case 'ready':
        ready = m;
        events.onReady?.(m);
        break;
      case 'started':
        started = m;
        events.onStarted?.(m);
        break;
      case 'epoch':
        if (++epochMessages > HOST_LIMITS.maxEpochs) return protocolStop('the run reported more epochs than any lab trains');
        epochs = Math.max(epochs, m.epoch);
        events.onEpoch?.(m);
        break;
      case 'progress':
        events.onProgress?.(m.epoch, m.batch, m.batches);
        break;
      case 'log':
        if (++logs <= HOST_LIMITS.maxLogs) events.onLog?.(m.level, m.message);
        break;
      case 'output':
        if ((outputBytes += m.text.length) <= HOST_LIMITS.maxOutputBytes) events.onOutput?.(m.stream, m.text);
        break;
      case 'done':
        done = m;
        break;
      case 'error':
        error = m;
        break;
    }
  });

  const outcome = new Promise<RunOutcome>((resolve) => {
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(budgetTimer);
      if (killTimer) clearTimeout(killTimer);
      // Whatever is left of the run's processes goes with it.
      killGroup(child, 'SIGKILL');
      const base = { ready, started, epochs, exitCode, signal, durationMs: Date.now() - t0, pid: child.pid, confinement: ready?.confinement };
      if (spawnError) {
        resolve({ ...base, status: 'crashed', failure: { kind: 'crashed', message: `the runner could not start: ${spawnError.message}` } });
        return;
      }
      resolve({ ...base, ...classify(exitCode, signal) });
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('exit', (code, signal) => finish(code, signal));
  });

  function classify(exitCode: number | null, signal: NodeJS.Signals | null): Pick<RunOutcome, 'status' | 'done' | 'failure'> {
    const reached = epochs > 0 ? ` after ${epochs} epoch${epochs === 1 ? '' : 's'}` : '';
    // A result counts only from a clean exit.
    if (done && exitCode === 0 && !protocolError && !stopReason) return { status: done.status, done };
    if (protocolError) return { status: 'crashed', failure: { kind: 'protocol', message: protocolError } };
    if (stopReason === 'cancelled') return { status: 'cancelled', failure: { kind: 'cancelled', message: `the run was cancelled${reached}` } };
    if (stopReason === 'timeout' || error?.kind === 'timeout') {
      return {
        status: 'timeout',
        failure: {
          kind: 'timeout',
          message:
            `the run went over its time budget of ${describeSeconds(timeBudgetMs)} and was stopped${reached}. ` +
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
            `the run ran out of memory (limit ${memoryMb} MB)${reached}. ` +
            'Your code may keep too much data alive, or create tensors in a loop without disposing them (wrap the work in tf.tidy).',
        },
      };
    }
    if (error) {
      return { status: FAILURE_STATUS[error.kind] ?? 'failed', failure: { kind: error.kind, message: error.message, location: error.location, stack: error.stack } };
    }
    if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderrTail)) {
      return { status: 'oom', failure: { kind: 'oom', message: `the evaluator ran out of memory${reached}: the model may be far larger than the lab needs` } };
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const tail = stderrTail.trim().split('\n').slice(-3).join(' | ');
    return { status: 'crashed', failure: { kind: 'crashed', message: `the runner ${how} without a result${reached}${tail ? `: ${tail}` : ''}` } };
  }

  const start: StartMessage = {
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
    deadline: t0 + timeBudgetMs,
    memoryMb,
    ...(req.nativeDir ? { nativeDir: req.nativeDir } : {}),
    ...(req.debugPort !== undefined ? { debugPort: req.debugPort } : {}),
  };
  child.send(start);

  return {
    pid: child.pid,
    cancel: () => stop('cancelled'),
    outcome,
  };
}
