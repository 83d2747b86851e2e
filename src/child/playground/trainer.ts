// What the playground's child process does: owns a PlaygroundSession, trains it while playing (as
// fast as it goes, or at a set pace), and streams frames — losses since the previous frame, the
// output heat map, the neurons' maps and the network — at most one per frameMs and only one in
// flight: the next frame waits for the host's ack, so nothing queues however fast training runs.
// With the TensorFlow.js engine, tfjs trains and the exact trainer runs alongside from the same
// weights, which measures how closely the two agree.
import { resolveConfig, type PlaygroundConfig } from '../../core/playground/config';
import type { PointSet } from '../../core/playground/datasets';
import { toExamples } from '../../core/playground/features';
import { PlaygroundSession } from '../../core/playground/session';
import {
  PLAYGROUND_PACE,
  type ChildToHost,
  type DataPoints,
  type Engine,
  type HostToChild,
  type InitMessage,
  type Speed,
} from '../../core/playground/protocol';
import { EXACT_ENGINE_INFO, type LoadedTensorFlow } from './engines';
import { FrameStream, type FrameView } from './frameStream';
import { TfjsTrainer } from './tfjsTrainer';

export interface WorkerOptions {
  send: (message: ChildToHost) => void;
  /** Loads TensorFlow.js on first use (it costs ~150 ms and is not needed by the exact trainer). */
  loadTensorFlow: () => Promise<LoadedTensorFlow>;
  now?: () => number;
}

/** Longest stretch of training between two looks at the message queue (ms). */
const SLICE_MS = 12;
/** At a set pace, at most this many seconds of missed epochs are caught up after a stall. */
const MAX_BEHIND_S = 0.25;

function columns(p: PointSet): DataPoints['train'] {
  return { x1: Array.from(p.x1), x2: Array.from(p.x2), label: Array.from(p.label) };
}

export class PlaygroundWorker {
  private readonly send: (message: ChildToHost) => void;
  private readonly loadTensorFlow: () => Promise<LoadedTensorFlow>;
  private readonly now: () => number;
  private session: PlaygroundSession | undefined;
  private generation = 0;
  private playing = false;
  private speed: Speed = PLAYGROUND_PACE;
  private engine: Engine = 'exact';
  private requestedEngine: Engine = 'exact';
  private presetId: string | null = null;
  private tf: LoadedTensorFlow | undefined;
  private trainer: TfjsTrainer | undefined;
  private readonly frames: FrameStream;
  private agreement: number | null = null;
  private paceStart = 0;
  private paceDone = 0;
  /** Batch size of the last pass: the points it left over are carried into the next. */
  private lastBatchSize = 0;

  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(options: WorkerOptions) {
    this.send = options.send;
    this.loadTensorFlow = options.loadTensorFlow;
    this.now = options.now ?? (() => performance.now());
    this.frames = new FrameStream(this.send, this.now);
  }

  handle(m: HostToChild): void {
    if (this.stopped) return;
    if (m.type === 'init') {
      this.init(m);
      return;
    }
    if (!this.session) {
      this.log('warn', `"${m.type}" arrived before "init" and was ignored`);
      return;
    }
    switch (m.type) {
      case 'play':
        if (!this.playing) {
          this.playing = true;
          this.restartPace();
          this.sendState('none');
        }
        break;
      case 'pause':
        if (this.playing) {
          this.playing = false;
          this.frames.dirty = true;
          this.sendState('none');
        }
        break;
      case 'step': {
        this.playing = false;
        const n = m.epochs ?? 1;
        for (let i = 0; i < n && this.guarded(() => this.trainEpoch()); i++);
        this.sendState('none');
        break;
      }
      case 'reset':
        this.session.reset();
        this.afterReset();
        this.sendState('reset');
        break;
      case 'update':
        this.update(m.changes, m.restart ?? false, m.presetId);
        break;
      case 'engine':
        void this.switchEngine(m.engine);
        break;
      case 'speed':
        this.speed = m.speed;
        this.restartPace();
        this.sendState('none');
        break;
      case 'ack':
        this.frames.ack(m.seq);
        break;
    }
    this.wake();
  }

  /** Stops the timers and frees TensorFlow.js memory. */
  stop(): void {
    this.stopped = true;
    this.playing = false;
    if (this.timeout) clearTimeout(this.timeout);
    if (this.immediate) clearImmediate(this.immediate);
    this.trainer?.dispose();
    this.trainer = undefined;
  }

  // ── settings ──────────────────────────────────────────────────────────────────────────────────

  private init(m: InitMessage): void {
    this.frames.configure(m.frameMs, m.density, m.nodeDensity);
    this.speed = m.speed;
    this.presetId = m.presetId ?? null;
    this.trainer?.dispose();
    this.trainer = undefined;
    this.engine = 'exact';
    try {
      this.session = new PlaygroundSession(m.config);
    } catch (err) {
      this.log('error', `the settings were refused (${(err as Error).message}); starting from the defaults`);
      this.session = new PlaygroundSession();
    }
    this.afterReset();
    this.send({ type: 'engine', info: EXACT_ENGINE_INFO });
    this.sendState('init');
    if (m.engine === 'tfjs') void this.switchEngine('tfjs');
    this.wake();
  }

  private update(changes: Partial<PlaygroundConfig>, restart: boolean, presetId: string | null | undefined): void {
    const session = this.session!;
    let effect: 'none' | 'live' | 'reset' | 'regenerate';
    try {
      if (restart) {
        // As if just opened with these settings: data and weights from the seed, reproducibly.
        this.session = new PlaygroundSession(resolveConfig({ ...session.config, ...changes }));
        effect = 'regenerate';
      } else {
        effect = session.update(changes);
      }
    } catch (err) {
      this.log('warn', `that change was refused: ${(err as Error).message}`);
      this.sendState('none');
      return;
    }
    if (presetId !== undefined) this.presetId = presetId;
    if (effect === 'reset' || effect === 'regenerate') this.afterReset();
    this.frames.dirty = true;
    this.sendState(effect);
  }

  /** New network (or new data): a new generation, a new curve, a new TensorFlow.js model. */
  private afterReset(): void {
    const s = this.session!;
    this.generation++;
    this.frames.restartCurve(s.lastLoss.trainLoss, s.lastLoss.testLoss);
    this.agreement = this.engine === 'tfjs' ? 0 : null;
    this.frames.resetRate();
    this.lastBatchSize = 0;
    this.restartPace();
    this.frames.dirty = true;
    if (this.engine === 'tfjs' && this.tf) this.buildTrainer();
  }

  private restartPace(): void {
    this.paceStart = this.now();
    this.paceDone = 0;
    this.frames.resetRate();
  }

  private async switchEngine(engine: Engine): Promise<void> {
    this.requestedEngine = engine;
    if (engine === this.engine) {
      this.send({ type: 'engine', info: engine === 'tfjs' && this.tf ? this.tf.info : EXACT_ENGINE_INFO });
      return;
    }
    if (engine === 'exact') {
      // The exact trainer kept training alongside: it continues from where both are.
      this.trainer?.dispose();
      this.trainer = undefined;
      this.engine = 'exact';
      this.agreement = null;
      this.frames.dirty = true;
      this.send({ type: 'engine', info: EXACT_ENGINE_INFO });
      this.sendState('none');
      this.wake();
      return;
    }
    if (!this.tf) {
      try {
        this.tf = await this.loadTensorFlow();
      } catch (err) {
        this.log('error', `TensorFlow.js could not be loaded, so the exact trainer keeps training: ${(err as Error).message}`);
        this.requestedEngine = 'exact';
        this.send({ type: 'engine', info: EXACT_ENGINE_INFO });
        this.sendState('none');
        return;
      }
    }
    // Training went on while TensorFlow.js loaded: it starts from the weights as they are now.
    if (this.stopped || this.requestedEngine !== 'tfjs' || this.engine === 'tfjs') return;
    this.engine = 'tfjs';
    this.buildTrainer();
    this.agreement = 0;
    this.frames.dirty = true;
    this.send({ type: 'engine', info: this.tf.info });
    this.sendState('none');
    this.wake();
  }

  private buildTrainer(): void {
    const s = this.session!;
    this.trainer?.dispose();
    const net = s.network;
    const n = s.dataset.train.length;
    this.trainer = new TfjsTrainer(this.tf!.tf, {
      spec: net.spec,
      weights: net.getWeights(),
      dead: net.snapshot().dead,
      train: toExamples(s.dataset.train, s.features),
      test: toExamples(s.dataset.test, s.features),
      carry: s.epoch > 0 && this.lastBatchSize > 0 ? n % this.lastBatchSize : 0,
    });
  }

  // ── training ──────────────────────────────────────────────────────────────────────────────────

  private tick = (): void => {
    this.timeout = undefined;
    this.immediate = undefined;
    if (this.stopped || !this.session) return;
    if (this.playing) this.guarded(() => this.trainSlice());
    this.guarded(() => this.frames.maybeSend(this.frameView()));
    this.wake();
  };

  /** Runs `fn`; an unexpected failure pauses training and is reported instead of ending the process. */
  private guarded(fn: () => boolean | void): boolean {
    try {
      return fn() !== false;
    } catch (err) {
      this.playing = false;
      this.log('error', `training stopped: ${(err as Error).stack ?? String(err)}`);
      this.sendState('none');
      return false;
    }
  }

  private trainSlice(): void {
    const start = this.now();
    // Train until the next frame is due (at least a little, at most SLICE_MS), then draw it; while
    // the previous frame is not acked yet, look for the ack often so the next frame is not late.
    const frameDue = this.frames.due(start, this.flatOut());
    const until = Math.min(start + SLICE_MS, Math.max(frameDue, start + 1));
    let budget = Infinity;
    if (this.speed !== 'max') {
      let owed = Math.floor(((start - this.paceStart) * this.speed) / 1000) - this.paceDone;
      const cap = Math.max(1, Math.ceil(this.speed * MAX_BEHIND_S));
      if (owed > cap) {
        this.paceDone += owed - cap;
        owed = cap;
      }
      budget = owed;
    }
    let n = 0;
    while (n < budget && this.playing) {
      if (!this.trainEpoch()) break;
      n++;
      if (this.now() >= until) break;
    }
    this.paceDone += n;
  }

  /** One epoch: a training pass, then both losses. False when the loss stopped being a number. */
  private trainEpoch(): boolean {
    const s = this.session!;
    const options = s.trainOptions;
    let train: number;
    let test: number;
    if (this.trainer) {
      this.trainer.trainEpoch(options);
      const exact = s.step(1);
      const l = this.trainer.losses();
      train = l.train;
      test = l.test;
      const gap = Math.max(Math.abs(train - exact.trainLoss), Math.abs(test - exact.testLoss));
      if (Number.isFinite(gap)) this.agreement = Math.max(this.agreement ?? 0, gap);
    } else {
      const r = s.step(1);
      train = r.trainLoss;
      test = r.testLoss;
    }
    this.lastBatchSize = options.batchSize;
    this.frames.record(s.epoch, train, test);
    if (!Number.isFinite(train) || !Number.isFinite(test)) {
      const wasPlaying = this.playing;
      this.playing = false;
      this.log('warn', `the loss is no longer a number at epoch ${s.epoch}: learning rate ${options.learningRate} is too high. Lower it and reset.`);
      if (wasPlaying) this.sendState('none');
      return false;
    }
    return true;
  }

  // ── frames ────────────────────────────────────────────────────────────────────────────────────

  /** Training flat out: frames may come less often so that drawing does not eat the training. */
  private flatOut(): boolean {
    return this.playing && this.speed === 'max';
  }

  private frameView(): FrameView {
    return {
      session: this.session!,
      trainer: this.trainer,
      generation: this.generation,
      playing: this.playing,
      flatOut: this.flatOut(),
      engine: this.engine,
      agreement: this.agreement,
    };
  }

  private sendState(effect: 'init' | 'none' | 'live' | 'reset' | 'regenerate'): void {
    const s = this.session!;
    this.send({
      type: 'state',
      generation: this.generation,
      config: { ...s.config, features: [...s.config.features], hidden: [...s.config.hidden] },
      effect,
      epoch: s.epoch,
      playing: this.playing,
      speed: this.speed,
      engine: this.engine,
      presetId: this.presetId,
      ...(effect === 'init' || effect === 'regenerate' ? { points: { train: columns(s.dataset.train), test: columns(s.dataset.test) } } : {}),
    });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.send({ type: 'log', level, message: message.slice(0, 4000) });
  }

  /** Schedules the next tick: right away while training flat out, else when the next thing is due. */
  private wake(): void {
    if (this.stopped || !this.session || this.immediate) return;
    if (this.timeout) {
      clearTimeout(this.timeout);
      this.timeout = undefined;
    }
    const now = this.now();
    const frameWait = this.frames.wait(now, this.flatOut());
    let trainWait = Infinity;
    if (this.playing) {
      trainWait = this.speed === 'max' ? 0 : Math.max(0, this.paceStart + ((this.paceDone + 1) * 1000) / this.speed - now);
    }
    const wait = Math.min(frameWait, trainWait);
    if (wait === Infinity) return;
    if (wait <= 0) this.immediate = setImmediate(this.tick);
    else this.timeout = setTimeout(this.tick, Math.ceil(wait));
  }
}
