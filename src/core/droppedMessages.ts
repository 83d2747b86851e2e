// The hosts and the webview pages drop every malformed message the other side sends them, and say so
// in the log: the first few, then one in a hundred, so that a broken sender cannot flood the log.

/** Messages logged one by one before the log thins out to one in a hundred. */
const LOG_EVERY_AFTER = 20;

/** Counts the malformed messages a host dropped and logs some of them. */
export class DroppedMessages {
  private count = 0;

  constructor(private readonly log: (message: string) => void) {}

  /** How many were dropped so far. */
  get total(): number {
    return this.count;
  }

  /** Counts one more; logs `describe(count so far)` when this one is among those said. */
  drop(describe: (count: number) => string): void {
    this.count++;
    if (this.count <= LOG_EVERY_AFTER || this.count % 100 === 0) this.log(describe(this.count));
  }
}
