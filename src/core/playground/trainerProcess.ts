// The playground's trainer as a child process: forked from its bundled script (never a shell), every
// message parsed before the host sees it, and restarted by the host only while it does not keep crashing.
import * as path from 'path';
import { startChild, type ChildHandle } from '../process/child';
import { parseChildToHost, type ChildToHost, type HostToChild } from './protocol';

const STDERR_TAIL = 4096;
/** More crashes than this within CRASH_WINDOW_MS and the trainer is not restarted by itself. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 30_000;

export type TrainerHandle = ChildHandle<HostToChild>;

export interface TrainerListeners {
  onMessage(message: ChildToHost): void;
  onInvalid(reason: string): void;
}

/** Forks the trainer from `childScript` (absolute: it runs with its own folder as working directory). */
export function forkTrainer(options: { childScript: string; memoryMb: number }, listeners: TrainerListeners): TrainerHandle {
  return startChild<ChildToHost, HostToChild>({
    script: options.childScript,
    cwd: path.dirname(options.childScript),
    // No --enable-source-maps: parsing the bundle's map would add 0.4 s to every start.
    execArgv: [`--max-old-space-size=${options.memoryMb}`],
    disconnectOnStop: true,
    stderrTailChars: STDERR_TAIL,
    parse: parseChildToHost,
    onMessage: (m) => listeners.onMessage(m),
    onInvalid: (reason) => listeners.onInvalid(reason),
  });
}

/** The trainer's recent crashes, to stop restarting one that keeps crashing. */
export class CrashCount {
  private times: number[] = [];

  record(): void {
    this.times.push(Date.now());
  }

  /** Whether it crashed too often lately to be restarted by itself. */
  tooMany(): boolean {
    const now = Date.now();
    this.times = this.times.filter((t) => now - t < CRASH_WINDOW_MS);
    return this.times.length > MAX_CRASHES;
  }
}
