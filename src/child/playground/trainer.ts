// What the playground's child process does: owns a PlaygroundSession, trains it while playing (as
// fast as it goes, or at a set pace), and streams frames — losses since the previous frame, the
// output heat map, the neurons' maps and the network — at most one per frameMs and only one in
// flight: the next frame waits for the host's ack, so nothing queues however fast training runs.
// With the TensorFlow.js engine, tfjs trains and the exact trainer runs alongside from the same
// weights, which measures how closely the two agree.
import { resolveConfig, type PlaygroundConfig } from '../../core/playground/config';
import type { PointSet } from '../../core/playground/datasets';
import { toExamples } from '../../core/playground/features';
import type { NetworkWeights } from '../../core/playground/network';
import { PlaygroundSession } from '../../core/playground/session';
import {
  PLAYGROUND_PACE,
  type ChildFrameMessage,
  type ChildToHost,
  type DataPoints,
  type Engine,
  type EngineInfo,
  type HostToChild,
  type InitMessage,
  type LossPoints,
  type NetworkDrawing,
  type Speed,
} from '../../core/playground/protocol';
import { GridPass } from './nodeMaps';
import { TfjsTrainer } from './tfjsTrainer';

type Tf = typeof import('@tensorflow/tfjs');

export interface LoadedTensorFlow {
  tf: Tf;
  info: EngineInfo;
}

export interface WorkerOptions {
  send: (message: ChildToHost) => void;
  /** Loads TensorFlow.js on first use (it costs ~150 ms and is not needed by the exact trainer). */
  loadTensorFlow: () => Promise<LoadedTensorFlow>;
  now?: () => number;
}

export const EXACT_ENGINE_INFO: EngineInfo = {
  engine: 'exact',
  backend: 'float64 JavaScript',
  reason:
    "The playground's own trainer: TF Playground's arithmetic in float64 — per-point gradients averaged over each batch, " +
    'L1 as a proximal step that sets a weight crossing zero to exactly 0. At these sizes it is 20–45× faster than ' +
    'TensorFlow.js, whose time goes to per-operation overhead, and it matches TensorFlow.js to float precision.',
  versions: { node: process.versions.node },
};

export function tfjsReason(version: string, backend: string): string {
  return (
    `TensorFlow.js ${version} on its ${backend} backend trains the same network from the same weights (float32, gradients from tf.grads, ` +
    'the same proximal L1 step). The cpu backend because at these sizes every operation costs mostly overhead, and the plain-JavaScript ' +
    'backend has the least of it (faster here than WebAssembly). The exact trainer runs alongside: the difference shown is the largest ' +
    'gap between the two losses since the switch.'
  );
}

/** Longest stretch of training between two looks at the message queue (ms). */
const SLICE_MS = 12;
/** While waiting for the host's ack, training stops this often to read it (ms). */
const ACK_POLL_MS = 2;
/** At a set pace, at most this many seconds of missed epochs are caught up after a stall. */
const MAX_BEHIND_S = 0.25;
/**
 * Flat out, drawing (the 100×100 heat map is some 10,000 forward passes) may take at most this share
 * of the time, as long as frames are still due every SLOWEST_FRAME_MS: 40 a second, so that a busy
 * machine's delays still leave more than 30.
 */
const FRAME_SHARE = 0.2;
const SLOWEST_FRAME_MS = 1000 / 40;
/** Loss values in the stream keep this many significant digits (the readout has them all). */
const STREAM_DIGITS = 7;

function emptyLosses(): LossPoints {
  return { epoch: [], train: [], test: [] };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function columns(p: PointSet): DataPoints['train'] {
  return { x1: Array.from(p.x1), x2: Array.from(p.x2), label: Array.from(p.label) };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
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
  private frameMs = 1000 / 60;
  private density = 100;
  private nodeDensity = 10;

  private seq = 0;
  private credit = true;
  private dirty = true;
  private lastFrameAt = -Infinity;
  /** Time one frame takes to compute (ms, smoothed). */
  private frameCost = 0;
  private losses = emptyLosses();
  private lastTrain = NaN;
  private lastTest = NaN;
  private agreement: number | null = null;
  private rate: { t: number; epoch: number }[] = [];
  private paceStart = 0;
  private paceDone = 0;
  /** Batch size of the last pass: the points it left over are carried into the next. */
  private lastBatchSize = 0;

  private grid: GridPass | undefined;
  private gridKey = '';
  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(options: WorkerOptions) {
    this.send = options.send;
    this.loadTensorFlow = options.loadTensorFlow;
    this.now = options.now ?? (() => performance.now());
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
          this.dirty = true;
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
        if (m.seq === this.seq) this.credit = true;
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
    this.frameMs = m.frameMs;
    this.density = m.density;
    this.nodeDensity = m.nodeDensity;
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
    this.dirty = true;
    this.sendState(effect);
  }

  /** New network (or new data): a new generation, a new curve, a new TensorFlow.js model. */
  private afterReset(): void {
    const s = this.session!;
    this.generation++;
    this.losses = emptyLosses();
    this.lastTrain = s.lastLoss.trainLoss;
    this.lastTest = s.lastLoss.testLoss;
    this.pushLoss(0, this.lastTrain, this.lastTest);
    this.agreement = this.engine === 'tfjs' ? 0 : null;
    this.rate = [];
    this.lastBatchSize = 0;
    this.restartPace();
    this.dirty = true;
    if (this.engine === 'tfjs' && this.tf) this.buildTrainer();
  }

  private restartPace(): void {
    this.paceStart = this.now();
    this.paceDone = 0;
    this.rate = [];
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
      this.dirty = true;
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
    this.dirty = true;
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
    this.guarded(() => this.maybeFrame());
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
    const frameDue = this.credit ? this.lastFrameAt + this.frameInterval() : start + ACK_POLL_MS;
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
    this.lastTrain = train;
    this.lastTest = test;
    this.pushLoss(s.epoch, train, test);
    this.dirty = true;
    if (!Number.isFinite(train) || !Number.isFinite(test)) {
      const wasPlaying = this.playing;
      this.playing = false;
      this.log('warn', `the loss is no longer a number at epoch ${s.epoch}: learning rate ${options.learningRate} is too high. Lower it and reset.`);
      if (wasPlaying) this.sendState('none');
      return false;
    }
    return true;
  }

  private pushLoss(epoch: number, train: number, test: number): void {
    const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(STREAM_DIGITS)) : null);
    this.losses.epoch.push(epoch);
    this.losses.train.push(round(train));
    this.losses.test.push(round(test));
  }

  // ── frames ────────────────────────────────────────────────────────────────────────────────────

  private maybeFrame(): void {
    if (!this.dirty || !this.credit) return;
    if (this.now() - this.lastFrameAt < this.frameInterval()) return;
    this.sendFrame();
  }

  /** Least time between frames: the host's, stretched while training flat out so drawing does not eat the training. */
  private frameInterval(): number {
    if (!this.playing || this.speed !== 'max') return this.frameMs;
    return Math.max(this.frameMs, Math.min(SLOWEST_FRAME_MS, this.frameCost / FRAME_SHARE));
  }

  private sendFrame(): void {
    const s = this.session!;
    const t = this.now();
    const { weights, drawing } = this.picture();
    const spec = s.network.spec;
    const key = `${s.features.join()}|${spec.hidden.join()}|${spec.activation}|${spec.outputActivation}|${this.density}|${this.nodeDensity}`;
    if (key !== this.gridKey || !this.grid) {
      this.grid = new GridPass(s.features, spec, this.density, this.nodeDensity);
      this.gridKey = key;
    }
    this.grid.run(weights);
    this.rate.push({ t, epoch: s.epoch });
    while (this.rate.length > 2 && t - this.rate[1]!.t >= 1000) this.rate.shift();
    const first = this.rate[0]!;
    const eps = this.playing && t > first.t ? ((s.epoch - first.epoch) * 1000) / (t - first.t) : 0;
    this.seq++;
    const frame: ChildFrameMessage = {
      type: 'frame',
      seq: this.seq,
      generation: this.generation,
      epoch: s.epoch,
      trainLoss: finite(this.lastTrain),
      testLoss: finite(this.lastTest),
      losses: this.losses,
      heatmap: { density: this.density, data: base64(this.grid.heat) },
      neurons: { density: this.nodeDensity, count: s.network.neuronCount, data: base64(this.grid.nodes) },
      network: drawing,
      epochsPerSecond: Math.max(0, eps),
      ...(this.engine === 'tfjs' ? { agreement: this.agreement } : {}),
    };
    this.losses = emptyLosses();
    this.credit = false;
    this.dirty = false;
    this.lastFrameAt = t;
    this.send(frame);
    const cost = this.now() - t;
    this.frameCost = this.frameCost === 0 ? cost : 0.8 * this.frameCost + 0.2 * cost;
  }

  /** The weights to draw: the exact trainer's, or TensorFlow.js's current ones. */
  private picture(): { weights: NetworkWeights; drawing: NetworkDrawing } {
    const s = this.session!;
    if (this.trainer) {
      const state = this.trainer.read();
      return { weights: state.weights, drawing: flatten(s.network.sizes, state.weights.weights, state.weights.biases, state.dead) };
    }
    const snap = s.snapshot();
    return { weights: snap, drawing: flatten(snap.sizes, snap.weights, snap.biases, snap.dead.flat(2)) };
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
    const frameWait = this.dirty && this.credit ? Math.max(0, this.lastFrameAt + this.frameInterval() - now) : Infinity;
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

/** A snapshot in the protocol's flat form. */
function flatten(sizes: readonly number[], weights: number[][][], biases: number[][], dead: readonly boolean[]): NetworkDrawing {
  const deadIdx: number[] = [];
  dead.forEach((d, i) => d && deadIdx.push(i));
  return {
    sizes: [...sizes],
    weights: weights.flat(2).map(finite),
    biases: biases.flat().map(finite),
    dead: deadIdx,
  };
}
