// The real playground page in headless Chromium, fed the messages the host sends (recorded from the
// trainer's worker). Needs the bundle: run `node esbuild.js` first.
import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { presetConfig, PRESETS } from '../../src/core/playground/presets';
import { resolveConfig } from '../../src/core/playground/config';
import { parseWebviewToHost, type ChildFrameMessage } from '../../src/core/playground/protocol';
import { CHROMIUM, chromiumAvailable, DARK_THEME, launch, LIGHT_THEME } from './dashboardPage';
import {
  afterRender,
  cspViolations,
  openPlaygroundPage,
  playgroundBuilt,
  PlaygroundServer,
  posted,
  probe,
  record,
  send,
  uniformFrame,
  type OpenOptions,
  type PageLog,
  type Posted,
  type Recorded,
} from './playgroundPage';

/** The hex colour as the canvas stores it. */
function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function near(a: readonly number[], b: readonly number[], tol = 3): boolean {
  return a.every((v, i) => Math.abs(v - b[i]!) <= tol);
}

describe('playground page in a real browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  const server = new PlaygroundServer();
  let rec: Recorded;

  before(async function () {
    if (!chromiumAvailable()) {
      if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's "chromium" package.`);
      this.skip();
    }
    if (!playgroundBuilt()) throw new Error('dist/media/playground.js is missing: run `node esbuild.js` before the browser tests.');
    rec = await record({}, 5);
    await server.start();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server.stop();
  });

  async function open(options: OpenOptions = {}): Promise<{ page: Page; log: PageLog }> {
    return openPlaygroundPage(browser!, server, { theme: DARK_THEME, ...options });
  }

  /** Messages posted since `from`, each checked against the shared schema as the host checks it. */
  async function postedSince(page: Page, from: number): Promise<Posted[]> {
    const all = (await posted(page)).slice(from);
    for (const m of all) assert.ok(parseWebviewToHost(m).ok, `the page posted an invalid ${m.type}`);
    return all.filter((m) => m.type !== 'frameDone');
  }

  it("loads under its CSP without violations or errors, says ready first, and shows TF Playground's controls", async () => {
    const { page, log } = await open();
    await send(page, [rec.snapshot]);
    assert.deepStrictEqual(await cspViolations(page), []);
    assert.deepStrictEqual(log.errors, []);
    assert.deepStrictEqual((await posted(page))[0], { type: 'ready' });
    assert.strictEqual(await page.locator('input[name="dataset"]').count(), 4);
    assert.strictEqual(await page.locator('.features input[type="checkbox"]').count(), 7);
    for (const id of ['play', 'step', 'reset', 'export', 'new-seed', 'layers-add', 'layers-remove'])
      assert.strictEqual(await page.locator(`button#${id}`).count(), 1, id);
    for (const id of ['learning-rate', 'activation', 'regularization', 'regularization-rate', 'problem', 'preset', 'engine', 'speed'])
      assert.strictEqual(await page.locator(`select#${id}`).count(), 1, id);
    for (const id of ['noise', 'train-share', 'batch']) assert.strictEqual(await page.locator(`input#${id}[type="range"]`).count(), 1, id);
    assert.strictEqual(await page.locator('#preset option').count(), PRESETS.length + 1);
    assert.strictEqual(await page.inputValue('#learning-rate'), '0.03');
    assert.strictEqual(await page.inputValue('#activation'), 'tanh');
    assert.ok(await page.isChecked('#feature-x1'));
    assert.ok(!(await page.isChecked('#feature-x1Squared')));
    assert.strictEqual(await page.locator('.layer-row').count(), 2);
    // Every control has a label the screen reader announces.
    const unlabeled = await page.evaluate(
      `[...document.querySelectorAll('input, select')].filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.id)`,
    );
    assert.deepStrictEqual(unlabeled, []);
    await page.close();
  });

  it('draws the data points, the heat map, the network and the loss curve from fed messages, and acks each frame once drawn', async () => {
    const { page } = await open();
    await send(page, [rec.snapshot]);
    let heat = await probe(page, (p) => p.heatmap());
    assert.strictEqual(heat.trainPoints, 250);
    assert.strictEqual(heat.testPoints, 0, 'test points are hidden by default, as in TF Playground');
    assert.strictEqual(heat.density, 100);
    for (const f of rec.frames) assert.ok((await send(page, [f])) >= 0, `frame ${f.epoch} drawn`);
    const acks = (await posted(page)).filter((m) => m.type === 'frameDone').map((m) => m.seq);
    assert.deepStrictEqual(
      acks,
      rec.frames.map((f) => f.seq),
    );
    heat = await probe(page, (p) => p.heatmap());
    assert.ok(heat.drawn >= rec.frames.length);
    const last = rec.frames[rec.frames.length - 1]!;
    const readouts = await probe(page, (p) => p.readouts());
    assert.strictEqual(readouts.test, last.testLoss!.toFixed(3));
    assert.strictEqual(readouts.train, last.trainLoss!.toFixed(3));
    assert.strictEqual(readouts.epoch, '000,005');
    assert.strictEqual((await probe(page, (p) => p.chart())).points, 6, 'epochs 0 to 5');
    const net = await probe(page, (p) => p.network());
    assert.deepStrictEqual(net.sizes, [2, 4, 2, 1]);
    assert.strictEqual(net.links, 2 * 4 + 4 * 2 + 2);
    assert.strictEqual(net.linksDrawn, net.links);
    // Uniform outputs read back as the theme's colours: +1 blue, −1 orange.
    await send(page, [uniformFrame(last, 255, 100)]);
    assert.ok(near(await probe(page, (p) => p.colorAt(1, 1)), rgbOf(DARK_THEME.vars['--vscode-charts-blue']!)));
    await send(page, [uniformFrame(last, 0, 101)]);
    assert.ok(near(await probe(page, (p) => p.colorAt(-3, 2)), rgbOf(DARK_THEME.vars['--vscode-charts-orange']!)));
    await page.click('#show-test');
    await afterRender(page, async () => undefined);
    assert.strictEqual((await probe(page, (p) => p.heatmap())).testPoints, 250);
    await page.close();
  });

  it('draws no link that L1 killed, and names the inputs that dropped out', async () => {
    const l1 = await record(presetConfig('l1-sparsity'), 1, { density: 28, presetId: 'l1-sparsity' });
    const { page } = await open();
    await send(page, [l1.snapshot]);
    const f = l1.frames[0]!;
    // Every link leaving sin(X₁) (input 5) and three more, as L1 leaves them after a few hundred epochs.
    const fromSinX1 = Array.from({ length: 6 }, (_, j) => j * 7 + 5);
    const dead = [...fromSinX1, 0, 1, 60].sort((a, b) => a - b);
    const weights = f.network.weights.map((w, i) => (dead.includes(i) ? 0 : w));
    await send(page, [{ ...f, network: { ...f.network, weights, dead } }]);
    const net = await probe(page, (p) => p.network());
    assert.strictEqual(net.links, 7 * 6 + 6 * 6 + 6);
    assert.strictEqual(net.linksDrawn, net.links - dead.length);
    assert.deepStrictEqual(net.droppedInputs, ['sin(X₁)']);
    assert.match((await page.textContent('.network-wrap .caption')) ?? '', /L1 removed 9 and dropped sin\(X₁\)/);
    assert.match((await page.textContent('#preset-note')) ?? '', /L1 drives useless features to zero/);
    await page.close();
  });

  it('rejects a forged message, and acks but does not draw a frame of a replaced network', async () => {
    const { page, log } = await open();
    await send(page, [rec.snapshot]);
    const f = rec.frames[0]!;
    const before = await probe(page, (p) => ({ drawn: p.heatmap().drawn, epoch: p.readouts().epoch }));
    await send(
      page,
      [
        { ...f, heatmap: { density: 100, data: '<script>alert(1)</script>' } },
        { type: 'eval', code: 'alert(1)' },
        { ...f, network: { ...f.network, dead: [999] } },
      ],
      300,
    );
    const stats = await probe(page, (p) => p.stats);
    assert.strictEqual(stats.rejected, 3);
    assert.ok(log.console.some((c) => c.type === 'warning' && c.text.includes('dropped a malformed message')));
    assert.deepStrictEqual(await probe(page, (p) => ({ drawn: p.heatmap().drawn, epoch: p.readouts().epoch })), before);
    assert.ok(!(await posted(page)).some((m) => m.type === 'frameDone'), 'nothing acked for a message that was dropped');
    await send(page, [{ ...f, generation: f.generation + 7, seq: 41 }], 300);
    assert.deepStrictEqual(
      (await posted(page)).filter((m) => m.type === 'frameDone'),
      [{ type: 'frameDone', seq: 41 }],
    );
    assert.strictEqual((await probe(page, (p) => p.stats)).staleFrames, 1);
    assert.deepStrictEqual(await probe(page, (p) => ({ drawn: p.heatmap().drawn, epoch: p.readouts().epoch })), before);
    await page.close();
  });

  it('posts the right messages when the learner plays, changes knobs, picks a preset, switches engine and exports', async () => {
    const { page } = await open();
    await send(page, [rec.snapshot]);
    const from = (await posted(page)).length;
    await page.click('#play');
    await page.selectOption('#learning-rate', '0.1');
    await page.check('#feature-x1Squared');
    await page.click('#layers-add');
    await page.click('#neurons-add-0');
    await page.selectOption('#activation', 'relu');
    await page.selectOption('#regularization', 'L1');
    await page.check('#dataset-spiral');
    await page.selectOption('#problem', 'regression');
    await page.fill('#seed', '0.77777');
    await page.press('#seed', 'Enter');
    await page.focus('#noise');
    await page.keyboard.press('ArrowRight');
    await page.selectOption('#preset', 'l1-sparsity');
    await page.selectOption('#engine', 'tfjs');
    await page.selectOption('#speed', 'max');
    await page.click('#step');
    await page.click('#reset');
    await page.click('#export');
    assert.deepStrictEqual(await postedSince(page, from), [
      { type: 'play' },
      { type: 'change', changes: { learningRate: 0.1 } },
      { type: 'change', changes: { features: ['x1', 'x2', 'x1Squared'] } },
      { type: 'change', changes: { hidden: [4, 2, 2] } },
      { type: 'change', changes: { hidden: [5, 2] } },
      { type: 'change', changes: { activation: 'relu' } },
      { type: 'change', changes: { regularization: 'L1' } },
      { type: 'change', changes: { dataset: 'spiral' } },
      { type: 'change', changes: { dataset: 'reg-plane' } },
      { type: 'change', changes: { seed: '0.77777' } },
      { type: 'change', changes: { noise: 5 } },
      { type: 'preset', id: 'l1-sparsity' },
      { type: 'engine', engine: 'tfjs' },
      { type: 'speed', speed: 'max' },
      { type: 'step' },
      { type: 'reset' },
      { type: 'export' },
    ]);
    await page.close();
  });

  it('works from the keyboard: play with Space, layers with Enter, focus kept on rebuilt rows', async () => {
    const { page } = await open();
    await send(page, [rec.snapshot]);
    const from = (await posted(page)).length;
    await page.focus('#play');
    await page.keyboard.press('Space');
    await page.focus('#neurons-add-1');
    await page.keyboard.press('Enter');
    // The host answers with the new settings; the rows are rebuilt and the focus stays put.
    await send(page, [{ ...rec.state, effect: 'reset', generation: rec.state.generation + 1, points: undefined, config: resolveConfig({ hidden: [4, 3] }) }]);
    assert.strictEqual(await page.evaluate('document.activeElement?.id'), 'neurons-add-1');
    assert.strictEqual(await page.textContent('#neurons-1'), '3');
    assert.deepStrictEqual(await postedSince(page, from), [{ type: 'play' }, { type: 'change', changes: { hidden: [4, 3] } }]);
    await page.close();
  });

  it("sets every control from the host's state (a refused change springs back) and saves it for a reload", async () => {
    const { page } = await open();
    await send(page, [rec.snapshot]);
    await page.selectOption('#learning-rate', '3');
    const config = resolveConfig({ learningRate: 0.3, regularization: 'L2', regularizationRate: 0.1, features: ['x1', 'sinX2'], dataset: 'xor' });
    await send(page, [{ ...rec.state, effect: 'live', points: undefined, config, playing: true, presetId: null }]);
    assert.strictEqual(await page.inputValue('#learning-rate'), '0.3');
    assert.strictEqual(await page.inputValue('#regularization'), 'L2');
    assert.strictEqual(await page.inputValue('#regularization-rate'), '0.1');
    assert.ok(await page.isChecked('#dataset-xor'));
    assert.ok(await page.isChecked('#feature-sinX2'));
    assert.strictEqual(await page.textContent('#play'), 'Pause');
    assert.strictEqual(await page.getAttribute('#play', 'aria-pressed'), 'true');
    const states = await page.evaluate(() => (globalThis as unknown as { __states: { config: unknown }[] }).__states);
    assert.deepStrictEqual(states[states.length - 1]!.config, config);
    await page.close();
    // Reopened with that state (as after a window reload), the controls show it before the host answers.
    const again = await open({ state: states[states.length - 1] });
    assert.strictEqual(await again.page.inputValue('#learning-rate'), '0.3');
    assert.ok(await again.page.isChecked('#feature-sinX2'));
    await again.page.close();
  });

  it('follows the theme and resizes without overflowing', async () => {
    const { page } = await open({ theme: LIGHT_THEME, width: 1280 });
    await send(page, [rec.snapshot]);
    await send(page, [uniformFrame(rec.frames[0]!, 255, 5)]);
    assert.ok(near(await probe(page, (p) => p.colorAt(0, 0)), [1, 2, 3]), "the light theme's blue");
    const wide = await probe(page, (p) => p.heatmap().size);
    await page.setViewportSize({ width: 480, height: 900 });
    await page.waitForFunction(
      (w) => (globalThis as unknown as { mlLabsPlayground: { heatmap(): { size: number } } }).mlLabsPlayground.heatmap().size !== w,
      wide,
    );
    const narrow = await probe(page, (p) => p.heatmap().size);
    assert.ok(narrow < wide || narrow <= 440, `${wide} → ${narrow}`);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await page.close();
  });

  it('shows which engine trains and why, and how closely TensorFlow.js agrees', async () => {
    const { page } = await open();
    await send(page, [rec.snapshot]);
    assert.match(await probe(page, (p) => p.engineText()), /exact trainer \(float64 JavaScript\)[\s\S]*TF Playground's arithmetic/);
    const f: ChildFrameMessage = { ...rec.frames[0]!, seq: 9, agreement: 3.2e-8 };
    await send(page, [
      { type: 'engine', info: { engine: 'tfjs', backend: 'cpu', reason: 'TensorFlow.js 4.22.0 on its cpu backend …', versions: { tfjs: '4.22.0' } } },
      f,
    ]);
    const text = await probe(page, (p) => p.engineText());
    assert.match(text, /TensorFlow\.js 4\.22\.0 \(cpu backend\)/);
    assert.match(text, /3\.2e-8/);
    await send(page, [{ type: 'notice', level: 'error', text: 'The trainer stopped (exit code 1).' }]);
    assert.strictEqual(await probe(page, (p) => p.notice()), 'The trainer stopped (exit code 1).');
    await page.close();
  });
});
