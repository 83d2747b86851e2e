// The studies view of the real dashboard page in headless Chromium, driven by the real host over a
// study the real tuner ran into a lab folder. Needs the bundle: run `node esbuild.js` first.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { inspect } from 'util';
import { parseWebviewToHost } from '../../src/core/dashboard/protocol';
import { type StudyDetail } from '../../src/core/dashboard/records';
import { LocalTrialScheduler, runStudy, StudySpec, type StudyOutcome, type TrialResult } from '../../src/core/tuner';
import { labWithStudy, study as sampleStudy, STUDY_SPEC, tempLab } from '../unit/dashboard/fixtures';
import { afterRender, cspViolations, openDashboard, posted, probe, send, type PageGlobals, type PageLog, useDashboardBrowser } from './dashboardPage';
import { HostBridge } from './studiesPage';

describe('studies view in a real browser', function () {
  this.timeout(60_000);
  let lab: { dir: string; outcome: StudyOutcome };
  // Trial 4 pruned, 6 failed, 10 cut off by a cancel: every state a finished study can show.
  const browser = useDashboardBrowser(async () => {
    lab = await labWithStudy({ prune: [4], fail: [6], interruptAt: 10 });
  });

  async function open(dir: string, options: Parameters<typeof openDashboard>[2] = {}): Promise<{ page: Page; log: PageLog; host: HostBridge }> {
    const { page, log } = await browser.open(options);
    const host = new HostBridge(page, dir);
    await host.pump();
    return { page, log, host };
  }

  /** Opens the lab and switches to its study the way a learner does, with the selector. */
  async function openStudy(options: Parameters<typeof openDashboard>[2] = {}): Promise<{ page: Page; log: PageLog; host: HostBridge }> {
    const opened = await open(lab.dir, options);
    await opened.page.selectOption('#view-select', lab.outcome.studyId);
    await opened.host.pump();
    await opened.page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.study()?.loaded === true);
    return opened;
  }

  it('offers the study in the view selector and switches between the runs and the study', async () => {
    const { page, log, host } = await open(lab.dir);
    assert.strictEqual(await page.isVisible('#view-select'), true);
    const options = await page.$$eval('#view-select option', (os: { value: string; textContent: string | null }[]) =>
      os.map((o) => [o.value, o.textContent ?? '']),
    );
    assert.deepStrictEqual(
      options.map((o) => o[0]),
      ['', lab.outcome.studyId],
    );
    assert.match(options[1]![1], /^Study \S+ · 9\/10 trials · best /);
    await page.selectOption('#view-select', lab.outcome.studyId);
    await host.pump();
    assert.deepStrictEqual(
      (await posted(page)).filter((m) => m.type === 'selectStudy'),
      [{ type: 'selectStudy', studyId: lab.outcome.studyId }],
    );
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.study()?.loaded === true);
    assert.strictEqual(await page.isVisible('.layout'), false, 'the runs are hidden');
    assert.strictEqual(await page.isVisible('.toolbar'), false);
    assert.match((await page.textContent('.study-status')) ?? '', /stopped after 9 of 10 trials/);
    assert.strictEqual((await probe(page, (p) => p.view())).study, lab.outcome.studyId, 'kept in the saved view state');

    await page.selectOption('#view-select', '');
    await host.pump();
    // The runs come back at the next frame.
    await page.locator('.layout').waitFor({ state: 'visible', timeout: 5000 });
    assert.strictEqual(await probe(page, (p) => p.study()), undefined);
    assert.strictEqual(host.controller.shownStudyId, undefined);
    assert.deepStrictEqual(log.errors, []);
    assert.deepStrictEqual(await cspViolations(page), []);
    host.dispose();
    await page.close();
  });

  it('lists one row per trial with its state, values, objective and error; the best is starred', async () => {
    const { page, host } = await openStudy();
    const best = lab.outcome.best!.number;
    const study = await probe(page, (p) => p.study());
    assert.strictEqual(study?.rows, 10);
    assert.strictEqual(study?.bestTrial, best);
    assert.deepStrictEqual(
      await page.$$eval('table.trials tr.best', (rows: { getAttribute(name: string): string | null }[]) => rows.map((r) => r.getAttribute('data-trial'))),
      [String(best)],
    );
    assert.match((await page.textContent('table.trials tr.best td:first-child')) ?? '', /★/);
    const state = (n: number) => page.textContent(`table.trials tr[data-trial="${n}"] td.state`);
    assert.strictEqual(await state(1), 'completed');
    assert.strictEqual(await state(4), 'pruned at step 2');
    assert.strictEqual(await state(6), 'failed');
    assert.strictEqual(await state(10), 'interrupted');
    assert.match((await page.textContent('table.trials tr[data-trial="6"] td.note')) ?? '', /ran out of memory/);
    const headers = await page.$$eval('table.trials thead th', (ths: { textContent: string | null }[]) => ths.map((t) => t.textContent?.trim()));
    assert.deepStrictEqual(headers, ['# ▲', 'State', 'learning_rate', 'batch_size', 'optimizer', 'loss ↓', 'Duration', 'Note']);
    // The best card and its values.
    assert.match((await page.textContent('.best-card')) ?? '', new RegExp(`Best trial ${best}(?!\\d)`));

    // Sorting by the objective puts the best first, from the keyboard too.
    await page.focus('table.trials thead button:has-text("loss")');
    await page.keyboard.press('Enter');
    assert.strictEqual(await page.getAttribute('table.trials tbody tr:first-child', 'data-trial'), String(best));
    assert.strictEqual(await page.getAttribute('table.trials thead th[aria-sort]', 'aria-sort'), 'ascending');
    host.dispose();
    await page.close();
  });

  it('draws objective by trial with the best so far, and one scatter per parameter on the right axis', async () => {
    const { page, host } = await openStudy();
    const charts = (await probe(page, (p) => p.study()))!.charts;
    assert.deepStrictEqual(
      charts.map((c) => [c.kind, c.param ?? '', c.axis]),
      [
        ['objective', '', 'trial'],
        ['param', 'learning_rate', 'log'],
        ['param', 'batch_size', 'linear'],
        ['param', 'optimizer', 'category'],
      ],
    );
    const [objective, lr, batch, optimizer] = charts;
    assert.deepStrictEqual(objective!.series, ['completed', 'pruned', 'best so far', 'best trial']);
    // 7 completed, 1 pruned, the best-so-far line from trial 1 on, one best.
    assert.deepStrictEqual(objective!.points, [7, 1, 10, 1]);
    assert.deepStrictEqual(objective!.trials, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const c of [lr, batch, optimizer]) {
      assert.deepStrictEqual(c!.series, ['completed', 'pruned', 'best trial']);
      assert.deepStrictEqual(c!.points, [7, 1, 1], c!.param);
      assert.strictEqual(c!.trials.length, 8, 'trials with a value of the objective');
    }
    assert.strictEqual(lr!.xDistr, 3, 'learning rate on a log axis');
    assert.strictEqual(batch!.xDistr, 1);
    assert.deepStrictEqual(optimizer!.categories, ['sgd', 'adam', 'rmsprop']);
    assert.ok(charts.every((c) => c.yDistr === 1));

    assert.ok((await afterRender(page, () => page.check('#study-log-scale'))) >= 0);
    const logged = (await probe(page, (p) => p.study()))!.charts;
    assert.ok(
      logged.every((c) => c.yDistr === 3),
      'the objective on a log axis',
    );
    assert.strictEqual((await probe(page, (p) => p.view())).studyLogScale, true);
    host.dispose();
    await page.close();
  });

  it('"Apply best hyperparameters" posts the best trial and the host applies the values from the journal', async () => {
    const { page, host } = await openStudy();
    const best = lab.outcome.best!;
    await page.click(`button:has-text("Apply best hyperparameters")`);
    const apply = (await posted(page)).filter((m) => m.type === 'applyBest');
    assert.deepStrictEqual(apply, [{ type: 'applyBest', studyId: lab.outcome.studyId, trial: best.number }]);
    assert.ok(parseWebviewToHost(apply[0]).ok);
    await host.pump();
    assert.deepStrictEqual(
      host.fx.applied.map((a) => [a.studyId, a.best.number, a.best.params]),
      [[lab.outcome.studyId, best.number, best.params]],
    );
    host.dispose();
    await page.close();
  });

  it('drops forged study messages and draws names as text', async () => {
    const { page, log, host } = await openStudy();
    const before = await probe(page, (p) => p.study());
    const shown = host.fx.of('study').at(-1)!.study;
    const forged: unknown[] = [
      { type: 'study', study: { ...shown, best: { number: 4, objective: shown.trials[3]!.objective } } },
      { type: 'study', study: { ...shown, id: '../../x' } },
      { type: 'study', study: { ...shown, trials: [...shown.trials].reverse() } },
      { type: 'study', study: { ...shown, trials: shown.trials.map((t) => ({ ...t, state: 'hacked' })) } },
      { type: 'studies', studies: [{ ...sampleStudy, id: '<img src=x onerror=alert(1)>' }] },
      { type: 'study', study: { ...shown, params: [{ name: '__proto__', type: 'DOUBLE' }] } },
    ];
    assert.strictEqual(await send(page, forged, 500), -1, 'no redraw');
    assert.strictEqual(await probe(page, (p) => p.stats.rejected), forged.length);
    assert.deepStrictEqual(await probe(page, (p) => p.study()), before);
    const warnings = log.console.filter((m) => m.type === 'warning' && m.text.includes('dropped a malformed message'));
    assert.strictEqual(warnings.length, forged.length);
    assert.ok(warnings[0]!.text.includes('"study"'), warnings[0]!.text);

    // A valid study whose names look like markup: shown as text, never run.
    const odd: StudyDetail = {
      ...shown,
      params: [...shown.params.slice(0, 2), { name: 'optimizer', type: 'CATEGORICAL', values: ['<img src=x onerror=alert(1)>', 'adam', 'rmsprop', 'sgd'] }],
      trials: shown.trials.map((t) => (t.params['optimizer'] === 'sgd' ? { ...t, params: { ...t.params, optimizer: '<img src=x onerror=alert(1)>' } } : t)),
    };
    await send(page, [{ type: 'study', study: odd }]);
    assert.strictEqual(await page.locator('table.trials img').count(), 0);
    assert.deepStrictEqual(log.errors, []);
    assert.deepStrictEqual(await cspViolations(page), []);
    host.dispose();
    await page.close();
  });

  it('follows a study while it runs: rows appear as trials start and finish, then it is finished', async () => {
    const dir = tempLab();
    const { page, host } = await open(dir);
    assert.strictEqual(await page.isVisible('#view-select'), false, 'no selector while the lab has no study');
    const gates: ((r: TrialResult) => void)[] = [];
    let studyId = '';
    const running = runStudy({
      labDir: dir,
      spec: StudySpec.parse({ ...STUDY_SPEC, maxTrials: 2, enableTrialEarlyStopping: false }),
      scheduler: new LocalTrialScheduler(() => new Promise<TrialResult>((resolve) => gates.push(resolve)), { cpuCount: 1 }),
      onEvent: (e) => {
        // As the Tune command does: a trial's run starting reaches the host, a finished trial refreshes it.
        if (e.type === 'opened') studyId = e.studyId;
        if (e.type === 'trial-started') host.controller.studyChanged(studyId);
        if (e.type === 'trial-finished') host.controller.refresh();
      },
    });
    let failed: unknown;
    running.catch((err: unknown) => (failed = err));
    const waitGates = async (n: number) => {
      while (gates.length < n) {
        if (failed) throw failed instanceof Error ? failed : new Error(inspect(failed));
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await waitGates(1);
    await host.pump();
    await page.selectOption('#view-select', studyId);
    await host.pump();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.study()?.rows === 1);
    assert.strictEqual(await page.textContent('table.trials tr[data-trial="1"] td.state'), 'running');
    assert.match((await page.textContent('.study-status')) ?? '', /running — 1 trial in progress/);
    assert.strictEqual(await page.isDisabled('button.apply'), true, 'nothing to apply yet');

    gates[0]!({ objective: 0.8 });
    await waitGates(2);
    await host.pump();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.study()?.rows === 2);
    assert.strictEqual(await page.textContent('table.trials tr[data-trial="1"] td.state'), 'completed');
    assert.strictEqual(await page.textContent('table.trials tr[data-trial="2"] td.state'), 'running');
    assert.strictEqual(await page.isDisabled('button.apply'), false);
    assert.match((await page.textContent('.sr-only[aria-live]')) ?? '', /Trial 1 completed: loss 0\.8\. New best: trial 1\. Trial 2 started\./);

    gates[1]!({ objective: 0.4 });
    await running;
    await host.pump();
    host.timer.fire();
    await host.pump();
    await page.waitForFunction("/finished/.test(document.querySelector('.study-status')?.textContent ?? '')");
    const study = (await probe(page, (p) => p.study()))!;
    assert.strictEqual(study.bestTrial, 2);
    assert.deepStrictEqual(study.charts[0]!.points, [2, 0, 2, 1]);
    assert.strictEqual(host.timer.pending(), 0, 'the host stopped polling');
    host.dispose();
    await page.close();
  });

  it('reads trials out from the keyboard, shows a picked trial in the table, and resizes with the panel', async () => {
    const { page, host } = await openStudy();
    await page.focus('figure[data-study-chart="objective"] .plot');
    await page.keyboard.press('Home');
    assert.match(
      (await page.textContent('.sr-only[aria-live]')) ?? '',
      /^Trial 1 \(completed[^)]*\): learning_rate [\d.e-]+, batch_size \d+, optimizer \w+ → loss /,
    );
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    assert.strictEqual(await page.getAttribute('table.trials tr.selected', 'data-trial'), '2');
    await page.focus('figure[data-study-chart="param-0"] .plot');
    await page.keyboard.press('End');
    assert.match((await page.textContent('.sr-only[aria-live]')) ?? '', /^Trial \d+ .*: learning_rate /);

    const wide = (await probe(page, (p) => p.study()))!.charts.map((c) => c.width);
    await page.setViewportSize({ width: 640, height: 900 });
    await page.waitForFunction((w) => (globalThis as unknown as PageGlobals).mlLabsDashboard.study()!.charts[0]!.width < w - 100, wide[0]!);
    const narrow = (await probe(page, (p) => p.study()))!.charts;
    assert.ok(
      narrow.every((c) => c.width <= 640),
      narrow.map((c) => c.width).join(', '),
    );
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px)`);
    host.dispose();
    await page.close();
  });

  it('comes back to the study after a reload, from the saved view state', async () => {
    const { page, host } = await open(lab.dir, {
      state: { version: 1, folder: lab.dir, smoothing: 0.6, logScale: false, hidden: [], study: lab.outcome.studyId },
    });
    await host.pump();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.study()?.loaded === true);
    assert.strictEqual((await probe(page, (p) => p.study()))!.rows, 10);
    assert.strictEqual(await page.inputValue('#view-select'), lab.outcome.studyId);
    host.dispose();
    await page.close();

    // A study that is gone falls back to the runs.
    const other = await open(lab.dir, { state: { version: 1, folder: lab.dir, smoothing: 0.6, logScale: false, hidden: [], study: '20990101-000000-0000' } });
    assert.strictEqual(await probe(other.page, (p) => p.study()), undefined);
    await other.page.locator('.layout').waitFor({ state: 'visible', timeout: 5000 });
    assert.strictEqual((await probe(other.page, (p) => p.view())).study, undefined);
    other.host.dispose();
    await other.page.close();
  });
});
