// Live epochs on their way to the webview: batched per interval, so that a fast run costs one message
// per frame and not one per epoch.
import type { EpochColumns } from './records';
import type { EpochRecord } from '../run/store';
import { toColumns } from './data';

export interface Scheduler {
  (fn: () => void, ms: number): { cancel(): void };
}

export const timerScheduler: Scheduler = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(t) };
};

/**
 * Collects epochs as the runner reports them and hands them on at most once per interval, one
 * batch per run in epoch order. A fast run then costs one webview message per interval, and
 * nothing is dropped: every epoch added is in exactly one batch.
 */
export class EpochBatcher {
  private pending = new Map<string, EpochRecord[]>();
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly deliver: (runId: string, epochs: EpochColumns) => void,
    private readonly intervalMs = 16,
    private readonly schedule: Scheduler = timerScheduler,
  ) {}

  add(runId: string, epoch: EpochRecord): void {
    let list = this.pending.get(runId);
    if (!list) this.pending.set(runId, (list = []));
    list.push(epoch);
    this.timer ??= this.schedule(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
  }

  /** Delivers everything pending now (e.g. before a run's final status, so it arrives after its epochs). */
  flush(runId?: string): void {
    const ids = runId === undefined ? [...this.pending.keys()] : [runId];
    for (const id of ids) {
      const list = this.pending.get(id);
      this.pending.delete(id);
      if (list && list.length) this.deliver(id, toColumns([...list].sort((a, b) => a.epoch - b.epoch)));
    }
    if (this.pending.size === 0 && this.timer) {
      this.timer.cancel();
      this.timer = undefined;
    }
  }

  /** Forgets pending epochs (their runs are re-read from disk by the next snapshot). */
  clear(): void {
    this.pending.clear();
    this.timer?.cancel();
    this.timer = undefined;
  }

  dispose(): void {
    this.clear();
  }
}
