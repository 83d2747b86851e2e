// Real messages for the playground panel's tests: produced by the worker the child process runs,
// in this process, so the fixtures are exactly what travels.
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig, type PlaygroundConfig } from '../../../src/core/playground/config';
import type { ChildFrameMessage, ChildStateMessage, ChildToHost, HostToWebview, WebviewToHost } from '../../../src/core/playground/protocol';
import { PlaygroundWorker } from '../../../src/child/playground/trainer';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const CHILD_SCRIPT = path.join(REPO_ROOT, 'dist', 'playground.js');

export function childBuilt(): void {
  if (!fs.existsSync(CHILD_SCRIPT)) throw new Error('dist/playground.js is missing: run `node esbuild.js` before these tests.');
}

/** The messages a worker sends for `config` (init, then `epochs` steps, then a frame). */
export async function workerMessages(config: Partial<PlaygroundConfig> = {}, epochs = 3): Promise<ChildToHost[]> {
  const sent: ChildToHost[] = [];
  const worker = new PlaygroundWorker({
    send: (m) => sent.push(JSON.parse(JSON.stringify(m)) as ChildToHost),
    loadTensorFlow: () => Promise.reject(new Error('not here')),
  });
  worker.handle({ type: 'init', config: resolveConfig(config), engine: 'exact', speed: 60, frameMs: 0, density: 21, nodeDensity: 5 });
  await new Promise((r) => setTimeout(r, 20));
  worker.handle({ type: 'step', epochs });
  const frames = () => sent.filter((m) => m.type === 'frame').length;
  const before = frames();
  worker.handle({ type: 'ack', seq: before });
  for (let i = 0; i < 50 && frames() === before; i++) await new Promise((r) => setTimeout(r, 10));
  worker.stop();
  return sent;
}

export async function sampleFrame(config: Partial<PlaygroundConfig> = {}): Promise<ChildFrameMessage> {
  const frames = (await workerMessages(config)).filter((m): m is ChildFrameMessage => m.type === 'frame');
  return frames[frames.length - 1]!;
}

export async function sampleState(config: Partial<PlaygroundConfig> = {}): Promise<ChildStateMessage> {
  return (await workerMessages(config)).find((m): m is ChildStateMessage => m.type === 'state' && m.effect === 'init')!;
}

export async function goodHostToWebview(): Promise<HostToWebview[]> {
  const frame = await sampleFrame();
  const state = await sampleState();
  const { type: _t, ...rest } = state;
  return [
    {
      type: 'snapshot',
      state: { ...rest, points: state.points! },
      history: { epoch: [0, 1], train: [0.5, null], test: [0.4, 0.3] },
      frame: { ...frame, seq: 0 },
      engineInfo: null,
    },
    state,
    frame,
    { type: 'engine', info: { engine: 'tfjs', backend: 'cpu', reason: 'why', versions: { tfjs: '4.22.0' } } },
    { type: 'notice', level: 'info', text: 'Exported.' },
  ];
}

export const GOOD_WEBVIEW_TO_HOST: WebviewToHost[] = [
  { type: 'ready' },
  { type: 'play' },
  { type: 'pause' },
  { type: 'step' },
  { type: 'step', epochs: 10 },
  { type: 'reset' },
  { type: 'change', changes: { learningRate: 0.1, features: ['x1', 'x1Squared'], hidden: [3, 3] } },
  { type: 'preset', id: 'l1-sparsity' },
  { type: 'engine', engine: 'tfjs' },
  { type: 'speed', speed: 'max' },
  { type: 'speed', speed: 600 },
  { type: 'export' },
  { type: 'frameDone', seq: 3 },
];
