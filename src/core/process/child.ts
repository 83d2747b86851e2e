// One way to run a child process of ours (the evaluator, the playground's trainer): fork, never a
// shell; every message received validated before anyone acts on it; an optional time budget; a stop
// that asks first (SIGTERM) and kills after a grace period (SIGKILL), the whole process group when
// the child has one; and, once it has exited, how and why, in words.
import { fork, type ChildProcess } from 'child_process';
import type * as z from 'zod/mini';
import { describeIssues } from '../zodMessages';

/** How long a child has between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2000;

/** What a parser makes of one message: the message, or why it is not one. */
export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

/** A parser from a zod schema, with every issue named by its field. */
export function parserOf<T>(schema: z.ZodMiniType<T>): (raw: unknown) => Parsed<T> {
  return (raw) => {
    const r = schema.safeParse(raw);
    return r.success ? { ok: true, message: r.data } : { ok: false, reason: describeIssues(r.error).join('; ') };
  };
}

export interface ChildOptions<In> {
  script: string;
  cwd: string;
  execArgv?: string[];
  /** Its own process group, so that a stop reaches every process it started (not on Windows). */
  group?: boolean;
  /** Whether its stdout is read (onStdout); stderr always is, for the reason it ended. */
  stdout?: boolean;
  /** Validates each message; only what parses reaches onMessage. */
  parse(raw: unknown): Parsed<In>;
  onMessage(message: In): void;
  onInvalid(reason: string): void;
  onStdout?(text: string): void;
  onStderr?(text: string): void;
  /** After this long the child is stopped with reason "timeout". */
  timeBudgetMs?: number;
  /** Close the IPC channel before SIGTERM: a child that exits when its channel closes goes quietly. */
  disconnectOnStop?: boolean;
  /** How much of stderr is kept to explain an exit. */
  stderrTailChars?: number;
}

export interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not start at all. */
  spawnError?: Error;
  /** Why the host stopped it, when it did. */
  stopReason?: string;
  /** The end of its stderr. */
  stderrTail: string;
  durationMs: number;
}

export interface ChildHandle<Out> {
  readonly pid: number | undefined;
  readonly connected: boolean;
  /** Sends a message; false when the channel is closed. An asynchronous failure goes to onError. */
  send(message: Out, onError?: (err: Error) => void): boolean;
  /** SIGTERM now, SIGKILL after KILL_GRACE_MS; the first reason given is the one kept. */
  stop(reason: string): void;
  /** SIGKILL now, to the whole group. */
  kill(): void;
  readonly exited: Promise<ChildExit>;
}

/** Sends a signal to a process and everything in its group (what a learner's code left behind too). */
export function killGroup(child: Pick<ChildProcess, 'pid' | 'kill'>, signal: NodeJS.Signals, group = true): void {
  if (child.pid === undefined) return;
  try {
    if (!group || process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** "killed by SIGTERM", "exit code 1", "could not start: …". */
export function describeExit(exit: Pick<ChildExit, 'exitCode' | 'signal' | 'spawnError'>): string {
  if (exit.spawnError) return `could not start: ${exit.spawnError.message}`;
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.exitCode}`;
}

/** The last lines of a stderr tail, on one line. */
export function lastLines(tail: string, lines = 3): string {
  return tail.trim().split('\n').slice(-lines).join(' | ');
}

export function startChild<In, Out>(options: ChildOptions<In>): ChildHandle<Out> {
  const group = options.group === true && process.platform !== 'win32';
  const t0 = Date.now();
  const child = fork(options.script, [], {
    cwd: options.cwd,
    ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    detached: group,
    stdio: ['ignore', options.stdout ? 'pipe' : 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const tailChars = options.stderrTailChars ?? 16 * 1024;
  let stderrTail = '';
  let stopReason: string | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const running = () => child.exitCode === null && child.signalCode === null;

  child.stdout?.setEncoding('utf8').on('data', (text: string) => options.onStdout?.(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-tailChars);
    options.onStderr?.(text);
  });
  child.on('message', (raw: unknown) => {
    const parsed = options.parse(raw);
    if (parsed.ok) options.onMessage(parsed.message);
    else options.onInvalid(parsed.reason);
  });

  const stop = (reason: string) => {
    if (!running() || stopReason) return;
    stopReason = reason;
    if (options.disconnectOnStop && child.connected) child.disconnect();
    killGroup(child, 'SIGTERM', group);
    killTimer = setTimeout(() => killGroup(child, 'SIGKILL', group), KILL_GRACE_MS);
    killTimer.unref();
  };
  const budget = options.timeBudgetMs !== undefined ? setTimeout(() => stop('timeout'), options.timeBudgetMs) : undefined;

  const exited = new Promise<ChildExit>((resolve) => {
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      if (budget) clearTimeout(budget);
      if (killTimer) clearTimeout(killTimer);
      // Whatever is left of its group goes with it.
      if (group) killGroup(child, 'SIGKILL', group);
      resolve({ exitCode, signal, ...(spawnError ? { spawnError } : {}), ...(stopReason ? { stopReason } : {}), stderrTail, durationMs: Date.now() - t0 });
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('exit', (code, signal) => finish(code, signal));
  });

  return {
    get pid() {
      return child.pid;
    },
    get connected() {
      return child.connected;
    },
    send(message, onError) {
      if (!child.connected) return false;
      child.send(message as object, (err) => {
        if (err) onError?.(err);
      });
      return true;
    },
    stop,
    kill: () => killGroup(child, 'SIGKILL', group),
    exited,
  };
}
