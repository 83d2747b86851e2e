// The learner's process as the evaluator sees it: started confined, spoken to in stages, and held to
// each stage. Only the messages a stage expects are accepted; the stage's result counts only once the
// process has exited with code 0; anything else — a message out of place, a message after the
// result, a flood, an oversized message, output beyond its cap — stops the process with a clear
// reason. Nothing it sends is a measurement: it sends features, models, predictions and its own curve.
import { spawn, type ChildProcess } from 'child_process';
import type { Confinement } from '../../core/run/protocol';
import { encodeFrame, FrameReader } from '../common/frames';
import type { FromLearner, LearnerBuilt, LearnerPredictions, LearnerReadyMessage, LearnerStart, LearnerTrained, ToLearner } from '../common/learnerProtocol';
import { launchArgs, type LaunchOptions } from './confinement';
import { failureOf, LIMITS, newWatch, onLearnerMessage, outputForwarder, type LearnerEvents, type LearnerFailureInfo, type Watch } from './learnerWatch';

/** The learner's process did not deliver its stage's result. */
export class LearnerFailure extends Error {
  constructor(readonly info: LearnerFailureInfo) {
    super(info.message);
    this.name = 'LearnerFailure';
  }
}

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

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** Resolves when the process has exited, or could not start; stops it at the deadline. */
function exitOf(child: ChildProcess, watch: Watch, deadline: number, stop: () => void): Promise<Exit> {
  const exited = new Promise<Exit>((resolve) => {
    // 'close', not 'exit': it comes after the channel has been read to its end, so a last message
    // sent just before exiting is never lost.
    child.on('close', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => {
      watch.error ??= { kind: 'crashed', message: `the learner's process could not start: ${err.message}` };
      resolve({ code: null, signal: null });
    });
  });
  const deadlineTimer = setTimeout(
    () => {
      watch.timedOut = true;
      stop();
    },
    Math.max(0, deadline - Date.now()),
  );
  void exited.then(() => clearTimeout(deadlineTimer));
  return exited;
}

export function spawnLearner(launch: LaunchOptions, deadline: number, events: LearnerEvents): SpawnedLearner {
  const { execPath, args, env, confinement } = launchArgs(launch);
  const child: ChildProcess = spawn(execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env, windowsHide: true });
  const channel = child.stdio[3] as unknown as NodeJS.ReadWriteStream;
  const watch = newWatch();

  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const violate = (reason: string) => {
    if (watch.violation || watch.error) return;
    watch.violation = reason;
    reader.stop();
    stop();
  };

  const exited = exitOf(child, watch, deadline, stop);

  const forward = outputForwarder(watch, events);
  child.stdout?.on('data', forward('stdout'));
  child.stderr?.on('data', forward('stderr'));
  const reader = new FrameReader(
    { maxFrameBytes: LIMITS.maxFrameBytes, maxTotalBytes: LIMITS.maxTotalBytes },
    (raw) => onLearnerMessage(watch, events, raw, violate),
    violate,
  );
  channel.on('data', (chunk: Buffer) => reader.push(chunk));
  channel.on('error', () => undefined);
  const fail = (how: Exit) => new LearnerFailure(failureOf(watch, launch.memoryMb, how));

  /** Resolves with the message once it arrived (and, for a final one, once the process exited cleanly). */
  const wait = async <T extends FromLearner>(type: T['type'], final: boolean): Promise<T> => {
    const arrived = new Promise<void>((resolve) => {
      if (watch.received.has(type)) resolve();
      else watch.waiters.set(type, resolve);
    });
    const ended = exited.then((how) => ({ how }));
    const first = await Promise.race([arrived.then(() => undefined), ended]);
    if (!watch.received.has(type) || watch.violation) throw fail(first?.how ?? (await exited));
    if (!final) return watch.received.get(type) as T;
    const grace = setTimeout(() => violate('did not exit after sending its result'), LIMITS.exitGraceMs);
    const how = await exited;
    clearTimeout(grace);
    if (how.code !== 0 || watch.violation || watch.error) throw fail(how);
    return watch.received.get(type) as T;
  };

  return {
    confinement,
    pid: child.pid,
    start: (message) => {
      watch.mode = message.mode;
      channel.write(encodeFrame(message));
    },
    ready: () => wait<LearnerReadyMessage>('ready', false),
    built: () => wait<LearnerBuilt>('built', true),
    trained: () => wait<LearnerTrained>('trained', false),
    predict: (message) => {
      watch.stage = 'predict';
      channel.write(encodeFrame(message));
      return wait<LearnerPredictions>('predictions', true);
    },
    served: () => wait<LearnerPredictions>('predictions', true),
    kill: stop,
    exited: exited.then(() => undefined),
  };
}
