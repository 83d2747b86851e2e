import * as assert from 'assert';
import { LocalTrialScheduler, type TrialContext } from '../../../src/core/tuner/scheduler';

const context = (signal = new AbortController().signal): TrialContext => ({ report: async () => false, signal });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tuner: local trial scheduler', () => {
  it('caps its capacity at the CPU cores and queues calls beyond it', async () => {
    assert.strictEqual(new LocalTrialScheduler(async () => ({ objective: 1 }), { maxParallel: 16, cpuCount: 4 }).capacity, 4);
    assert.strictEqual(new LocalTrialScheduler(async () => ({ objective: 1 }), { maxParallel: 2, cpuCount: 4 }).capacity, 2);
    let now = 0;
    let peak = 0;
    const scheduler = new LocalTrialScheduler(
      async (t) => {
        now++;
        peak = Math.max(peak, now);
        await sleep(5);
        now--;
        return { objective: t.number };
      },
      { cpuCount: 2 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5].map((number) => scheduler.run({ number, params: {} }, context())));
    assert.deepStrictEqual(
      results.map((r) => r.objective),
      [1, 2, 3, 4, 5],
    );
    assert.strictEqual(peak, 2);
    assert.strictEqual(scheduler.running, 0);
  });

  it('turns a thrown error into a failed result', async () => {
    const scheduler = new LocalTrialScheduler(async () => {
      throw new Error('runner crashed');
    });
    assert.deepStrictEqual(await scheduler.run({ number: 1, params: {} }, context()), { objective: null, error: 'runner crashed' });
  });

  it('aborts a trial that runs past its time limit, and forwards the study signal', async () => {
    const waitForAbort = async (_t: unknown, ctx: TrialContext) => {
      await new Promise((r) => ctx.signal.addEventListener('abort', r));
      return { objective: null, error: 'aborted' };
    };
    const timed = new LocalTrialScheduler(waitForAbort, { timeoutMs: 20 });
    assert.deepStrictEqual(await timed.run({ number: 1, params: {} }, context()), { objective: null, error: 'aborted' });
    const silent = new LocalTrialScheduler(
      async (_t, ctx) => {
        await new Promise((r) => ctx.signal.addEventListener('abort', r));
        return { objective: 3 };
      },
      { timeoutMs: 20 },
    );
    assert.deepStrictEqual(await silent.run({ number: 1, params: {} }, context()), { objective: null, error: 'timed out after 0 s' });

    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const pending = new LocalTrialScheduler(async (t, ctx) => {
      started();
      return waitForAbort(t, ctx);
    }).run({ number: 1, params: {} }, context(controller.signal));
    await running;
    controller.abort();
    assert.strictEqual((await pending).error, 'aborted');
    // A trial still waiting for a slot when the study is cancelled never starts.
    const cancelled = new AbortController();
    cancelled.abort();
    const never = new LocalTrialScheduler(async () => assert.fail('must not start'));
    assert.deepStrictEqual(await never.run({ number: 2, params: {} }, context(cancelled.signal)), { objective: null, error: 'cancelled before it started' });
  });
});
