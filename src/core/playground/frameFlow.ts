// Flow control of the frames the playground's host posts to its webview. The webview acks a frame once
// it drew it, and may have as many unacked as the way there and back holds at the display's rate (two
// locally, more through VS Code for the web's longer path, eight at most), judged by the quickest
// recent round trip so that a backlog never widens the window. Frames arriving meanwhile are merged
// into one, their loss points appended: postMessage never queues up however fast training runs.
import type { ChildFrameMessage } from './protocol';

const DISPLAY_FRAME_MS = 1000 / 60;
/** Round trips remembered for the window (about half a second at 60 frames a second). */
const ROUND_TRIPS_KEPT = 30;

export interface FrameFlowOptions {
  /** A webview that has not acked a frame after this long is sent the next one anyway. */
  ackTimeoutMs: number;
  /** Most frames the webview may have unacked, however long the way (see `window`). */
  maxInFlight: number;
}

export interface FrameStats {
  posted: number;
  merged: number;
  window: number;
  roundTripMin: number;
  roundTripMedian: number;
}

export class FrameFlow {
  private seq = 0;
  private readonly inFlight = new Map<number, { at: number; timer: ReturnType<typeof setTimeout> }>();
  /** Recent round trips to the webview and back (ms). */
  private readonly roundTrips: number[] = [];
  private pending: ChildFrameMessage | undefined;
  private posted = 0;
  private merged = 0;

  /** `post` sends a frame to the webview; `canPost` says whether it is there to draw it. */
  constructor(
    private readonly post: (frame: ChildFrameMessage) => void,
    private readonly canPost: () => boolean,
    private readonly options: FrameFlowOptions,
  ) {}

  /** Frames sent to the webview, frames merged into another because the webview was busy, the window, and recent round trips (ms). */
  get stats(): FrameStats {
    const rt = [...this.roundTrips].sort((a, b) => a - b);
    return {
      posted: this.posted,
      merged: this.merged,
      window: this.window(),
      roundTripMin: rt.length ? rt[0]! : NaN,
      roundTripMedian: rt.length ? rt[Math.floor(rt.length / 2)]! : NaN,
    };
  }

  /** A frame from the trainer: posted now if the window allows, else waiting (merged with the one already waiting). */
  add(frame: ChildFrameMessage): void {
    if (this.pending) {
      // The webview is still drawing: this frame replaces the waiting one, keeping its loss points.
      const a = this.pending.losses;
      const b = frame.losses;
      this.pending = { ...frame, losses: { epoch: a.epoch.concat(b.epoch), train: a.train.concat(b.train), test: a.test.concat(b.test) } };
      this.merged++;
    } else {
      this.pending = frame;
    }
    this.flush();
  }

  /** The webview drew frame `seq`: its round trip is measured and the window has room again. */
  done(seq: number): void {
    const sent = this.inFlight.get(seq);
    if (sent === undefined) return;
    clearTimeout(sent.timer);
    this.inFlight.delete(seq);
    this.roundTrips.push(Date.now() - sent.at);
    if (this.roundTrips.length > ROUND_TRIPS_KEPT) this.roundTrips.shift();
    this.flush();
  }

  /** Forgets the waiting frame (it belongs to a network that no longer exists). */
  dropPending(): void {
    this.pending = undefined;
  }

  /** The webview is gone: nothing waits and nothing is in flight. */
  reset(): void {
    this.pending = undefined;
    for (const sent of this.inFlight.values()) clearTimeout(sent.timer);
    this.inFlight.clear();
  }

  private flush(): void {
    if (this.inFlight.size >= this.window() || !this.pending || !this.canPost()) return;
    const frame = { ...this.pending, seq: ++this.seq };
    this.pending = undefined;
    const timer = setTimeout(() => {
      // A webview that never answers (closed mid-frame) must not stop the stream for good.
      this.inFlight.delete(frame.seq);
      this.flush();
    }, this.options.ackTimeoutMs);
    timer.unref?.();
    this.inFlight.set(frame.seq, { at: Date.now(), timer });
    this.posted++;
    this.post(frame);
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
}
