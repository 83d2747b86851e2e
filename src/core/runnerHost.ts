// Runs one lab in a child process: fork (never a shell), typed and validated IPC, a time budget,
// cancel (SIGTERM, then SIGKILL after a grace period), and a clear outcome for every way it can end.
import { fork, type ChildProcess } from 'child_process';
import type { BackendChoice, LabManifest } from './labManifest';
import {
  ChildMessage,
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

export interface RunRequest {
  runnerScript: string;
  installRoot: string;
  labDir: string;
  manifest: LabManifest;
  buildDir: string;
  backend: BackendChoice;
  seed: number;
  hyperparameters?: Hyperparameters;
  /** Defaults to the lab's `timeBudgetSeconds`. */
  timeBudgetMs?: number;
  memoryMb?: number;
  /** Start the child under the inspector, paused until a debugger attaches on this port (127.0.0.1). */
  debug?: { port: number };
}

export interface RunEvents {
  onReady?(m: ReadyMessage): void;
  onStarted?(m: StartedMessage): void;
  onEpoch?(m: EpochMessage): void;
  onProgress?(epoch: number, batch: number, batches: number): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Output the learner's code printed (console.log in the child). */
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

export function startRun(req: RunRequest, events: RunEvents = {}): RunHandle {
  const timeBudgetMs = req.timeBudgetMs ?? req.manifest.timeBudgetSeconds * 1000;
  const memoryMb = req.memoryMb ?? DEFAULT_MEMORY_MB;
  const t0 = Date.now();
  const child: ChildProcess = fork(req.runnerScript, [], {
    cwd: req.labDir,
    // No --enable-source-maps: it parses the runner bundle's 16 MB map at startup (0.4 s); the runner
    // turns source maps on itself just before it loads the learner's code, whose lines are what matter.
    execArgv: [`--max-old-space-size=${memoryMb}`, ...(req.debug ? [`--inspect-brk=127.0.0.1:${req.debug.port}`] : [])],
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
  let stopReason: 'cancelled' | 'timeout' | undefined;
  let stderrTail = '';
  let killTimer: NodeJS.Timeout | undefined;

  const stop = (reason: 'cancelled' | 'timeout') => {
    if (child.exitCode !== null || child.signalCode !== null || stopReason) return;
    stopReason = reason;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    killTimer.unref();
  };
  const budgetTimer = setTimeout(() => stop('timeout'), timeBudgetMs);

  child.stdout?.setEncoding('utf8').on('data', (text: string) => events.onOutput?.('stdout', text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL);
    events.onOutput?.('stderr', text);
  });

  child.on('message', (raw: unknown) => {
    const parsed = ChildMessage.safeParse(raw);
    if (!parsed.success) {
      // A malformed message is never acted on; the run is stopped and the reason kept.
      protocolError ??= `the runner sent a malformed message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
      child.kill('SIGKILL');
      return;
    }
    const m = parsed.data;
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
        epochs = Math.max(epochs, m.epoch);
        events.onEpoch?.(m);
        break;
      case 'progress':
        events.onProgress?.(m.epoch, m.batch, m.batches);
        break;
      case 'log':
        events.onLog?.(m.level, m.message);
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
      const base = { ready, started, epochs, exitCode, signal, durationMs: Date.now() - t0, pid: child.pid };
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
    if (done) return { status: done.status, done };
    if (protocolError) return { status: 'crashed', failure: { kind: 'protocol', message: protocolError } };
    if (stopReason === 'cancelled') return { status: 'cancelled', failure: { kind: 'cancelled', message: `the run was cancelled${reached}` } };
    if (stopReason === 'timeout') {
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
    if (error) {
      return { status: 'failed', failure: { kind: error.kind, message: error.message, location: error.location, stack: error.stack } };
    }
    if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderrTail)) {
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
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const tail = stderrTail.trim().split('\n').slice(-3).join(' | ');
    return {
      status: 'crashed',
      failure: { kind: 'crashed', message: `the runner ${how} without a result${reached}${tail ? `: ${tail}` : ''}` },
    };
  }

  const start: StartMessage = {
    type: 'start',
    labDir: req.labDir,
    manifest: req.manifest,
    installRoot: req.installRoot,
    backend: req.backend,
    seed: req.seed,
    hyperparameters: req.hyperparameters ?? {},
    buildDir: req.buildDir,
    deadline: t0 + timeBudgetMs,
  };
  child.send(start);

  return {
    pid: child.pid,
    cancel: () => stop('cancelled'),
    outcome,
  };
}
