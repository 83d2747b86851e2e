// The playground host with a real trainer child process (dist/playground.js), and a fake webview
// that validates everything it is sent and acks frames as the real page does.
import * as assert from 'assert';
import { changeEffect, resolveConfig, type PlaygroundConfig } from '../../../src/core/playground/config';
import { presetConfig } from '../../../src/core/playground/presets';
import { PlaygroundSession } from '../../../src/core/playground/session';
import { PlaygroundHost, type PlaygroundEffects } from '../../../src/core/playground/host';
import { base64Bytes, parseHostToWebview, type ChildFrameMessage, type HostToWebview, type StateData } from '../../../src/core/playground/protocol';
import { CHILD_SCRIPT, childBuilt } from './fixtures';

class FakeWebview implements PlaygroundEffects {
  posted: HostToWebview[] = [];
  logs: string[] = [];
  exports: { config: PlaygroundConfig; presetId: string | null }[] = [];
  autoAck = true;
  ackDelayMs = 1;
  outstanding = 0;
  maxOutstanding = 0;
  host!: PlaygroundHost;
  exportResult: () => Promise<string | undefined> = async () => 'Exported the network to network.ts';

  post(m: HostToWebview): void {
    // What the page will do first: every message must pass its validation.
    const r = parseHostToWebview(JSON.parse(JSON.stringify(m)));
    assert.ok(r.ok, `the host sent an invalid ${m.type}: ${r.ok ? '' : r.reason}`);
    this.posted.push(m);
    if (m.type !== 'frame') return;
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    if (this.autoAck) {
      setTimeout(() => {
        this.outstanding--;
        void this.host.receive({ type: 'frameDone', seq: m.seq });
      }, this.ackDelayMs);
    }
  }
  async exportModel(config: PlaygroundConfig, presetId: string | null): Promise<string | undefined> {
    this.exports.push({ config, presetId });
    return this.exportResult();
  }
  log(message: string): void {
    this.logs.push(message);
  }
  frames(): ChildFrameMessage[] {
    return this.posted.filter((m): m is ChildFrameMessage => m.type === 'frame');
  }
  states(): StateData[] {
    return this.posted.filter((m): m is StateData => m.type === 'state');
  }
  lastState(): StateData | undefined {
    const s = this.states();
    return s[s.length - 1];
  }
}

async function until<T>(what: string, fn: () => T | undefined | false | null, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('playground host with a real trainer process', function () {
  this.timeout(90_000);
  const hosts: PlaygroundHost[] = [];

  before(() => childBuilt());
  afterEach(() => {
    while (hosts.length) hosts.pop()!.dispose();
  });

  async function open(options: Partial<ConstructorParameters<typeof PlaygroundHost>[1]> = {}): Promise<{ host: PlaygroundHost; fx: FakeWebview }> {
    const fx = new FakeWebview();
    const host = new PlaygroundHost(fx, { childScript: CHILD_SCRIPT, ...options });
    fx.host = host;
    hosts.push(host);
    await host.receive({ type: 'ready' });
    await until('the snapshot', () => {
      const failed = fx.posted.find((m) => m.type === 'notice' && m.level === 'error');
      if (failed) throw new Error(`the trainer did not start: ${failed.type === 'notice' ? failed.text : ''} ${fx.logs.join(' | ')}`);
      return fx.posted.find((m) => m.type === 'snapshot');
    });
    return { host, fx };
  }

  it('answers ready with a snapshot: settings, the data points and the engine', async () => {
    const { fx } = await open();
    const snap = fx.posted.find((m) => m.type === 'snapshot')!;
    assert.ok(snap.type === 'snapshot');
    assert.deepStrictEqual(snap.state.config, resolveConfig());
    assert.strictEqual(snap.state.points.train.x1.length + snap.state.points.test.x1.length, 500);
    assert.strictEqual(snap.state.epoch, 0);
    assert.strictEqual(snap.engineInfo?.engine, 'exact');
    assert.match(snap.engineInfo.reason, /float64/);
  });

  it('play streams epochs and heat maps without losing an epoch; pause stops them', async () => {
    const { host, fx } = await open({ speed: 'max' });
    host.play();
    await until('200 epochs and 3 frames', () => host.epoch >= 200 && fx.frames().length >= 3);
    host.pause();
    await until('the paused state', () => fx.lastState()?.playing === false && fx.states().some((s) => s.playing));
    await sleep(300);
    const epoch = host.epoch;
    const framesNow = fx.frames().length;
    await sleep(500);
    assert.strictEqual(host.epoch, epoch, 'no epoch after the pause');
    assert.strictEqual(fx.frames().length, framesNow, 'no frame after the pause');
    for (const f of fx.frames()) {
      assert.strictEqual(base64Bytes(f.heatmap.data), 100 * 100);
      assert.strictEqual(base64Bytes(f.neurons.data), 10 * 10 * 7);
      assert.deepStrictEqual(f.network.sizes, [2, 4, 2, 1]);
    }
    // Every epoch's losses reached the webview once, in order: 0 (the start), 1, 2, …
    const epochs = fx.frames().flatMap((f) => f.losses.epoch);
    assert.deepStrictEqual(
      epochs,
      Array.from({ length: epochs.length }, (_, i) => i),
    );
    assert.strictEqual(epochs[epochs.length - 1], epoch);
    assert.strictEqual(host.losses.epochs.length, epoch + 1);
  });

  it('steps one epoch with exactly the losses of the trainer run in this process', async () => {
    const { host, fx } = await open();
    const session = new PlaygroundSession(resolveConfig());
    for (let e = 1; e <= 3; e++) {
      host.step();
      const frame = await until(`the frame of epoch ${e}`, () => fx.frames().find((f) => f.epoch === e));
      const ours = session.step();
      assert.strictEqual(frame.trainLoss, ours.trainLoss);
      assert.strictEqual(frame.testLoss, ours.testLoss);
    }
    assert.deepStrictEqual(fx.frames().find((f) => f.epoch === 3)!.network.weights, session.network.getWeights().weights.flat(2));
  });

  it('applies a knob change live, with new weights, or with new data, as the session says', async () => {
    const { host, fx } = await open();
    host.step(5);
    await until('epoch 5', () => host.epoch === 5 && fx.lastState()?.epoch === 5);
    const cases: [Partial<PlaygroundConfig>, number][] = [
      [{ learningRate: 0.1 }, 5],
      [{ batchSize: 25 }, 5],
      [{ hidden: [3] }, 0],
      [{ activation: 'relu' }, 0],
      [{ features: ['x1', 'x2', 'x1Squared'] }, 0],
      [{ noise: 20 }, 0],
      [{ seed: '0.12345' }, 0],
    ];
    for (const [changes, epochAfter] of cases) {
      const before = host.config;
      const generation = host.generation;
      const count = fx.states().length;
      host.change(changes);
      const state = await until(`the state after ${JSON.stringify(changes)}`, () =>
        fx
          .states()
          .slice(count)
          .find((s) => s.effect !== 'none'),
      );
      const expected = changeEffect(before, resolveConfig({ ...before, ...changes }));
      assert.strictEqual(state.effect, expected, JSON.stringify(changes));
      assert.strictEqual(state.epoch, epochAfter, JSON.stringify(changes));
      assert.strictEqual(state.generation, expected === 'live' ? generation : generation + 1);
      assert.strictEqual(!!state.points, expected === 'regenerate', 'points travel only with new data');
      assert.deepStrictEqual(host.config, resolveConfig({ ...before, ...changes }));
      if (expected !== 'live') {
        host.step(5);
        await until('5 epochs', () => host.epoch === 5 && fx.lastState()?.epoch === 5);
      }
    }
    // The points that came with the last new data are the ones the session makes for these settings.
    const points = fx
      .states()
      .filter((s) => s.points)
      .pop()!.points!;
    const regenerated = new PlaygroundSession(host.config).dataset;
    assert.deepStrictEqual(points.train.x1, Array.from(regenerated.train.x1));
  });

  it('loads a preset from its seed: with L1 the same links die as in the trainer run here', async () => {
    const { host, fx } = await open();
    assert.ok(host.applyPreset('l1-sparsity'));
    const state = await until('the preset', () => fx.states().find((s) => s.presetId === 'l1-sparsity' && s.effect === 'regenerate'));
    assert.deepStrictEqual(state.config, presetConfig('l1-sparsity'));
    host.step(300);
    const frame = await until('epoch 300', () => fx.frames().find((f) => f.epoch === 300));
    const session = new PlaygroundSession(presetConfig('l1-sparsity'));
    session.step(300);
    const dead = session
      .snapshot()
      .dead.flat(2)
      .flatMap((d, i) => (d ? [i] : []));
    assert.ok(dead.length > 20, `L1 killed ${dead.length} links`);
    assert.deepStrictEqual(frame.network.dead, dead);
    assert.strictEqual(frame.testLoss, session.lastLoss.testLoss);
    assert.strictEqual(host.applyPreset('no-such-preset'), false);
    assert.match((fx.posted.filter((m) => m.type === 'notice').pop() as { text: string }).text, /no preset "no-such-preset"/);
  });

  it('holds frames while the webview draws and merges them, so nothing queues and no epoch is lost', async () => {
    const { host, fx } = await open({ speed: 'max' });
    fx.autoAck = false;
    host.play();
    await until('two frames', () => fx.frames().length === 2);
    await sleep(500);
    assert.strictEqual(fx.frames().length, 2, 'two frames in flight at most');
    assert.ok(host.frameStats.merged > 0, 'frames produced meanwhile were merged');
    const first = fx.frames()[1]!;
    await host.receive({ type: 'frameDone', seq: fx.frames()[0]!.seq });
    await until('the merged frame', () => fx.frames().length === 3);
    host.pause();
    const second = fx.frames()[2]!;
    assert.strictEqual(second.losses.epoch[0], first.losses.epoch[first.losses.epoch.length - 1]! + 1, 'the merged frame continues where the first ended');
    const e = second.losses.epoch;
    assert.ok(e.every((v, i) => i === 0 || v === e[i - 1]! + 1));
    assert.ok(e.length > 1);
  });

  it('keeps enough frames on a long way to the webview to stream smoothly, and never more than eight', async () => {
    const { host, fx } = await open({ speed: 'max' });
    // A slow way there and back (VS Code for the web on a busy machine): with two frames in flight
    // at most thirteen frames a second could pass, fewer than the trainer makes.
    fx.ackDelayMs = 150;
    let made = 0;
    host.onChildMessage((m) => void (m.type === 'frame' && made++));
    host.play();
    await sleep(1500);
    const made0 = made;
    const posted0 = fx.frames().length;
    await sleep(2000);
    const madeNow = made - made0;
    const postedNow = fx.frames().length - posted0;
    host.pause();
    assert.ok(fx.maxOutstanding > 2 && fx.maxOutstanding <= 8, `at most ${fx.maxOutstanding} frames in flight`);
    assert.ok(postedNow >= 0.8 * madeNow - 2, `${postedNow} of ${madeNow} frames went on to the webview`);
  });

  it('drops malformed or forged webview messages and logs them', async () => {
    const { host, fx } = await open();
    const config = host.config;
    for (const raw of [{ type: 'eval', code: 'x' }, { type: 'change', changes: { learningRate: 1e9 } }, { type: 'ack', seq: 1 }, null, 'play'])
      await host.receive(raw);
    await sleep(200);
    assert.strictEqual(fx.logs.filter((l) => l.includes('dropped a malformed message')).length, 5);
    assert.deepStrictEqual(host.config, config);
    assert.strictEqual(host.playing, false);
  });

  it('trains with TensorFlow.js on request, says which backend and why, and agrees with the exact trainer', async () => {
    const { host, fx } = await open();
    host.setEngine('tfjs');
    const info = await until('TensorFlow.js', () => fx.posted.find((m) => m.type === 'engine' && m.info.engine === 'tfjs'));
    assert.ok(info.type === 'engine');
    assert.strictEqual(info.info.backend, 'cpu');
    assert.match(info.info.reason, /cpu backend/);
    assert.match(info.info.versions['tfjs'] ?? '', /^\d+\.\d+/);
    host.step(5);
    const frame = await until('epoch 5', () => fx.frames().find((f) => f.epoch === 5));
    assert.ok(typeof frame.agreement === 'number' && frame.agreement < 1e-5, `gap ${frame.agreement}`);
    const exact = new PlaygroundSession(resolveConfig());
    const ours = exact.step(5);
    assert.ok(Math.abs(frame.trainLoss! - ours.trainLoss) < 1e-5);
    host.setEngine('exact');
    await until(
      'the exact trainer again',
      () =>
        fx.posted.filter((m) => m.type === 'engine').pop()?.type === 'engine' &&
        (fx.posted.filter((m) => m.type === 'engine').pop() as { info: { engine: string } }).info.engine === 'exact',
    );
  });

  it('restarts a trainer that died, with the same settings, on the next command', async () => {
    const { host, fx } = await open();
    host.change({ hidden: [5] });
    await until('the change', () => fx.lastState()?.config.hidden.join() === '5');
    const pid = host.childPid!;
    process.kill(pid, 'SIGKILL');
    const notice = await until('the notice', () => fx.posted.find((m) => m.type === 'notice' && m.level === 'error'));
    assert.match((notice as { text: string }).text, /trainer stopped/);
    host.step();
    await until('a frame from the new trainer', () => fx.frames().some((f) => f.epoch === 1) && host.childPid !== pid);
    assert.deepStrictEqual(host.config.hidden, [5]);
  });

  it('pauses while the panel is hidden and resumes when it is shown', async () => {
    const { host, fx } = await open({ speed: 60 });
    host.play();
    await until('playing', () => fx.lastState()?.playing === true);
    host.setVisible(false);
    await sleep(300);
    const epoch = host.epoch;
    await sleep(400);
    assert.strictEqual(host.epoch, epoch, 'no training while hidden');
    host.setVisible(true);
    await host.receive({ type: 'ready' });
    await until('training again', () => host.playing && host.epoch > epoch);
  });

  it('exports through the panel and tells the learner; a failure is a notice, not a crash', async () => {
    const { host, fx } = await open();
    host.applyPreset('l1-sparsity');
    await until('the preset', () => host.presetId === 'l1-sparsity');
    await host.receive({ type: 'export' });
    assert.deepStrictEqual(fx.exports[0], { config: presetConfig('l1-sparsity'), presetId: 'l1-sparsity' });
    assert.ok(fx.posted.some((m) => m.type === 'notice' && m.text.includes('network.ts')));
    fx.exportResult = () => Promise.reject(new Error('the file is read-only'));
    await host.receive({ type: 'export' });
    assert.ok(fx.posted.some((m) => m.type === 'notice' && m.level === 'error' && m.text.includes('read-only')));
  });

  it('ends the trainer process when disposed', async () => {
    const { host } = await open();
    const pid = host.childPid!;
    assert.ok(alive(pid));
    host.dispose();
    await until('the trainer to exit', () => !alive(pid), 5000);
  });
});
