// The frames the playground's worker streams: losses since the previous frame, the output heat map,
// the neurons' maps and the network. At most one per frame interval, and only one in flight: the next
// waits for the host's ack, so nothing queues however fast training runs. Flat out, the interval
// stretches so that drawing does not eat the training.
import type { Engine, ChildFrameMessage, LossPoints, NetworkDrawing } from '../../core/playground/protocol';
import type { NetworkWeights } from '../../core/playground/network';
import type { PlaygroundSession } from '../../core/playground/session';
import { GridPass } from './nodeMaps';
import type { TfjsTrainer } from './tfjsTrainer';

/** While waiting for the host's ack, training stops this often to read it (ms). */
const ACK_POLL_MS = 2;
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

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** What a frame shows of the worker's state besides the session's. */
export interface FrameView {
  session: PlaygroundSession;
  /** The TensorFlow.js trainer, when it trains: its weights are the ones drawn. */
  trainer: TfjsTrainer | undefined;
  generation: number;
  playing: boolean;
  /** Training flat out: frames may come less often. */
  flatOut: boolean;
  engine: Engine;
  agreement: number | null;
}

export class FrameStream {
  /** Something changed since the last frame. */
  dirty = true;
  private frameMs = 1000 / 60;
  private density = 100;
  private nodeDensity = 10;
  private seq = 0;
  private credit = true;
  private lastFrameAt = -Infinity;
  /** Time one frame takes to compute (ms, smoothed). */
  private frameCost = 0;
  private losses = emptyLosses();
  private lastTrain = NaN;
  private lastTest = NaN;
  private rate: { t: number; epoch: number }[] = [];
  private grid: GridPass | undefined;
  private gridKey = '';

  constructor(
    private readonly send: (message: ChildFrameMessage) => void,
    private readonly now: () => number,
  ) {}

  configure(frameMs: number, density: number, nodeDensity: number): void {
    this.frameMs = frameMs;
    this.density = density;
    this.nodeDensity = nodeDensity;
  }

  /** A new curve (new network or new data), starting from the session's losses now. */
  restartCurve(train: number, test: number): void {
    this.losses = emptyLosses();
    this.lastTrain = train;
    this.lastTest = test;
    this.pushLoss(0, train, test);
  }

  /** The losses of a trained epoch, for the next frame. */
  record(epoch: number, train: number, test: number): void {
    this.lastTrain = train;
    this.lastTest = test;
    this.pushLoss(epoch, train, test);
    this.dirty = true;
  }

  /** The epochs-per-second reading starts over (a new pace, a new network). */
  resetRate(): void {
    this.rate = [];
  }

  ack(seq: number): void {
    if (seq === this.seq) this.credit = true;
  }

  /** When training should stop for the next frame: when it is due, or soon to look for the ack. */
  due(start: number, flatOut: boolean): number {
    return this.credit ? this.lastFrameAt + this.interval(flatOut) : start + ACK_POLL_MS;
  }

  /** How long until a frame is to be sent (Infinity when none is waiting). */
  wait(now: number, flatOut: boolean): number {
    return this.dirty && this.credit ? Math.max(0, this.lastFrameAt + this.interval(flatOut) - now) : Infinity;
  }

  maybeSend(view: FrameView): void {
    if (!this.dirty || !this.credit) return;
    if (this.now() - this.lastFrameAt < this.interval(view.flatOut)) return;
    this.sendFrame(view);
  }

  private pushLoss(epoch: number, train: number, test: number): void {
    const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(STREAM_DIGITS)) : null);
    this.losses.epoch.push(epoch);
    this.losses.train.push(round(train));
    this.losses.test.push(round(test));
  }

  /** Least time between frames: the host's, stretched while training flat out so drawing does not eat the training. */
  private interval(flatOut: boolean): number {
    if (!flatOut) return this.frameMs;
    return Math.max(this.frameMs, Math.min(SLOWEST_FRAME_MS, this.frameCost / FRAME_SHARE));
  }

  private sendFrame(view: FrameView): void {
    const s = view.session;
    const t = this.now();
    const { weights, drawing } = picture(s, view.trainer);
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
    const eps = view.playing && t > first.t ? ((s.epoch - first.epoch) * 1000) / (t - first.t) : 0;
    this.seq++;
    const frame: ChildFrameMessage = {
      type: 'frame',
      seq: this.seq,
      generation: view.generation,
      epoch: s.epoch,
      trainLoss: finite(this.lastTrain),
      testLoss: finite(this.lastTest),
      losses: this.losses,
      heatmap: { density: this.density, data: base64(this.grid.heat) },
      neurons: { density: this.nodeDensity, count: s.network.neuronCount, data: base64(this.grid.nodes) },
      network: drawing,
      epochsPerSecond: Math.max(0, eps),
      ...(view.engine === 'tfjs' ? { agreement: view.agreement } : {}),
    };
    this.losses = emptyLosses();
    this.credit = false;
    this.dirty = false;
    this.lastFrameAt = t;
    this.send(frame);
    const cost = this.now() - t;
    this.frameCost = this.frameCost === 0 ? cost : 0.8 * this.frameCost + 0.2 * cost;
  }
}

/** The weights to draw: the exact trainer's, or TensorFlow.js's current ones. */
function picture(s: PlaygroundSession, trainer: TfjsTrainer | undefined): { weights: NetworkWeights; drawing: NetworkDrawing } {
  if (trainer) {
    const state = trainer.read();
    return { weights: state.weights, drawing: flatten(s.network.sizes, state.weights.weights, state.weights.biases, state.dead) };
  }
  const snap = s.snapshot();
  return { weights: snap, drawing: flatten(snap.sizes, snap.weights, snap.biases, snap.dead.flat(2)) };
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
