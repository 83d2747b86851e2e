// The queue's trial scheduler relays signed intermediate values to the study and its pruning
// decision back to the worker; unsigned or repeated values change nothing.
import * as assert from 'assert';
import type { JobCoordinator, JobEnd, QueueJob, SubmitOptions } from '../../../src/core/queue/coordinator';
import { TrialJobData } from '../../../src/core/queue/jobs';
import { loadQueueKey, sign } from '../../../src/core/queue/signing';
import { QueueTrialScheduler } from '../../../src/core/queue/trialScheduler';
import type { StudySpec } from '../../../src/core/tuner';

const key = loadQueueKey({ gradingSecret: 'a-secret-long-enough-to-use', env: {} });

class FakeCoordinator {
  jobs: { job: QueueJob; options: SubmitOptions; resolve(end: JobEnd): void }[] = [];
  stops: [string, string][] = [];
  submit(job: QueueJob, options: SubmitOptions): Promise<JobEnd> {
    return new Promise((resolve) => this.jobs.push({ job, options, resolve }));
  }
  async stop(id: string, reason: string): Promise<void> {
    this.stops.push([id, reason]);
  }
}

const spec = { maxTrials: 4, maxParallelTrials: 2, hyperparameterMetricTag: 'loss', seed: 9 } as StudySpec;

function scheduler(fake: FakeCoordinator): QueueTrialScheduler {
  const s = new QueueTrialScheduler(fake as unknown as JobCoordinator, key, {
    labId: 'regularization',
    manifestSha256: 'a'.repeat(64),
    files: { 'network.ts': Buffer.from('export const network = {};') },
    hyperparameters: (p) => ({ learningRate: p.learning_rate as number }),
  });
  s.opened('20261205-101010-abcd', spec);
  return s;
}

const tick = () => new Promise((r) => setImmediate(r));

describe('queue: trial scheduler', () => {
  it("sends a job a worker can run without the lab folder, and turns its outcome into the trial's result", async () => {
    const fake = new FakeCoordinator();
    const result = scheduler(fake).run({ number: 3, params: { learning_rate: 0.1 } }, { report: async () => false, signal: new AbortController().signal });
    await tick();
    const { job } = fake.jobs[0];
    const data = TrialJobData.parse(job.data);
    assert.deepStrictEqual([data.labId, data.hyperparameters, data.seed, data.metricTag], ['regularization', { learningRate: 0.1 }, 9, 'loss']);
    assert.strictEqual(Buffer.from(data.files['network.ts'], 'base64').toString(), 'export const network = {};');
    assert.match(job.id, /^trial-20261205-101010-abcd-3-/);
    fake.jobs[0].resolve({ ok: true, outcome: { kind: 'trial', status: 'completed', objective: 0.12, metrics: { test_loss: 0.13 } } });
    assert.deepStrictEqual(await result, { objective: 0.12, metrics: { test_loss: 0.13 } });
  });

  it('reports signed values once each, and stops the worker when the study prunes', async () => {
    const fake = new FakeCoordinator();
    const reported: [number, number][] = [];
    const controller = new AbortController();
    const result = scheduler(fake).run(
      { number: 1, params: { learning_rate: 0.5 } },
      {
        report: async (step, value) => {
          reported.push([step, value]);
          if (step === 20) {
            controller.abort();
            return true;
          }
          return false;
        },
        signal: controller.signal,
      },
    );
    await tick();
    const { job, options } = fake.jobs[0];
    const progress = (step: number, value: number, signer = key, id = job.id) =>
      options.onProgress!({ step, value, signature: sign(signer, 'progress', id, { step, value }) });
    progress(10, 0.4);
    progress(10, 0.4); // the same step again (a retried job): counted once
    progress(15, 0.1, loadQueueKey({ gradingSecret: 'another-secret-entirely', env: {} })); // forged
    progress(15, 0.1, key, 'trial-other-job'); // signed for another job
    options.onProgress!({ step: 16, value: 0.1 }); // unsigned
    progress(20, 0.39);
    assert.deepStrictEqual(await result, { objective: null, error: 'stopped' });
    assert.deepStrictEqual(reported, [
      [10, 0.4],
      [20, 0.39],
    ]);
    await tick();
    assert.deepStrictEqual(fake.stops, [[job.id, 'pruned']]);
  });

  it('reports a job that failed on the workers as a failed trial', async () => {
    const fake = new FakeCoordinator();
    const result = scheduler(fake).run({ number: 2, params: { learning_rate: 0.5 } }, { report: async () => false, signal: new AbortController().signal });
    await tick();
    fake.jobs[0].resolve({ ok: false, reason: 'the result did not verify: its signature does not match (a forged or altered result)' });
    assert.deepStrictEqual(await result, { objective: null, error: 'the result did not verify: its signature does not match (a forged or altered result)' });
  });
});
