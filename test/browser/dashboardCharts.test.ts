// The dashboard's charts in headless Chromium: long runs, extra metrics, side-by-side models, the
// keyboard, the theme, axes and which run is starred. Needs the bundle: run `node esbuild.js` first.
import * as assert from 'assert';
import { parseWebviewToHost } from '../../src/core/dashboard/protocol';
import { afterRender, LIGHT_THEME, posted, probe, send, type PageGlobals, useDashboardBrowser } from './dashboardPage';
import { snapshot, snapshotRun, threeRuns } from './dashboardRuns';

describe('dashboard charts in a real browser', function () {
  this.timeout(60_000);
  const { open } = useDashboardBrowser();

  it('draws long runs decimated to min/max per bucket, keeping spikes, and in full when zoomed in', async () => {
    const { page } = await open({ state: { version: 1, smoothing: 0, logScale: false, hidden: [] } });
    const long = snapshotRun({ id: 'long', learningRate: 0.01, epochs: 4000, speed: 300, seed: 5, rmse: false });
    long.epochs.metrics['val_loss']![2000] = 1000;
    const other = snapshotRun({ id: 'other', learningRate: 0.02, epochs: 3000, speed: 200, seed: 6, rmse: false });
    await send(page, [snapshot([long, other], ['loss'])]);
    const before = (await probe(page, (p) => p.charts()))[0]!;
    assert.deepStrictEqual(before.points, [4000, 4000, 3000, 3000], 'every epoch is in the chart');
    assert.ok(
      before.drawn.every((n) => n < 1200),
      `fewer points handed to uPlot: ${before.drawn.join(', ')}`,
    );
    assert.strictEqual(before.yMax !== undefined && before.yMax >= 1000, true, `the spike survives decimation (y max ${before.yMax})`);

    // Drag across a tenth of the plot to zoom in, as a learner would.
    const over = page.locator('figure[data-chart="loss"] .u-over');
    const box = (await over.boundingBox())!;
    await afterRender(page, async () => {
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.charts()[0]!.drawn[0]! > 3000);
    const zoomed = (await probe(page, (p) => p.charts()))[0]!;
    assert.strictEqual(zoomed.zoomed, true);
    assert.ok(zoomed.drawn[0]! >= 3000, `zoomed in, every epoch in view is drawn (${zoomed.drawn[0]})`);

    // New epochs keep the zoom.
    await send(page, [{ type: 'epochs', runId: 'other', epochs: { epoch: [3001], elapsedMs: [1], metrics: { loss: [0.5], val_loss: [0.6] } } }]);
    assert.strictEqual((await probe(page, (p) => p.charts()))[0]!.zoomed, true);

    await over.dblclick();
    await page.waitForFunction(() => !(globalThis as unknown as PageGlobals).mlLabsDashboard.charts()[0]!.zoomed);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.charts()[0]!.drawn[0]! < 1200);
    await page.close();
  });

  it('adds accuracy curves and a confusion matrix when the lab asks for them', async () => {
    const { page } = await open();
    const run = snapshotRun(
      { id: 'cls', learningRate: 0.01, epochs: 20, accuracy: true, rmse: false },
      {
        confusion: {
          labels: ['cat', 'dog', 'fox'],
          matrix: [
            [40, 5, 1],
            [3, 44, 2],
            [0, 6, 30],
          ],
        },
      },
    );
    await send(page, [snapshot([run], ['loss', 'accuracy', 'confusion'])]);
    const charts = await probe(page, (p) => p.charts());
    assert.deepStrictEqual(
      charts.map((c) => c.kind),
      ['loss', 'accuracy'],
    );
    assert.deepStrictEqual(charts[1]!.points, [20, 20]);
    assert.strictEqual(await page.locator('table.confusion tbody td').count(), 9);
    assert.strictEqual(await page.textContent('table.confusion tbody tr:nth-child(2) td.diagonal'), '44');
    await page.close();
  });

  it("draws each model of a side-by-side run as its own curve, RMSE in the label's own units", async () => {
    const { page } = await open();
    const base = snapshotRun({ id: 'sweep', learningRate: 0.01, epochs: 10 });
    const metrics: Record<string, (number | null)[]> = { ...base.epochs.metrics };
    for (const [model, scale] of [
      ['tooHigh', 3],
      ['good', 1],
      ['tooLow', 2],
    ] as const) {
      for (const name of ['loss', 'val_loss', 'val_rmse']) metrics[`${name}@${model}`] = base.epochs.metrics[name]!.map((v) => (v === null ? null : v * scale));
    }
    const run = { ...base, epochs: { ...base.epochs, metrics } };
    const lab = { id: 'sines', title: 'Sines', folder: '/labs/sines' };
    await send(page, [{ ...snapshot([run]), lab }]);
    const charts = await probe(page, (p) => p.charts());
    const loss = charts.find((c) => c.kind === 'loss')!;
    const rmse = charts.find((c) => c.kind === 'rmse')!;
    assert.strictEqual(loss.series.length, 6, loss.series.join(' | '));
    assert.deepStrictEqual(
      rmse.series.map((s) => s.replace(/^.* · (\w+) · val$/, '$1')),
      ['tooHigh', 'good', 'tooLow'],
    );
    await page.focus('figure[data-chart="rmse"] .plot');
    await page.keyboard.press('Home');
    const readout = (await page.textContent('.sr-only')) ?? '';
    assert.match(readout, /^RMSE, epoch 1\./);
    assert.doesNotMatch(readout, /\$/, 'a label that is not a price reads without dollars');
    await page.close();
  });

  it('reads out values from the keyboard and resizes with the panel', async () => {
    const { page } = await open();
    await send(page, [threeRuns()]);
    await page.focus('figure[data-chart="loss"] .plot');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    assert.match((await page.textContent('.sr-only')) ?? '', /^Loss, epoch 2\. lr 0\.001/);
    const wide = (await probe(page, (p) => p.charts()))[0]!.width;
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForFunction((w) => (globalThis as unknown as PageGlobals).mlLabsDashboard.charts()[0]!.width < w - 100, wide);
    const narrow = (await probe(page, (p) => p.charts()))[0]!;
    assert.ok(narrow.width <= 700, `${narrow.width}`);
    await page.close();
  });

  it('takes its colours from the VS Code theme', async () => {
    const { page } = await open({ theme: LIGHT_THEME });
    await send(page, [threeRuns()]);
    const swatch = await page.$eval(
      '.run[data-run-id="slow"] .swatch',
      (el) => (el as unknown as { style: { backgroundColor: string } }).style.backgroundColor,
    );
    assert.strictEqual(swatch, 'rgb(1, 2, 3)');
    await page.close();
  });

  it('keeps the runs it compares readable when a starter run sits at 5e10: left out of the range and said so', async () => {
    const { page } = await open({ state: { version: 1, smoothing: 0, logScale: false, hidden: [] } });
    const starter = snapshotRun({ id: 'starter', learningRate: 0.001, epochs: 5, seed: 9, createdAt: '2026-01-01T09:00:00.000Z' });
    // The starter's label is not scaled: its loss is the squared price, around 5e10.
    starter.epochs.metrics['loss'] = starter.epochs.metrics['loss']!.map((v) => (v === null ? null : v * 7e9));
    starter.epochs.metrics['val_loss'] = starter.epochs.metrics['val_loss']!.map((v) => (v === null ? null : v * 7e9));
    const scaled = [
      snapshotRun({ id: 'scaled', learningRate: 0.01, epochs: 20, seed: 1, createdAt: '2026-01-01T10:00:00.000Z' }),
      snapshotRun({ id: 'tuned', learningRate: 0.05, epochs: 20, seed: 2, speed: 3, createdAt: '2026-01-01T10:01:00.000Z' }),
    ];
    await send(page, [snapshot([starter, ...scaled])]);
    const loss = (await probe(page, (p) => p.charts()))[0]!;
    assert.ok(loss.yMax! < 10, `the later runs fill the chart (y max ${loss.yMax})`);
    assert.deepStrictEqual(loss.offScale, [`${starter.label} · train`, `${starter.label} · val`]);
    const note = page.locator('figure[data-chart="loss"] .off-scale');
    assert.match((await note.textContent()) ?? '', /^Above this chart: lr 0\.001 · batch 32 · epochs 5 \(around \d(\.\d+)?e10\)\..*turn on Log scale/);
    // On a log axis every run fits, with one grid line per decade or so, not a grey band.
    await afterRender(page, () => page.locator('#log-scale').check());
    const log = (await probe(page, (p) => p.charts()))[0]!;
    assert.strictEqual(log.yDistr, 3);
    assert.deepStrictEqual(log.offScale, []);
    assert.ok(log.yMin! <= 0.7 && log.yMax! >= 5e10, `every run in range: ${log.yMin} – ${log.yMax}`);
    assert.ok(log.yTicks.length >= 3 && log.yTicks.length <= 8, `a few decade ticks: ${log.yTicks.join(' ')}`);
    assert.ok(
      log.yTicks.every((t) => /^1(e-?\d+|0*)$|^0\.0*1$/.test(t)),
      `whole decades: ${log.yTicks.join(' ')}`,
    );
    assert.ok(await note.isHidden());
  });

  it('labels a narrow first RMSE axis with ticks that differ ($234.1k, not $234k three times)', async () => {
    const { page } = await open({ state: { version: 1, smoothing: 0, logScale: false, hidden: [] } });
    const first = snapshotRun({ id: 'first', learningRate: 0.01, epochs: 25, stopAt: 2, seed: 4 }, { status: 'running', marker: undefined });
    first.epochs.metrics['val_rmse'] = [234_400, 234_100];
    await send(page, [snapshot([first])]);
    const rmse = (await probe(page, (p) => p.charts())).find((c) => c.kind === 'rmse')!;
    const ticks = rmse.yTicks.filter(Boolean);
    assert.ok(ticks.length >= 2, ticks.join(' '));
    assert.strictEqual(new Set(ticks).size, ticks.length, `no tick label twice: ${ticks.join(' ')}`);
    assert.ok(
      ticks.every((t) => /^\$234(\.\d+)?k$/.test(t)),
      ticks.join(' '),
    );
  });

  it('never stars a run that is running, interrupted or cancelled as the best', async () => {
    const { page } = await open();
    await send(page, [
      snapshot([
        snapshotRun({ id: 'done', learningRate: 0.01, epochs: 20, floor: 0.9, seed: 1, createdAt: '2026-01-01T10:00:00.000Z' }),
        snapshotRun(
          { id: 'live', learningRate: 0.05, epochs: 40, stopAt: 10, floor: 0.2, seed: 2, createdAt: '2026-01-01T10:01:00.000Z' },
          { status: 'running', marker: undefined },
        ),
        snapshotRun(
          { id: 'killed', learningRate: 0.05, epochs: 40, stopAt: 15, floor: 0.1, seed: 3, createdAt: '2026-01-01T10:02:00.000Z' },
          {
            status: 'interrupted',
            marker: { kind: 'interrupted', epoch: 15, message: 'the run was interrupted' },
          },
        ),
      ]),
    ]);
    const runs = await probe(page, (p) => p.runs());
    assert.deepStrictEqual(
      runs.filter((r) => r.best).map((r) => r.id),
      ['done'],
    );
    assert.strictEqual(await page.locator('li.run[data-run-id="live"] .best').isHidden(), true);
  });

  it('tells runs that differ only in code apart: the code change and seed in the list, the lines and links in the details', async () => {
    const { page } = await open();
    const code = (summary: string, changed: boolean, diff: string[] = [], previous?: string) => ({
      summary,
      changed,
      diff,
      files: ['model.ts'],
      ...(previous ? { previous } : {}),
    });
    await send(page, [
      snapshot([
        snapshotRun(
          { id: 'a', learningRate: 0.01, batchSize: 100, epochs: 25, seed: 1 },
          { label: '#1 lr 0.01 · batch 100 · epochs 25', number: 1, seed: 4821, code: code('first run', false) },
        ),
        snapshotRun(
          { id: 'b', learningRate: 0.01, batchSize: 100, epochs: 25, seed: 2 },
          {
            label: '#2 lr 0.01 · batch 100 · epochs 25',
            number: 2,
            seed: 977,
            code: code('labelScale 1 → 100_000', true, ['@@ model.ts:14', '- export const labelScale = 1;', '+ export const labelScale = 100_000;'], 'a'),
          },
        ),
      ]),
    ]);
    const runs = await probe(page, (p) => p.runs());
    assert.deepStrictEqual(
      runs.map((r) => [r.label, r.code]),
      [
        ['#1 lr 0.01 · batch 100 · epochs 25', 'first run · seed 4821'],
        ['#2 lr 0.01 · batch 100 · epochs 25', 'code: labelScale 1 → 100_000 · seed 977'],
      ],
    );
    assert.strictEqual(await page.locator('li.run[data-run-id="b"] .run-code').textContent(), 'code: labelScale 1 → 100_000 · seed 977');
    await afterRender(page, () => page.locator('li.run[data-run-id="b"] button.details').click());
    const details = page.locator('section.details');
    assert.match((await details.locator('.code-summary').textContent()) ?? '', /Code changed since the run before: labelScale 1 → 100_000/);
    assert.strictEqual(await details.locator('.code-diff .del').textContent(), '- export const labelScale = 1;\n');
    assert.strictEqual(await details.locator('.code-diff .add').textContent(), '+ export const labelScale = 100_000;\n');
    assert.match((await details.locator('.facts').textContent()) ?? '', /seed977/);
    await details.locator('button.compare-code').click();
    await details.locator('button.open-code').click();
    const sent = (await posted(page)).filter((m) => m.type === 'openRunCode');
    assert.deepStrictEqual(sent, [
      { type: 'openRunCode', runId: 'b', compare: true },
      { type: 'openRunCode', runId: 'b', compare: false },
    ]);
    for (const m of sent) assert.ok(parseWebviewToHost(m).ok);
  });
});
