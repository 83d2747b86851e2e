// The host half of the playground panel, without VS Code: forks the trainer child process (never a
// shell), relays the webview's requests to it and its frames to the webview, and keeps what a
// reloaded webview needs (settings, points, the loss curve, the last frame). Flow control: the
// child has at most one frame in flight (acked on arrival), so IPC never queues up; the frames' way
// on to the webview is paced by frameFlow.ts.
import { describeExit, lastLines, type ChildExit } from '../process/child';
import { DroppedMessages } from '../droppedMessages';
import { resolveConfig, type PlaygroundConfig, type PlaygroundConfigChange } from './config';
import { findPreset, PRESET_IDS } from './presets';
import { LossHistory } from './session';
import { FrameFlow, type FrameStats } from './frameFlow';
import { CrashCount, forkTrainer, type TrainerHandle } from './trainerProcess';
import { hostSettings, initMessage, type HostSettings, type PlaygroundHostOptions } from './hostOptions';
import {
  parseWebviewToHost,
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
  private readonly options: HostSettings;
  private child: TrainerHandle | undefined;
  private state: StateData;
  private points: DataPoints | undefined;
  private engineInfo: EngineInfo | null = null;
  private history = new LossHistory();
  private lastFrame: ChildFrameMessage | undefined;
  private wantPlaying = false;
  private suspended = false;
  private disposed = false;
  private readonly crashes = new CrashCount();
  private readonly dropped: DroppedMessages;
  private readonly listeners = new Set<Listener>();
  private webviewReady = false;
  private snapshotOwed = false;
  private readonly frames: FrameFlow;

  constructor(
    private readonly effects: PlaygroundEffects,
    options: PlaygroundHostOptions,
  ) {
    this.options = hostSettings(options);
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
    this.frames = new FrameFlow(
      (frame) => this.effects.post(frame),
      () => this.webviewReady,
      this.options,
    );
    this.dropped = new DroppedMessages((message) => this.effects.log(message));
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
  get frameStats(): FrameStats {
    return this.frames.stats;
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
    if (!parsed.ok) return this.dropped.drop(() => `playground: dropped a malformed message from the webview ${parsed.reason}`);
    await this.handle(parsed.message);
  }

  /** The webview is gone or reloading: hold everything until it says `ready` again. */
  webviewUnloaded(): void {
    this.webviewReady = false;
    this.snapshotOwed = false;
    this.frames.reset();
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
      case 'frameDone':
        return this.frames.done(m.seq);
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
    this.frames.add(frame);
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
    if (this.crashes.tooMany()) {
      this.notice('error', TEXT.crashedOften);
      return false;
    }
    const child: TrainerHandle = forkTrainer(this.options, {
      onMessage: (m) => {
        if (this.child === child) this.fromChild(m);
      },
      onInvalid: (reason) => {
        if (this.child === child) this.dropped.drop(() => `playground: dropped a malformed message from the trainer ${reason}`);
      },
    });
    this.child = child;
    void child.exited.then((exit) => this.childGone(child, exit));
    // A restarted trainer starts from the settings as they are, at a new generation.
    this.send(initMessage(this.state, this.options));
    return true;
  }

  private childGone(child: TrainerHandle, exit: ChildExit): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.disposed) return;
    this.crashes.record();
    const how = describeExit(exit);
    const tail = lastLines(exit.stderrTail);
    this.effects.log(`playground: the trainer stopped (${how})${tail ? `: ${tail}` : ''}`);
    this.state = { ...this.state, playing: false };
    this.wantPlaying = false;
    this.frames.dropPending();
    if (this.webviewReady) {
      this.effects.post({ ...this.state, effect: 'none' });
      this.effects.post({ type: 'notice', level: 'error', text: TEXT.crashed(how) });
    }
  }

  private fromChild(m: ChildToHost): void {
    switch (m.type) {
      case 'state': {
        const newGeneration = m.generation !== this.state.generation || m.effect === 'init';
        if (newGeneration) {
          this.history = new LossHistory();
          this.lastFrame = undefined;
          this.frames.dropPending();
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
