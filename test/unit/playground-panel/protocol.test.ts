import * as assert from 'assert';
import { resolveConfig } from '../../../src/core/playground/config';
import { PRESET_IDS } from '../../../src/core/playground/presets';
import {
  base64Bytes,
  dequantize,
  LIMITS,
  parseChildToHost,
  parseHostToChild,
  parseHostToWebview,
  parseViewState,
  parseWebviewToHost,
  quantize,
  type ChildFrameMessage,
} from '../../../src/core/playground/protocol';
import { goodHostToWebview, GOOD_WEBVIEW_TO_HOST, sampleFrame, workerMessages } from './fixtures';

/** As VS Code's webview bridge and the JSON IPC channel deliver it. */
const roundTrip = <T>(m: T): T => JSON.parse(JSON.stringify(m)) as T;

function rejected(parse: (raw: unknown) => { ok: boolean; reason?: string }, raw: unknown): string {
  const r = parse(raw) as { ok: boolean; reason?: string };
  assert.strictEqual(r.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 200)}`);
  return r.reason ?? '';
}

describe('playground protocol', () => {
  let frame: ChildFrameMessage;
  before(async () => {
    frame = await sampleFrame();
  });

  it('accepts every message the worker, the host and the webview send, after a JSON round trip', async () => {
    for (const m of await workerMessages({ regularization: 'L1', regularizationRate: 0.3, features: ['x1', 'x2', 'sinX1'] }, 5)) {
      const r = parseChildToHost(roundTrip(m));
      assert.ok(r.ok, `${m.type}: ${r.ok ? '' : r.reason}`);
    }
    for (const m of await goodHostToWebview()) {
      const r = parseHostToWebview(roundTrip(m));
      assert.ok(r.ok, `${m.type}: ${r.ok ? '' : r.reason}`);
    }
    for (const m of GOOD_WEBVIEW_TO_HOST) {
      const r = parseWebviewToHost(roundTrip(m));
      assert.ok(r.ok, `${m.type}: ${r.ok ? '' : r.reason}`);
    }
    const init = { type: 'init', config: resolveConfig(), engine: 'exact', speed: 60, frameMs: 16, density: 100, nodeDensity: 10 };
    assert.ok(parseHostToChild(init).ok);
    for (const m of [{ type: 'play' }, { type: 'ack', seq: 1 }, { type: 'update', changes: { noise: 10 }, restart: true, presetId: 'default' }])
      assert.ok(parseHostToChild(m).ok, m.type);
  });

  it('drops non-messages, unknown types, and messages meant for the other side', () => {
    for (const raw of [null, undefined, 7, 'play', [], {}, { type: 'Play' }, { kind: 'play' }, { type: 'eval', code: 'alert(1)' }, { type: '__proto__' }]) {
      rejected(parseWebviewToHost, raw);
      rejected(parseHostToWebview, raw);
      rejected(parseHostToChild, raw);
      rejected(parseChildToHost, raw);
    }
    // The webview may not drive the child directly, nor pose as the host.
    rejected(parseWebviewToHost, { type: 'ack', seq: 1 });
    rejected(parseWebviewToHost, { type: 'init', config: {} });
    rejected(parseWebviewToHost, { type: 'update', changes: {} });
    rejected(parseHostToWebview, { type: 'ready' });
    rejected(parseChildToHost, { type: 'snapshot' });
  });

  it("rejects settings outside TF Playground's ranges and unknown names", () => {
    const bad = [
      { learningRate: 100 },
      { learningRate: -1 },
      { hidden: [4, 4, 4, 4, 4, 4, 4] },
      { hidden: [9] },
      { hidden: [0] },
      { hidden: [2.5] },
      { batchSize: 31 },
      { noise: 60 },
      { trainShare: 95 },
      { features: ['x3'] },
      { dataset: 'moons' },
      { activation: 'gelu' },
      { regularization: 'L3' },
      { seed: '' },
      { seed: 'x'.repeat(65) },
      { learningRate: '0.1' },
    ];
    for (const changes of bad) rejected(parseWebviewToHost, { type: 'change', changes });
    rejected(parseWebviewToHost, { type: 'preset', id: '' });
    rejected(parseWebviewToHost, { type: 'preset', id: 'p'.repeat(101) });
    rejected(parseWebviewToHost, { type: 'step', epochs: 0 });
    rejected(parseWebviewToHost, { type: 'step', epochs: LIMITS.maxEpochsPerStep + 1 });
    rejected(parseWebviewToHost, { type: 'speed', speed: 0 });
    rejected(parseWebviewToHost, { type: 'speed', speed: 'fast' });
    rejected(parseWebviewToHost, { type: 'engine', engine: 'webgl' });
    rejected(parseWebviewToHost, { type: 'frameDone', seq: -1 });
    const init = { type: 'init', config: resolveConfig(), engine: 'exact', speed: 60, frameMs: 16, density: 100, nodeDensity: 10 };
    assert.ok(parseHostToChild(init).ok);
    rejected(parseHostToChild, { ...init, nodeDensity: 13 });
    rejected(parseHostToChild, { ...init, config: { ...init.config, hidden: [9] } });
  });

  it('rejects forged frames: heat maps of the wrong size or not base64, networks that do not fit their sizes, NaN', () => {
    const f = roundTrip(frame);
    assert.ok(parseHostToWebview(f).ok);
    const forged: unknown[] = [
      { ...f, heatmap: { density: f.heatmap.density + 1, data: f.heatmap.data } },
      { ...f, heatmap: { density: f.heatmap.density, data: f.heatmap.data.slice(4) } },
      { ...f, heatmap: { density: f.heatmap.density, data: '<img src=x onerror=alert(1)>' } },
      { ...f, heatmap: { density: 1000, data: '' } },
      { ...f, neurons: { ...f.neurons, count: f.neurons.count + 1 } },
      { ...f, network: { ...f.network, weights: f.network.weights.slice(1) } },
      { ...f, network: { ...f.network, biases: [...f.network.biases, 0] } },
      { ...f, network: { ...f.network, dead: [f.network.weights.length] } },
      { ...f, network: { ...f.network, sizes: [2, 4, 2, 2] } },
      { ...f, network: { ...f.network, sizes: [2, 0, 1] } },
      { ...f, losses: { epoch: [1, 2], train: [0.1], test: [0.1, 0.2] } },
      { ...f, losses: { epoch: [2, 1], train: [0.1, 0.1], test: [0.1, 0.2] } },
      // A structured clone keeps NaN (JSON would have turned it into null): not a number we draw.
      { ...f, trainLoss: NaN },
      { ...f, losses: { epoch: [1], train: [Infinity], test: [0] } },
      { ...f, epochsPerSecond: -1 },
      { ...f, generation: 'x' },
    ];
    for (const raw of forged) rejected(parseHostToWebview, raw);
  });

  it('says which message and field was wrong without echoing the payload', () => {
    const reason = rejected(parseWebviewToHost, { type: 'change', changes: { seed: '<script>'.repeat(20) } });
    assert.ok(reason.startsWith('"change"'), reason);
    assert.ok(reason.includes('changes.seed'), reason);
    assert.ok(!reason.includes('<script>'), reason);
  });

  it('reads back a saved view state, and nothing from another version', () => {
    const state = {
      version: 1,
      config: resolveConfig({ features: ['x1'], hidden: [], seed: '1' }),
      presetId: PRESET_IDS[0],
      engine: 'tfjs',
      speed: 'max',
      showTest: true,
    };
    assert.deepStrictEqual(parseViewState(roundTrip(state))?.config.features, ['x1']);
    assert.strictEqual(parseViewState({ ...state, version: 2 }), undefined);
    assert.strictEqual(parseViewState(undefined), undefined);
    assert.strictEqual(parseViewState({ ...state, config: { ...state.config, hidden: [99] } }), undefined);
  });

  it('quantizes outputs to one byte each and counts base64 bytes', () => {
    const out = quantize([-2, -1, 0, 0.5, 1, 3, NaN], new Uint8Array(7));
    assert.deepStrictEqual([...out], [0, 0, 128, 191, 255, 255, 128]);
    for (const b of [0, 128, 255]) assert.ok(Math.abs(dequantize(b) - (b - 127.5) / 127.5) < 1e-12);
    for (const n of [0, 1, 2, 3, 10000]) assert.strictEqual(base64Bytes(Buffer.alloc(n).toString('base64')), n);
  });
});
