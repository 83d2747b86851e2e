// The learner's process as the evaluator sees it: started confined, spoken to in stages, and held to
// each stage. Only the messages a stage expects are accepted; the stage's result counts only once the
// process has exited with code 0; anything else — a message out of place, a message after the
// result, a flood, an oversized message, output beyond its cap — stops the process with a clear
// reason. Nothing it sends is a measurement: it sends features, models, predictions and its own curve.
import { spawn, type ChildProcess } from 'child_process';
import type { Confinement, ErrorMessage, SourceLocation } from '../../core/run/protocol';
import { encodeFrame, FrameReader } from '../common/frames';
import {
  FromLearner,
  type LearnerBuilt,
  type LearnerPredictions,
  type LearnerReadyMessage,
  type LearnerStart,
  type LearnerTrained,
  type ToLearner,
} from '../common/learnerProtocol';
import { launchArgs, type LaunchOptions } from './confinement';

export interface LearnerFailureInfo {
  kind: ErrorMessage['kind'];
  message: string;
  location?: SourceLocation;
  stack?: string;
}

/** The learner's process did not deliver its stage's result. */
export class LearnerFailure extends Error {
  constructor(readonly info: LearnerFailureInfo) {
    super(info.message);
    this.name = 'LearnerFailure';
  }
}

export interface LearnerEvents {
  output(stream: 'stdout' | 'stderr', text: string): void;
  log(level: 'info' | 'warn', message: string): void;
  started?(m: Extract<FromLearner, { type: 'started' }>): void;
  epoch?(m: Extract<FromLearner, { type: 'epoch' }>): void;
  progress?(m: Extract<FromLearner, { type: 'progress' }>): void;
}

export const LIMITS = {
  maxFrameBytes: 96 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  /** Output (console.log…) forwarded to the learner, per process. */
  maxOutputBytes: 1024 * 1024,
  stderrTailBytes: 16 * 1024,
  maxLogs: 200,
  /** More messages than this of one kind is a flood, not a report. */
  floodMessages: 20_000,
  progressIntervalMs: 50,
  maxEpochsWithoutPlan: 10_000,
  /** After its result, the process has this long to exit. */
  exitGraceMs: 5_000,
};

type Stage = 'booting' | 'build' | 'train' | 'trained' | 'predict' | 'serve' | 'finished';

/** What each stage accepts: its own result, notes, and an error (which ends the process). */
const ALLOWED: Record<Stage, readonly FromLearner['type'][]> = {
  booting: ['ready', 'log', 'error'],
  build: ['log', 'built', 'error'],
  train: ['log', 'started', 'epoch', 'progress', 'trained', 'error'],
  trained: ['log', 'error'],
  predict: ['log', 'predictions', 'error'],
  serve: ['log', 'predictions', 'error'],
  finished: [],
};

const STAGE_WORDS: Record<Stage, string> = {
  booting: 'while starting',
  build: 'while building the model',
  train: 'while training',
  trained: 'between training and prediction',
  predict: 'while predicting',
  serve: 'while loading the saved model',
  finished: 'after its result',
};

export interface SpawnedLearner {
  confinement: Confinement;
  pid: number | undefined;
  /** Sends the start message: the stage to run and its data. */
  start(message: LearnerStart): void;
  ready(): Promise<LearnerReadyMessage>;
  built(): Promise<LearnerBuilt>;
  trained(): Promise<LearnerTrained>;
  predict(message: Extract<ToLearner, { type: 'predict' }>): Promise<LearnerPredictions>;
  served(): Promise<LearnerPredictions>;
  kill(): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

export function spawnLearner(launch: LaunchOptions, deadline: number, events: LearnerEvents): SpawnedLearner {
  const { execPath, args, env, confinement } = launchArgs(launch);
  const child: ChildProcess = spawn(execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env, windowsHide: true });
  const channel = child.stdio[3] as unknown as NodeJS.ReadWriteStream;

  let stage: Stage = 'booting';
  let mode: LearnerStart['mode'] = 'build';
  let violation: string | undefined;
  let error: LearnerFailureInfo | undefined;
  let timedOut = false;
  let outputBytes = 0;
  let stderrTail = '';
  let logs = 0;
  let progressCount = 0;
  let lastProgress = 0;
  let lastEpoch = 0;
  let plannedEpochs: number | undefined;
  const received = new Map<string, FromLearner>();
  const waiters = new Map<string, () => void>();

  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const violate = (reason: string) => {
    if (violation || error) return;
    violation = reason;
    reader.stop();
    stop();
  };

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close', not 'exit': it comes after the channel has been read to its end, so a last message
    // sent just before exiting is never lost.
    child.on('close', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => {
      error ??= { kind: 'crashed', message: `the learner's process could not start: ${err.message}` };
      resolve({ code: null, signal: null });
    });
  });
  const deadlineTimer = setTimeout(
    () => {
      timedOut = true;
      stop();
    },
    Math.max(0, deadline - Date.now()),
  );
  void exited.then(() => clearTimeout(deadlineTimer));

  const forward = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (stream === 'stderr') stderrTail = (stderrTail + text).slice(-LIMITS.stderrTailBytes);
    if (outputBytes >= LIMITS.maxOutputBytes) return;
    outputBytes += chunk.length;
    events.output(stream, text);
    if (outputBytes >= LIMITS.maxOutputBytes)
      events.output('stderr', `\n[ML Labs: your code printed more than ${LIMITS.maxOutputBytes / (1024 * 1024)} MB; the rest of its output is not shown]\n`);
  };
  child.stdout?.on('data', forward('stdout'));
  child.stderr?.on('data', forward('stderr'));

  const onMessage = (raw: unknown) => {
    const parsed = FromLearner.safeParse(raw);
    if (!parsed.success)
      return violate(`sent a message the lab does not understand (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
    const m = parsed.data;
    if (!ALLOWED[stage].includes(m.type)) return violate(`sent a "${m.type}" message ${STAGE_WORDS[stage]}`);
    switch (m.type) {
      case 'log':
        if (++logs > LIMITS.floodMessages) return violate('sent a flood of log messages');
        if (logs <= LIMITS.maxLogs) events.log(m.level, m.message);
        else if (logs === LIMITS.maxLogs + 1) events.log('warn', 'your code produced many more notes; the rest are not shown');
        return;
      case 'progress': {
        if (++progressCount > LIMITS.floodMessages) return violate('sent a flood of progress messages');
        const now = Date.now();
        if (now - lastProgress < LIMITS.progressIntervalMs) return;
        lastProgress = now;
        events.progress?.(m);
        return;
      }
      case 'started':
        if (plannedEpochs !== undefined) return violate('announced training twice');
        plannedEpochs = m.epochs;
        events.started?.(m);
        return;
      case 'epoch':
        if (m.epoch !== lastEpoch + 1) return violate(`reported epoch ${m.epoch} after epoch ${lastEpoch}`);
        if (m.epoch > (plannedEpochs ?? LIMITS.maxEpochsWithoutPlan)) return violate(`reported epoch ${m.epoch} of a run planned for ${plannedEpochs}`);
        if (Object.keys(m.metrics).length > 64) return violate('reported more than 64 metrics in one epoch');
        lastEpoch = m.epoch;
        events.epoch?.(m);
        return;
      case 'error':
        error = { kind: m.kind, message: m.message, location: m.location, stack: m.stack };
        stage = 'finished';
        return;
      case 'trained':
        stage = 'trained';
        break;
      default:
        if (m.type === 'ready') stage = mode;
        else stage = 'finished';
    }
    received.set(m.type, m);
    waiters.get(m.type)?.();
  };
  const reader = new FrameReader({ maxFrameBytes: LIMITS.maxFrameBytes, maxTotalBytes: LIMITS.maxTotalBytes }, onMessage, violate);
  channel.on('data', (chunk: Buffer) => reader.push(chunk));
  channel.on('error', () => undefined);

  const failureOf = (how: { code: number | null; signal: NodeJS.Signals | null }): LearnerFailureInfo => {
    if (error) return error;
    if (violation) {
      return {
        kind: 'protocol',
        message: `the process running your code ${violation}, so the run was stopped. Only the lab talks on its channel: remove any code that writes to it (process.send, file descriptor 3).`,
      };
    }
    if (timedOut) return { kind: 'timeout', message: 'the time budget ran out while your code was running' };
    if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderrTail)) {
      return { kind: 'oom', message: `your code ran out of memory (limit ${launch.memoryMb} MB)` };
    }
    const accessDenied = /ERR_ACCESS_DENIED/.test(stderrTail);
    if (accessDenied) {
      return {
        kind: 'learner',
        message: 'your code tried to read or write a file, or start a process or thread, which labs do not allow: the lab gives your code its data.',
      };
    }
    const tail = stderrTail.trim().split('\n').slice(-3).join(' | ');
    return {
      kind: 'crashed',
      message: `the process running your code ${how.signal ? `was killed by ${how.signal}` : `exited with code ${how.code}`} without a result${tail ? `: ${tail}` : ''}`,
    };
  };

  /** Resolves with the message once it arrived (and, for a final one, once the process exited cleanly). */
  const wait = async <T extends FromLearner>(type: T['type'], final: boolean): Promise<T> => {
    const arrived = new Promise<void>((resolve) => {
      if (received.has(type)) resolve();
      else waiters.set(type, resolve);
    });
    const ended = exited.then((how) => ({ how }));
    const first = await Promise.race([arrived.then(() => undefined), ended]);
    if (!received.has(type) || violation) throw new LearnerFailure(failureOf(first?.how ?? (await exited)));
    if (!final) return received.get(type) as T;
    const grace = setTimeout(() => violate('did not exit after sending its result'), LIMITS.exitGraceMs);
    const how = await exited;
    clearTimeout(grace);
    if (how.code !== 0 || violation || error) throw new LearnerFailure(failureOf(how));
    return received.get(type) as T;
  };

  return {
    confinement,
    pid: child.pid,
    start: (message) => {
      mode = message.mode;
      channel.write(encodeFrame(message));
    },
    ready: () => wait<LearnerReadyMessage>('ready', false),
    built: () => wait<LearnerBuilt>('built', true),
    trained: () => wait<LearnerTrained>('trained', false),
    predict: (message) => {
      stage = 'predict';
      channel.write(encodeFrame(message));
      return wait<LearnerPredictions>('predictions', true);
    },
    served: () => wait<LearnerPredictions>('predictions', true),
    kill: stop,
    exited: exited.then(() => undefined),
  };
}
