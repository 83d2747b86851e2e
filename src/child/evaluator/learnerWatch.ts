// What the evaluator holds the learner's process to, message by message: each stage accepts only the
// messages it expects, in order and within limits (notes, progress, epochs of an announced run), and
// its output is forwarded up to a cap. A breach is a violation that stops the process; the failure a
// stage then reports says why in the learner's terms.
import type { ErrorMessage, SourceLocation } from '../../core/run/protocol';
import { FromLearner, type LearnerStart } from '../common/learnerProtocol';

export interface LearnerFailureInfo {
  kind: ErrorMessage['kind'];
  message: string;
  location?: SourceLocation;
  stack?: string;
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

export type Stage = 'booting' | 'build' | 'train' | 'trained' | 'predict' | 'serve' | 'finished';

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

/** What the evaluator has seen of the learner's process so far. */
export interface Watch {
  stage: Stage;
  /** The mode the process was started in: the stage that follows "ready". */
  mode: LearnerStart['mode'];
  violation?: string;
  error?: LearnerFailureInfo;
  timedOut: boolean;
  outputBytes: number;
  stderrTail: string;
  logs: number;
  progressCount: number;
  lastProgress: number;
  lastEpoch: number;
  plannedEpochs?: number;
  /** The results received, by type, and who waits for each. */
  received: Map<string, FromLearner>;
  waiters: Map<string, () => void>;
}

export function newWatch(): Watch {
  return {
    stage: 'booting',
    mode: 'build',
    timedOut: false,
    outputBytes: 0,
    stderrTail: '',
    logs: 0,
    progressCount: 0,
    lastProgress: 0,
    lastEpoch: 0,
    received: new Map(),
    waiters: new Map(),
  };
}

/** Forwards a stream's output up to its cap, keeping the tail of stderr to explain a crash. */
export function outputForwarder(watch: Watch, events: LearnerEvents): (stream: 'stdout' | 'stderr') => (chunk: Buffer) => void {
  return (stream) => (chunk) => {
    const text = chunk.toString('utf8');
    if (stream === 'stderr') watch.stderrTail = (watch.stderrTail + text).slice(-LIMITS.stderrTailBytes);
    if (watch.outputBytes >= LIMITS.maxOutputBytes) return;
    watch.outputBytes += chunk.length;
    events.output(stream, text);
    if (watch.outputBytes >= LIMITS.maxOutputBytes)
      events.output('stderr', `\n[ML Labs: your code printed more than ${LIMITS.maxOutputBytes / (1024 * 1024)} MB; the rest of its output is not shown]\n`);
  };
}

type Report = Extract<FromLearner, { type: 'log' | 'progress' | 'started' | 'epoch' }>;

/** Relays a note, progress or an epoch of the learner's own curve, within the limits. */
function relayReport(watch: Watch, events: LearnerEvents, m: Report, violate: (reason: string) => void): void {
  switch (m.type) {
    case 'log':
      if (++watch.logs > LIMITS.floodMessages) return violate('sent a flood of log messages');
      if (watch.logs <= LIMITS.maxLogs) events.log(m.level, m.message);
      else if (watch.logs === LIMITS.maxLogs + 1) events.log('warn', 'your code produced many more notes; the rest are not shown');
      return;
    case 'progress': {
      if (++watch.progressCount > LIMITS.floodMessages) return violate('sent a flood of progress messages');
      const now = Date.now();
      if (now - watch.lastProgress < LIMITS.progressIntervalMs) return;
      watch.lastProgress = now;
      events.progress?.(m);
      return;
    }
    case 'started':
      if (watch.plannedEpochs !== undefined) return violate('announced training twice');
      watch.plannedEpochs = m.epochs;
      events.started?.(m);
      return;
    case 'epoch':
      if (m.epoch !== watch.lastEpoch + 1) return violate(`reported epoch ${m.epoch} after epoch ${watch.lastEpoch}`);
      if (m.epoch > (watch.plannedEpochs ?? LIMITS.maxEpochsWithoutPlan))
        return violate(`reported epoch ${m.epoch} of a run planned for ${watch.plannedEpochs}`);
      if (Object.keys(m.metrics).length > 64) return violate('reported more than 64 metrics in one epoch');
      watch.lastEpoch = m.epoch;
      events.epoch?.(m);
  }
}

/** Takes one message from the channel: checked against the protocol and the stage, then relayed or kept as a result. */
export function onLearnerMessage(watch: Watch, events: LearnerEvents, raw: unknown, violate: (reason: string) => void): void {
  const parsed = FromLearner.safeParse(raw);
  if (!parsed.success)
    return violate(`sent a message the lab does not understand (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  const m = parsed.data;
  if (!ALLOWED[watch.stage].includes(m.type)) return violate(`sent a "${m.type}" message ${STAGE_WORDS[watch.stage]}`);
  switch (m.type) {
    case 'log':
    case 'progress':
    case 'started':
    case 'epoch':
      return relayReport(watch, events, m, violate);
    case 'error':
      watch.error = { kind: m.kind, message: m.message, location: m.location, stack: m.stack };
      watch.stage = 'finished';
      return;
    case 'trained':
      watch.stage = 'trained';
      break;
    default:
      if (m.type === 'ready') watch.stage = watch.mode;
      else watch.stage = 'finished';
  }
  watch.received.set(m.type, m);
  watch.waiters.get(m.type)?.();
}

/** Why a stage's result did not come: the learner's error, a violation, the deadline, memory, a denied access, or a crash. */
export function failureOf(watch: Watch, memoryMb: number, how: { code: number | null; signal: NodeJS.Signals | null }): LearnerFailureInfo {
  if (watch.error) return watch.error;
  if (watch.violation) {
    return {
      kind: 'protocol',
      message: `the process running your code ${watch.violation}, so the run was stopped. Only the lab talks on its channel: remove any code that writes to it (process.send, file descriptor 3).`,
    };
  }
  if (watch.timedOut) return { kind: 'timeout', message: 'the time budget ran out while your code was running' };
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(watch.stderrTail)) {
    return { kind: 'oom', message: `your code ran out of memory (limit ${memoryMb} MB)` };
  }
  const accessDenied = /ERR_ACCESS_DENIED/.test(watch.stderrTail);
  if (accessDenied) {
    return {
      kind: 'learner',
      message: 'your code tried to read or write a file, or start a process or thread, which labs do not allow: the lab gives your code its data.',
    };
  }
  const tail = watch.stderrTail.trim().split('\n').slice(-3).join(' | ');
  return {
    kind: 'crashed',
    message: `the process running your code ${how.signal ? `was killed by ${how.signal}` : `exited with code ${how.code}`} without a result${tail ? `: ${tail}` : ''}`,
  };
}
