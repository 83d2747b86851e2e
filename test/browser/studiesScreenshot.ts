// Saves media/screenshots/studies.png: the studies view of a real study, read from a lab folder the
// way the extension reads it. Make one first, e.g.
//   node dist/cli.js init hyperparameter-tuning /tmp/hp && cp lab-templates/hyperparameter-tuning/solutions/reference/model.ts /tmp/hp/
//   node dist/cli.js tune /tmp/hp --spec <a spec with more trials>
// then build (`node esbuild.js && npx tsc -p test/tsconfig.json`) and run
// `node out/test/browser/studiesScreenshot.js /tmp/hp`.
import * as fs from 'fs';
import * as path from 'path';
import { bundleBuilt, CHROMIUM, chromiumAvailable, DARK_THEME, DashboardServer, launch, openDashboard, ROOT, type PageGlobals } from './dashboardPage';
import { HostBridge } from './studiesPage';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(path.join(dir, '.mllabs', 'studies'))) throw new Error('usage: studiesScreenshot.js <lab folder with a study in .mllabs/studies>');
  if (!chromiumAvailable()) throw new Error(`Chromium is missing at ${CHROMIUM} (Debian package "chromium").`);
  if (!bundleBuilt()) throw new Error('dist/media/dashboard.js is missing: run `node esbuild.js` first.');
  const server = new DashboardServer();
  await server.start();
  const browser = await launch();
  try {
    const { page } = await openDashboard(browser, server, { theme: DARK_THEME, width: 1280, height: 1320 });
    const host = new HostBridge(page, path.resolve(dir));
    await host.pump();
    const studies = host.fx.of('snapshot')[0]!.studies!;
    const id = studies[studies.length - 1]!.id;
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
    console.log(`screenshot: ${path.relative(ROOT, file)} (study ${id})`);
    host.dispose();
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
