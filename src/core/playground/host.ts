// The host half of the playground panel, without VS Code: forks the trainer child process (never a
// shell), relays the webview's requests to it and its frames to the webview, and keeps what a
// reloaded webview needs (settings, points, the loss curve, the last frame). Flow control: the
// child has at most one frame in flight (acked on arrival); the webview acks a frame once it drew
// it, and may have as many unacked as the way there and back holds at the display's rate (two
// locally, more through VS Code for the web's longer path, eight at most), judged by the quickest
// recent round trip so that a backlog never widens the window. Frames arriving meanwhile are merged
// into one, their loss points appended: neither IPC nor postMessage queues up however fast training runs.
import { describeExit, lastLines, startChild, type ChildExit, type ChildHandle } from '../process/child';
import * as path from 'path';
import { resolveConfig, type PlaygroundConfig, type PlaygroundConfigChange } from './config';
import { findPreset, PRESET_IDS } from './presets';
import { LossHistory } from './session';
import {
  parseChildToHost,
  parseWebviewToHost,
  PLAYGROUND_PACE,
  type ChildFrameMessage,
  type ChildToHost,
  type DataPoints,
  type Engine,
  type EngineInfo,
  type HostToChild,
  type HostToWebview,
  type LossPoints,
  type Speed,
  type StateData,
  type WebviewToHost,
} from './protocol';

/** What the playground needs from its surroundings (VS Code, or a test). */
export interface PlaygroundEffects {
  /** Sends a message to the webview; may silently drop it while the webview is not loaded. */
  post(message: HostToWebview): void;
  /** Writes the network as code into the learner's file; resolves with a line for the learner (undefined: cancelled). */
  exportModel(config: PlaygroundConfig, presetId: string | null): Promise<string | undefined>;
  log(message: string): void;
}

export interface PlaygroundHostOptions {
  /** The bundled child entry, dist/playground.js. */
  childScript: string;
  config?: Partial<PlaygroundConfig>;
  presetId?: string | null;
  engine?: Engine;
  speed?: Speed;
  /** Least time between frames (ms). */
  frameMs?: number;
  density?: number;
  nodeDensity?: number;
  /** A webview that has not acked a frame after this long is sent the next one anyway. */
  ackTimeoutMs?: number;
  /** Most frames the webview may have unacked, however long the way (see `window`). */
  maxInFlight?: number;
  memoryMb?: number;
}

export const DEFAULT_FRAME_MS = 1000 / 60;
export const DEFAULT_DENSITY = 100;
export const DEFAULT_NODE_DENSITY = 10;
const STDERR_TAIL = 4096;
/** More crashes than this within CRASH_WINDOW_MS and the trainer is not restarted by itself. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 30_000;
const DISPLAY_FRAME_MS = 1000 / 60;
/** Round trips remembered for the window (about half a second at 60 frames a second). */
const ROUND_TRIPS_KEPT = 30;
/** Logs the first few dropped messages, then one in a hundred. */
const LOG_EVERY_AFTER = 20;

export const TEXT = {
  crashed: (how: string) => `The trainer stopped (${how}). It starts again with the same settings when you press Play, Step or Reset.`,
  crashedOften: 'The trainer keeps stopping; close and reopen the playground to try again. The output channel "ML Labs" has the details.',
  unknownPreset: (id: string) => `There is no preset "${id}" (known: ${PRESET_IDS.join(', ')}).`,
  exportFailed: (why: string) => `Export failed: ${why}`,
};

type Listener = (message: ChildToHost) => void;

function emptyPoints(): DataPoints {
  const none = { x1: [], x2: [], label: [] };
  return { train: none, test: none };
}

function historyColumns(h: LossHistory): LossPoints {
  const nul = (x: number) => (Number.isFinite(x) ? x : null);
  return { epoch: [...h.epochs], train: h.train.map(nul), test: h.test.map(nul) };
}

export class PlaygroundHost {
  private readonly options: Required<Omit<PlaygroundHostOptions, 'config' | 'presetId'>>;
  private child: ChildHandle<HostToChild> | undefined;
  private state: StateData;
  private points: DataPoints | undefined;
  private engineInfo: EngineInfo | null = null;
  private history = new LossHistory();
  private lastFrame: ChildFrameMessage | undefined;
  private wantPlaying = false;
  private suspended = false;
  private disposed = false;
  private crashes: number[] = [];
  private dropped = 0;
  private readonly listeners = new Set<Listener>();

  // webview flow control
  private webviewReady = false;
  private snapshotOwed = false;
  private webSeq = 0;
  private readonly inFlight = new Map<number, { at: number; timer: ReturnType<typeof setTimeout> }>();
  /** Recent round trips to the webview and back (ms). */
  private readonly roundTrips: number[] = [];
  private pending: ChildFrameMessage | undefined;
  private framesPosted = 0;
  private framesMerged = 0;

  constructor(
    private readonly effects: PlaygroundEffects,
    options: PlaygroundHostOptions,
  ) {
    this.options = {
      // Absolute: the child runs with its own folder as working directory.
      childScript: path.resolve(options.childScript),
      engine: options.engine ?? 'exact',
      speed: options.speed ?? PLAYGROUND_PACE,
      frameMs: options.frameMs ?? DEFAULT_FRAME_MS,
      density: options.density ?? DEFAULT_DENSITY,
      nodeDensity: options.nodeDensity ?? DEFAULT_NODE_DENSITY,
      ackTimeoutMs: options.ackTimeoutMs ?? 1000,
      maxInFlight: options.maxInFlight ?? 8,
      memoryMb: options.memoryMb ?? 512,
    };
    this.state = {
      type: 'state',
      generation: 0,
      config: resolveConfig(options.config ?? {}),
      effect: 'init',
      epoch: 0,
      playing: false,
      speed: this.options.speed,
      engine: this.options.engine,
      presetId: options.presetId ?? null,
    };
  }

  // ── what the panel and tests read ─────────────────────────────────────────────────────────────

  get config(): PlaygroundConfig {
    return this.state.config;
  }
  get presetId(): string | null {
    return this.state.presetId ?? null;
  }
  get playing(): boolean {
    return this.state.playing;
  }
  get epoch(): number {
    return this.lastFrame && this.lastFrame.generation === this.state.generation ? Math.max(this.lastFrame.epoch, this.state.epoch) : this.state.epoch;
  }
  get generation(): number {
    return this.state.generation;
  }
  get engine(): EngineInfo | null {
    return this.engineInfo;
  }
  /** The loss curve since the last reset (thinned like the session's on long runs). */
  get losses(): LossHistory {
    return this.history;
  }
  get frame(): ChildFrameMessage | undefined {
    return this.lastFrame;
  }
  get childPid(): number | undefined {
    return this.child?.pid;
  }
  /** Frames sent to the webview, frames merged into another because the webview was busy, the window, and recent round trips (ms). */
  get frameStats(): { posted: number; merged: number; window: number; roundTripMin: number; roundTripMedian: number } {
    const rt = [...this.roundTrips].sort((a, b) => a - b);
    return {
      posted: this.framesPosted,
      merged: this.framesMerged,
      window: this.window(),
      roundTripMin: rt.length ? rt[0]! : NaN,
      roundTripMedian: rt.length ? rt[Math.floor(rt.length / 2)]! : NaN,
    };
  }

  /** Every valid message from the child, after the host applied it (for tests and benchmarks). */
  onChildMessage(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── commands ──────────────────────────────────────────────────────────────────────────────────

  /** Starts the trainer if it is not running (it starts by itself on the first command). */
  start(): void {
    this.ensureChild();
  }

  play(): void {
    this.wantPlaying = true;
    if (!this.suspended) this.toChild({ type: 'play' });
  }

  pause(): void {
    this.wantPlaying = false;
    this.toChild({ type: 'pause' });
  }

  step(epochs = 1): void {
    this.wantPlaying = false;
    this.toChild({ type: 'step', epochs });
  }

  reset(): void {
    this.toChild({ type: 'reset' });
  }

  /** Changes settings; the child answers with a state saying whether it was live, a reset or new data. */
  change(changes: PlaygroundConfigChange): void {
    this.toChild({ type: 'update', changes });
  }

  /** Loads a preset from its seed, as if the playground had just opened with it. False for an unknown id. */
  applyPreset(id: string): boolean {
    const preset = findPreset(id);
    if (!preset) {
      this.notice('warn', TEXT.unknownPreset(id));
      return false;
    }
    this.wantPlaying = false;
    this.toChild({ type: 'pause' });
    this.toChild({ type: 'update', changes: { ...preset.config }, restart: true, presetId: id });
    return true;
  }

  setEngine(engine: Engine): void {
    this.options.engine = engine;
    this.toChild({ type: 'engine', engine });
  }

  setSpeed(speed: Speed): void {
    this.options.speed = speed;
    this.toChild({ type: 'speed', speed });
  }

  async exportModel(): Promise<void> {
    try {
      const said = await this.effects.exportModel(this.state.config, this.presetId);
      if (said) this.notice('info', said);
    } catch (err) {
      this.notice('error', TEXT.exportFailed((err as Error).message));
    }
  }

  /** The panel was hidden (its webview is unloaded): training pauses until it is shown again. */
  setVisible(visible: boolean): void {
    if (!visible) {
      this.webviewUnloaded();
      if (!this.suspended && this.wantPlaying) this.send({ type: 'pause' });
      this.suspended = true;
    } else if (this.suspended) {
      this.suspended = false;
      if (this.wantPlaying) this.toChild({ type: 'play' });
    }
  }

  // ── webview ───────────────────────────────────────────────────────────────────────────────────

  /** A message from the webview: validated, then acted on; anything else is dropped and logged. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewToHost(raw);
    if (!parsed.ok) {
      this.dropped++;
      if (this.dropped <= LOG_EVERY_AFTER || this.dropped % 100 === 0)
        this.effects.log(`playground: dropped a malformed message from the webview ${parsed.reason}`);
      return;
    }
    await this.handle(parsed.message);
  }

  /** The webview is gone or reloading: hold everything until it says `ready` again. */
  webviewUnloaded(): void {
    this.webviewReady = false;
    this.snapshotOwed = false;
    this.pending = undefined;
    this.clearInFlight();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.webviewUnloaded();
    this.listeners.clear();
    const child = this.child;
    this.child = undefined;
    // The child exits when its channel closes; the signals are for one that does not.
    child?.stop('closed');
  }

  private async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.webviewUnloaded();
        this.webviewReady = true;
        this.ensureChild();
        if (this.points) this.postSnapshot();
        else this.snapshotOwed = true;
        return;
      case 'frameDone': {
        const sent = this.inFlight.get(m.seq);
        if (sent !== undefined) {
          clearTimeout(sent.timer);
          this.inFlight.delete(m.seq);
          this.roundTrips.push(Date.now() - sent.at);
          if (this.roundTrips.length > ROUND_TRIPS_KEPT) this.roundTrips.shift();
          this.flush();
        }
        return;
      }
      case 'play':
        return this.play();
      case 'pause':
        return this.pause();
      case 'step':
        return this.step(m.epochs ?? 1);
      case 'reset':
        return this.reset();
      case 'change':
        return this.change(m.changes);
      case 'preset':
        this.applyPreset(m.id);
        return;
      case 'engine':
        return this.setEngine(m.engine);
      case 'speed':
        return this.setSpeed(m.speed);
      case 'export':
        return this.exportModel();
    }
  }

  private postSnapshot(): void {
    this.snapshotOwed = false;
    const frame =
      this.lastFrame && this.lastFrame.generation === this.state.generation ? { ...this.lastFrame, seq: 0, losses: { epoch: [], train: [], test: [] } } : null;
    const { type: _type, ...state } = this.state;
    this.effects.post({
      type: 'snapshot',
      state: { ...state, points: this.points ?? emptyPoints() },
      history: historyColumns(this.history),
      frame,
      engineInfo: this.engineInfo,
    });
  }

  private forwardFrame(frame: ChildFrameMessage): void {
    if (!this.webviewReady || this.snapshotOwed) return;
    if (this.pending) {
      // The webview is still drawing: this frame replaces the waiting one, keeping its loss points.
      const a = this.pending.losses;
      const b = frame.losses;
      this.pending = { ...frame, losses: { epoch: a.epoch.concat(b.epoch), train: a.train.concat(b.train), test: a.test.concat(b.test) } };
      this.framesMerged++;
    } else {
      this.pending = frame;
    }
    this.flush();
  }

  private flush(): void {
    if (this.inFlight.size >= this.window() || !this.pending || !this.webviewReady) return;
    const frame = { ...this.pending, seq: ++this.webSeq };
    this.pending = undefined;
    const timer = setTimeout(() => {
      // A webview that never answers (closed mid-frame) must not stop the stream for good.
      this.inFlight.delete(frame.seq);
      this.flush();
    }, this.options.ackTimeoutMs);
    timer.unref?.();
    this.inFlight.set(frame.seq, { at: Date.now(), timer });
    this.framesPosted++;
    this.effects.post(frame);
  }

  private clearInFlight(): void {
    for (const sent of this.inFlight.values()) clearTimeout(sent.timer);
    this.inFlight.clear();
  }

  /**
   * Frames the webview may have unacked: enough to cover the way there and back at the display's
   * rate. The quickest recent round trip measures the way itself; a slower one means frames waited
   * in the webview, and answering that with more frames would only lengthen the wait.
   */
  private window(): number {
    const way = this.roundTrips.length ? Math.min(...this.roundTrips) : 0;
    return Math.max(2, Math.min(this.options.maxInFlight, Math.ceil(way / DISPLAY_FRAME_MS) + 1));
  }

  private notice(level: 'info' | 'warn' | 'error', text: string): void {
    this.effects.log(`playground: ${text}`);
    if (this.webviewReady) this.effects.post({ type: 'notice', level, text });
  }

  // ── child ─────────────────────────────────────────────────────────────────────────────────────

  private toChild(message: HostToChild): void {
    if (this.disposed) return;
    if (!this.ensureChild()) return;
    this.send(message);
  }

  private send(message: HostToChild): void {
    this.child?.send(message, (err) => this.effects.log(`playground: could not reach the trainer: ${err.message}`));
  }

  /** Forks the trainer with the current settings unless it runs; false when it may not start. */
  private ensureChild(): boolean {
    if (this.disposed) return false;
    if (this.child) return true;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    if (this.crashes.length > MAX_CRASHES) {
      this.notice('error', TEXT.crashedOften);
      return false;
    }
    const child: ChildHandle<HostToChild> = startChild<ChildToHost, HostToChild>({
      script: this.options.childScript,
      cwd: path.dirname(this.options.childScript),
      // No --enable-source-maps: parsing the bundle's map would add 0.4 s to every start.
      execArgv: [`--max-old-space-size=${this.options.memoryMb}`],
      disconnectOnStop: true,
      stderrTailChars: STDERR_TAIL,
      parse: parseChildToHost,
      onMessage: (m) => {
        if (this.child === child) this.fromChild(m);
      },
      onInvalid: (reason) => {
        if (this.child === child) this.dropMalformed(reason);
      },
    });
    this.child = child;
    void child.exited.then((exit) => this.childGone(child, exit));
    // A restarted trainer starts from the settings as they are, at a new generation.
    this.send({
      type: 'init',
      config: this.state.config,
      engine: this.options.engine,
      speed: this.options.speed,
      frameMs: this.options.frameMs,
      density: this.options.density,
      nodeDensity: this.options.nodeDensity,
      presetId: this.state.presetId ?? null,
    });
    return true;
  }

  private childGone(child: ChildHandle<HostToChild>, exit: ChildExit): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.disposed) return;
    this.crashes.push(Date.now());
    const how = describeExit(exit);
    const tail = lastLines(exit.stderrTail);
    this.effects.log(`playground: the trainer stopped (${how})${tail ? `: ${tail}` : ''}`);
    this.state = { ...this.state, playing: false };
    this.wantPlaying = false;
    this.pending = undefined;
    if (this.webviewReady) {
      this.effects.post({ ...this.state, effect: 'none' });
      this.effects.post({ type: 'notice', level: 'error', text: TEXT.crashed(how) });
    }
  }

  private dropMalformed(reason: string): void {
    this.dropped++;
    if (this.dropped <= LOG_EVERY_AFTER || this.dropped % 100 === 0) this.effects.log(`playground: dropped a malformed message from the trainer ${reason}`);
  }

  private fromChild(m: ChildToHost): void {
    switch (m.type) {
      case 'state': {
        const newGeneration = m.generation !== this.state.generation || m.effect === 'init';
        if (newGeneration) {
          this.history = new LossHistory();
          this.lastFrame = undefined;
          this.pending = undefined;
        }
        const { points, ...rest } = m;
        this.state = { ...rest };
        if (points) this.points = points;
        if (this.webviewReady) {
          if (this.snapshotOwed) {
            if (this.points) this.postSnapshot();
          } else {
            this.effects.post(m);
          }
        }
        break;
      }
      case 'frame':
        // Taken: the child may produce the next one.
        this.send({ type: 'ack', seq: m.seq });
        if (m.generation !== this.state.generation) break;
        for (let i = 0; i < m.losses.epoch.length; i++) this.history.add(m.losses.epoch[i]!, m.losses.train[i] ?? NaN, m.losses.test[i] ?? NaN);
        this.lastFrame = m;
        this.forwardFrame(m);
        break;
      case 'engine':
        this.engineInfo = m.info;
        if (this.webviewReady && !this.snapshotOwed) this.effects.post(m);
        break;
      case 'log':
        this.effects.log(`playground: ${m.message}`);
        if (m.level !== 'info' && this.webviewReady) this.effects.post({ type: 'notice', level: m.level, text: m.message });
        break;
    }
    for (const l of this.listeners) l(m);
  }
}
