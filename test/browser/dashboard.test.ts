// The real dashboard page in headless Chromium, fed the messages the extension host sends.
// Needs the bundle: run `node esbuild.js` first.
import * as assert from 'assert';
import { parseWebviewToHost, type HostToWebview } from '../../src/core/dashboard/protocol';
import { smoothSeries } from '../../src/core/dashboard/smoothing';
import { afterRender, cspViolations, posted, probe, send, type PageGlobals, useDashboardBrowser } from './dashboardPage';
import { curve, snapshot, snapshotRun, threeRuns } from './dashboardRuns';

describe('dashboard in a real browser', function () {
  this.timeout(60_000);
  const { open } = useDashboardBrowser();

  it('loads under its CSP without violations or errors and says ready first', async () => {
    const { page, log } = await open();
    await send(page, [snapshot([])]);
    assert.deepStrictEqual(await cspViolations(page), []);
    assert.deepStrictEqual(log.errors, []);
    assert.deepStrictEqual((await posted(page))[0], { type: 'ready' });
    assert.match((await page.textContent('.empty.big')) ?? '', /No runs yet/);
    await page.close();
  });

  it('draws every run over the same epochs: train and validation loss, and validation RMSE', async () => {
    const { page } = await open();
    await send(page, [threeRuns()]);
    const charts = await probe(page, (p) => p.charts());
    const loss = charts.find((c) => c.kind === 'loss')!;
    const rmse = charts.find((c) => c.kind === 'rmse')!;
    assert.strictEqual(loss.series.length, 6);
    assert.strictEqual(rmse.series.length, 3);
    assert.deepStrictEqual(
      loss.x,
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    // 30 + 30 epochs for the two runs that finished; the diverged one has 3 finite epochs.
    assert.deepStrictEqual(loss.points, [30, 30, 30, 30, 3, 3]);
    assert.ok(
      loss.series.some((s) => s.includes('lr 5 · batch 32 · epochs 30')),
      loss.series.join(' | '),
    );
    const runs = await probe(page, (p) => p.runs());
    assert.strictEqual(runs.find((r) => r.best)?.id, 'good');
    const best = loss.series.indexOf('lr 0.05 · batch 32 · epochs 30 · val');
    assert.ok(loss.lineWidths[best]! > loss.lineWidths[0]!, `the best run is drawn thicker: ${loss.lineWidths.join(', ')}`);
    assert.strictEqual(await page.locator('figure[data-chart="loss"] .u-legend .u-series.best-run').count(), 2, 'and starred in the legend');
    assert.strictEqual(await page.locator('.run').count(), 3);
    assert.match((await page.textContent('.run[data-run-id="blowup"] .status')) ?? '', /diverged at epoch 4/);
    await page.close();
  });

  it('batches a fast stream into few redraws and loses no epoch', async () => {
    const { page } = await open();
    await send(page, [snapshot([])]);
    const cols = curve({ id: 'live', learningRate: 0.05, epochs: 500, seed: 9 });
    const info = { ...snapshotRun({ id: 'live', learningRate: 0.05, epochs: 500 }), status: 'running' as const };
    const { epochs: _unused, ...runInfo } = info;
    void _unused;
    const before = await probe(page, (p) => p.stats.renders);
    const messages: HostToWebview[] = [{ type: 'run', run: runInfo }];
    for (let i = 0; i < cols.epoch.length; i++) {
      messages.push({
        type: 'epochs',
        runId: 'live',
        epochs: {
          epoch: [cols.epoch[i]!],
          elapsedMs: [cols.elapsedMs[i]!],
          metrics: Object.fromEntries(Object.entries(cols.metrics).map(([k, v]) => [k, [v[i]!]])),
        },
      });
    }
    await send(page, messages);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.runs()[0]?.epochs === 500);
    const renders = (await probe(page, (p) => p.stats.renders)) - before;
    const loss = (await probe(page, (p) => p.charts())).find((c) => c.kind === 'loss')!;
    assert.deepStrictEqual(loss.points, [500, 500]);
    assert.ok(renders < 50, `${renders} redraws for 501 messages`);
    // The same epochs again (a snapshot racing a batch) replace, never duplicate.
    await send(page, messages.slice(1, 11));
    assert.strictEqual((await probe(page, (p) => p.runs()))[0]!.epochs, 500);
    await page.close();
  });

  it('smooths with bias correction and draws a log scale when asked', async () => {
    const { page, log } = await open({ state: { version: 1, smoothing: 0, logScale: false, hidden: [] } });
    const snap = threeRuns();
    await send(page, [snap]);
    const raw = (await probe(page, (p) => p.charts()))[0]!;
    const slowLoss = (snap as Extract<HostToWebview, { type: 'snapshot' }>).runs[0]!.epochs.metrics['loss']!;
    assert.deepStrictEqual(raw.data[0], slowLoss, 'smoothing 0 draws the raw values');

    assert.ok((await afterRender(page, () => page.fill('#smoothing', '0.9'))) >= 0, 'the slider redraws');
    const smooth = (await probe(page, (p) => p.charts()))[0]!;
    assert.notDeepStrictEqual(smooth.data[0], raw.data[0]);
    assert.strictEqual(smooth.data[0]![0], slowLoss[0], 'debiased: the first point stays on the data');
    const expected = smoothSeries(slowLoss, 0.9);
    smooth.data[0]!.forEach((v, i) => assert.ok(Math.abs(v! - expected[i]!) < 1e-9, `epoch ${i + 1}`));
    assert.match((await page.textContent('#smoothing-value')) ?? '', /0\.90/);

    assert.strictEqual(smooth.yDistr, 1);
    assert.ok((await afterRender(page, () => page.check('#log-scale'))) >= 0);
    const logged = await probe(page, (p) => p.charts());
    assert.strictEqual(logged.find((c) => c.kind === 'loss')!.yDistr, 3, 'the loss is drawn on a log axis');
    assert.strictEqual(logged.find((c) => c.kind === 'rmse')!.yDistr, 3);
    const view = await probe(page, (p) => p.view());
    assert.strictEqual(view.logScale, true);
    assert.strictEqual(view.smoothing, 0.9);
    const states = await page.evaluate('window.__states');
    assert.deepStrictEqual((states as { logScale: boolean }[]).at(-1)?.logScale, true, 'the view is saved with setState');
    assert.deepStrictEqual(log.errors, []);
    await page.close();
  });

  it('restores smoothing, scale and hidden runs from the saved state', async () => {
    const { page } = await open({ state: { version: 1, folder: '/labs/hand-tuning', smoothing: 0.3, logScale: true, hidden: ['slow'] } });
    await send(page, [threeRuns()]);
    assert.strictEqual(await page.inputValue('#smoothing'), '0.3');
    assert.strictEqual(await page.isChecked('#log-scale'), true);
    const loss = (await probe(page, (p) => p.charts())).find((c) => c.kind === 'loss')!;
    assert.strictEqual(loss.series.length, 4);
    assert.strictEqual(loss.yDistr, 3);
    assert.strictEqual(await page.isChecked('.run[data-run-id="slow"] input[type=checkbox]'), false);
    await page.close();
  });

  it('drops forged and malformed messages: nothing drawn, a warning logged', async () => {
    const { page, log } = await open();
    await send(page, [threeRuns()]);
    const before = await probe(page, (p) => p.charts());
    const forged = [
      { type: 'epochs', runId: 'good', epochs: { epoch: [31, 32], elapsedMs: [1], metrics: { loss: [1, 2] } } },
      { type: 'epochs', runId: 'good', epochs: { epoch: [31], elapsedMs: [1], metrics: { loss: ['<img src=x onerror=alert(1)>'] } } },
      { type: 'run', run: { id: 'x', label: '<script>alert(1)</script>', hyperparameters: {}, status: 'pwned', createdAt: '' } },
      { type: 'exec', code: 'document.body.remove()' },
      { type: 'snapshot', lab: null, charts: [], runs: [], warnings: [] },
      'snapshot',
      null,
    ];
    const drawn = await send(page, forged, 500);
    assert.strictEqual(drawn, -1, 'no redraw');
    assert.strictEqual(await probe(page, (p) => p.stats.rejected), forged.length);
    assert.deepStrictEqual(await probe(page, (p) => p.charts()), before);
    assert.strictEqual(await page.locator('.run').count(), 3);
    const warnings = log.console.filter((m) => m.type === 'warning' && m.text.includes('dropped a malformed message'));
    assert.strictEqual(warnings.length, forged.length);
    assert.ok(warnings[0]!.text.includes('"epochs"'), warnings[0]!.text);
    assert.deepStrictEqual(await cspViolations(page), []);
    await page.close();
  });

  it('toggles runs and posts what the learner did', async () => {
    const { page } = await open();
    await send(page, [threeRuns()]);
    await afterRender(page, () => page.uncheck('.run[data-run-id="blowup"] input[type=checkbox]'));
    const loss = (await probe(page, (p) => p.charts())).find((c) => c.kind === 'loss')!;
    assert.strictEqual(loss.series.length, 4);
    await page.click('.run[data-run-id="slow"] button.details');
    const msgs = await posted(page);
    assert.deepStrictEqual(msgs.slice(1), [
      { type: 'toggleRun', runId: 'blowup', visible: false },
      { type: 'selectRun', runId: 'slow' },
    ]);
    await page.close();
  });

  it('exports a PNG of a chart and asks for the CSV of the runs shown, with valid messages', async () => {
    const { page } = await open();
    await send(page, [threeRuns()]);
    await afterRender(page, () => page.uncheck('.run[data-run-id="slow"] input[type=checkbox]'));
    await page.click('figure[data-chart="loss"] button:has-text("Save PNG")');
    await page.click('button:has-text("Export CSV")');
    const msgs = (await posted(page)).filter((m) => m.type === 'savePng' || m.type === 'exportCsv');
    assert.deepStrictEqual(
      msgs.map((m) => m.type),
      ['savePng', 'exportCsv'],
    );
    for (const m of msgs) assert.ok(parseWebviewToHost(m).ok, `${m.type} passes the host's validation`);
    const png = msgs[0] as unknown as { chart: string; dataUrl: string };
    assert.strictEqual(png.chart, 'loss');
    const bytes = Buffer.from(png.dataUrl.slice('data:image/png;base64,'.length), 'base64');
    assert.deepStrictEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(bytes.length > 5000, `a real picture (${bytes.length} bytes)`);
    assert.deepStrictEqual(msgs[1], { type: 'exportCsv', runIds: ['good', 'blowup'] });
    await page.close();
  });

  it('shows the selected run’s grade with its hints and opens the location of a failed check', async () => {
    const { page } = await open();
    await send(page, [threeRuns()]);
    await afterRender(page, () => page.click('.run[data-run-id="good"] button.details'));
    const details = (await page.textContent('section.details')) ?? '';
    assert.match(details, /Not passed yet — 5 of 6 checks passed/);
    assert.match(details, /Hint: Add median_income/);
    await page.click('section.details button.location');
    const location = (await posted(page)).find((m) => m.type === 'openLocation');
    assert.deepStrictEqual(location, { type: 'openLocation', file: 'model.ts', line: 9, column: 10, endLine: 9, endColumn: 24 });
    await afterRender(page, () => page.click('.run[data-run-id="blowup"] button.details'));
    assert.match((await page.textContent('section.details .stop')) ?? '', /diverged at epoch 4/);
    await page.close();
  });
});
