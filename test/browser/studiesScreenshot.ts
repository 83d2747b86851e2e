// Saves media/screenshots/studies.png: the studies view of a Bayesian study of the hand-tuning lab's
// hyperparameters, taken while its last trial still runs. Build first (`node esbuild.js && npx tsc -p
// test/tsconfig.json`), then `node out/test/browser/studiesScreenshot.js`.
import * as fs from 'fs';
import * as path from 'path';
import { JOURNAL_FILE, LocalTrialScheduler, runStudy, studiesRoot, StudySpec, type TrialResult } from '../../src/core/tuner';
import { tempLab } from '../unit/dashboard/fixtures';
import { bundleBuilt, CHROMIUM, chromiumAvailable, DARK_THEME, DashboardServer, launch, openDashboard, ROOT, type PageGlobals } from './dashboardPage';
import { HostBridge } from './studiesPage';

const TRIALS = 16;

const spec = StudySpec.parse({
  goal: 'MINIMIZE',
  hyperparameterMetricTag: 'rmse',
  maxTrials: TRIALS,
  maxParallelTrials: 1,
  enableTrialEarlyStopping: true,
  seed: 3,
  params: [
    { parameterName: 'learning_rate', type: 'DOUBLE', minValue: 0.01, maxValue: 0.1, scaleType: 'UNIT_LOG_SCALE' },
    { parameterName: 'batch_size', type: 'INTEGER', minValue: 8, maxValue: 64, scaleType: 'UNIT_LINEAR_SCALE' },
    { parameterName: 'optimizer', type: 'CATEGORICAL', categoricalValues: ['sgd', 'adam', 'rmsprop'] },
  ],
});

/** Validation RMSE in dollars after `epoch` of 8 epochs: best near lr 0.04, batch 20, with adam. */
function rmse(params: Record<string, number | string>, epoch: number): number {
  const lr = Number(params['learning_rate']);
  const batch = Number(params['batch_size']);
  const opt: Record<string, number> = { sgd: 9000, adam: 0, rmsprop: 3500 };
  const floor = 68_000 + 60_000 * (Math.log10(lr) + 1.4) ** 2 + 14 * (batch - 20) ** 2 + (opt[String(params['optimizer'])] ?? 0);
  return floor * (1 + 0.9 * Math.exp(-epoch / 2));
}

/**
 * The trials above take milliseconds; a lab's take seconds. Their durations in the journal are set
 * to what 8 epochs of the lab take, so that the picture reads like a real study.
 */
function realisticDurations(dir: string): void {
  const root = studiesRoot(dir);
  const file = path.join(root, fs.readdirSync(root)[0]!, JOURNAL_FILE);
  const steps = new Map<number, number>();
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => {
    const e = JSON.parse(line) as { type: string; trial: number; durationMs?: number };
    if (e.type === 'reported') steps.set(e.trial, (steps.get(e.trial) ?? 0) + 1);
    if (e.durationMs !== undefined) e.durationMs = Math.max(1, steps.get(e.trial) ?? 1) * (1400 + ((e.trial * 389) % 500));
    return JSON.stringify(e);
  });
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`Chromium is missing at ${CHROMIUM} (Debian package "chromium").`);
  if (!bundleBuilt()) throw new Error('dist/media/dashboard.js is missing: run `node esbuild.js` first.');
  const dir = tempLab();
  let held: ((r: TrialResult) => void) | undefined;
  const started = new Promise<void>((resolve) => {
    void runStudy({
      labDir: dir,
      spec,
      scheduler: new LocalTrialScheduler(
        async (trial, ctx) => {
          if (trial.number === 6) throw new Error('the loss diverged at epoch 3: the learning rate is too high for this batch size');
          if (trial.number === TRIALS) {
            // The last trial is still training when the picture is taken (one epoch: too early to prune).
            await ctx.report(1, rmse(trial.params, 1));
            resolve();
            return new Promise<TrialResult>((r) => (held = r));
          }
          for (let epoch = 1; epoch <= 8; epoch++) {
            if (await ctx.report(epoch, rmse(trial.params, epoch))) return { objective: null };
          }
          return { objective: rmse(trial.params, 8) };
        },
        { cpuCount: 1 },
      ),
    });
  });
  await started;
  realisticDurations(dir);

  const server = new DashboardServer();
  await server.start();
  const browser = await launch();
  try {
    const { page } = await openDashboard(browser, server, { theme: DARK_THEME, width: 1280, height: 1320 });
    const host = new HostBridge(page, dir);
    await host.pump();
    const id = host.fx.of('snapshot')[0]!.studies![0]!.id;
    await page.selectOption('#view-select', id);
    await host.pump();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsDashboard.study()?.loaded === true);
    // The pointer on a trial of the objective chart, to show its readout.
    const over = page.locator('figure[data-study-chart="objective"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height / 2);
    await page.waitForTimeout(200);
    const file = path.join(ROOT, 'media', 'screenshots', 'studies.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: false });
    console.log(`screenshot: ${path.relative(ROOT, file)}`);
    host.dispose();
  } finally {
    held?.({ objective: null, error: 'stopped' });
    await browser.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
