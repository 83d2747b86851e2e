// Saves media/screenshots/playground.png: the playground with the course's L1 preset, trained by
// the real trainer for a few hundred epochs (the links L1 killed are gone). Build first
// (`node esbuild.js && npx tsc -p test/tsconfig.json`), then `node out/test/browser/playgroundScreenshot.js`.
import * as fs from 'fs';
import * as path from 'path';
import { presetConfig } from '../../src/core/playground/presets';
import { CHROMIUM, chromiumAvailable, DARK_THEME, launch } from './dashboardPage';
import { openPlaygroundPage, playgroundBuilt, PlaygroundServer, record, ROOT, send } from './playgroundPage';

const EPOCHS = 300;

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`Chromium is missing at ${CHROMIUM} (Debian package "chromium").`);
  if (!playgroundBuilt()) throw new Error('dist/media/playground.js is missing: run `node esbuild.js` first.');
  const rec = await record(presetConfig('l1-sparsity'), EPOCHS, { presetId: 'l1-sparsity' });
  const server = new PlaygroundServer();
  await server.start();
  const browser = await launch();
  try {
    const { page } = await openPlaygroundPage(browser, server, { theme: DARK_THEME, width: 1280, height: 860 });
    await send(page, [rec.snapshot]);
    // Every epoch's frame, so the loss curve has its whole history; the last one is drawn.
    await send(page, rec.frames, 20_000);
    await page.waitForTimeout(300);
    const file = path.join(ROOT, 'media', 'screenshots', 'playground.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: false });
    const last = rec.frames[rec.frames.length - 1]!;
    console.log(
      `screenshot: ${path.relative(ROOT, file)} (epoch ${last.epoch}, test loss ${last.losses.test.at(-1)?.toFixed(3)}, ${last.network.dead.length} links dead)`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
