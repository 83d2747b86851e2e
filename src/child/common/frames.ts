// Length-prefixed JSON frames over a byte stream: the channel between the evaluator and the learner's
// process. Node's own IPC channel buffers a message of any size before it can be refused; here the
// reader sees each frame's length first, so an oversized frame or a flood is refused before it is
// read into memory.

/** 4-byte big-endian length, then that many bytes of UTF-8 JSON. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export interface FrameLimits {
  /** Largest frame accepted, in bytes. */
  maxFrameBytes: number;
  /** Most bytes accepted over the whole life of the channel. */
  maxTotalBytes: number;
}

/**
 * Splits a stream into frames. The first violation (a frame over the limit, too many bytes in all,
 * a frame that is not JSON) is reported once through `onViolation`, and nothing is read after it.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private total = 0;
  private stopped = false;

  constructor(
    private readonly limits: FrameLimits,
    private readonly onFrame: (message: unknown) => void,
    private readonly onViolation: (reason: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.total += chunk.length;
    if (this.total > this.limits.maxTotalBytes) return this.violate(`sent more than ${mb(this.limits.maxTotalBytes)} in all`);
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.stopped && this.buffered >= 4) {
      const head = this.peek(4);
      const length = head.readUInt32BE(0);
      if (length > this.limits.maxFrameBytes) return this.violate(`sent a message of ${mb(length)}, more than the ${mb(this.limits.maxFrameBytes)} allowed`);
      if (this.buffered < 4 + length) return;
      const frame = this.take(4 + length).subarray(4);
      let message: unknown;
      try {
        message = JSON.parse(frame.toString('utf8'));
      } catch {
        return this.violate('sent a message that is not valid JSON');
      }
      this.onFrame(message);
    }
  }

  /** Stops reading (e.g. after the last expected message). */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.buffered = 0;
  }

  private violate(reason: string): void {
    this.stop();
    this.onViolation(reason);
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0].subarray(0, n);
    return Buffer.concat(this.chunks).subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
