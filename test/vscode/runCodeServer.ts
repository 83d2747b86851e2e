// Runs the VS Code integration tests in code-server, driven by headless Chromium:
//  1. the API suite (suite/extension.test.ts) in a trusted workspace,
//  2. the Workspace Trust suite (suite/trust.test.ts) in an untrusted one,
//  3. one end-to-end test through the real UI: command palette → Start Lab → Run → grade
//     diagnostics visible in the Problems panel, with a screenshot kept in test-artifacts/.
// Exits non-zero if any of them fails. Without code-server installed it explains how to get it
// and exits 0, except under CI where that is a failure.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { format } from 'util';
import type { Frame, Page } from 'playwright-core';
import { CHROMIUM, CODE_SERVER_ENTRY, launchBrowser, newPage, REPO, remoteUri, startCodeServer, workbenchUrl } from './codeServer';
import { selectedSuites, type VsCodeSuite } from './suites';

const ARTIFACTS = path.join(REPO, 'test-artifacts');
const SUITE = path.join(REPO, 'out', 'test', 'vscode', 'suite', 'index.js');
const verbose = !!process.env.MLLABS_TEST_VERBOSE;

function tempWorkspace(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mllabs-${name}-`));
}

/** Runs the mocha suite inside the extension host of code-server; resolves with its exit code. */
async function runSuite({ name, files, trusted }: VsCodeSuite): Promise<number> {
  const workspace = tempWorkspace(name);
  const server = await startCodeServer({ workspace, trust: !trusted, env: { MLLABS_TEST_FILES: files.join(',') }, log: verbose ? (l) => console.log(`[code-server] ${l}`) : undefined });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      // Mocha logs with printf-style format strings ("%s (%dms)"): format them as Node would.
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (type === 'error' || type === 'warn' || verbose || !/^\[(Extension Host|.*Window)\]/.test(text)) process.stdout.write(`${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await page.goto(
      workbenchUrl(server, [
        ['extensionDevelopmentPath', remoteUri(server, REPO)],
        ['extensionTestsPath', remoteUri(server, SUITE)],
      ]),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(124), 10 * 60_000)));
    const code = await Promise.race([exited, timeout]);
    // A pending timer would keep this process alive for the rest of the ten minutes.
    clearTimeout(timer);
    console.log(`${name}: ${code === 0 ? 'passed' : `failed (exit code ${code})`}`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * Runs a command from the palette. The palette lists the commands enabled when it opens, and a
 * `when` context the extension has just set may arrive a moment later: then close it and look again.
 */
async function command(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${text}`);
    try {
      await row.waitFor({ timeout: 3000 });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
    }
  }
  // A click on the row itself, not Enter: Enter runs whichever row has focus, which lags the filter.
  await row.click();
}

async function pick(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

/**
 * The user's path: palette → Start Lab… → hand-tuning → new folder → Run → grade in Problems.
 * With a .vsix, the packaged extension is installed and tested instead of the source folder.
 */
/** The webview frame (nested in VS Code's own iframes) that shows `selector`, waiting for it. */
async function inWebview(page: Page, selector: string, what: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).first().isVisible().catch(() => false)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${what}: nothing matches ${selector} in any webview`);
}

async function runUiTest(vsix?: string): Promise<number> {
  const workspace = tempWorkspace('ui');
  const server = await startCodeServer({ workspace, vsix, log: verbose ? (l) => console.log(`[code-server] ${l}`) : undefined });
  const browser = await launchBrowser();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let page: Page | undefined;
  try {
    page = await newPage(browser);
    await page.goto(workbenchUrl(server, vsix ? [] : [['extensionDevelopmentPath', remoteUri(server, REPO)]]));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The extension's contributions are in once its view container shows in the activity bar.
    await page.locator('.activitybar .action-item a[aria-label^="ML Labs"]').first().waitFor({ timeout: 60_000 });

    await command(page, 'ML Labs: Start Lab');
    await pick(page, 'Hand-tuning a linear model');
    await pick(page, 'New folder');
    await page.locator('.tab', { hasText: 'model.ts' }).first().waitFor({ timeout: 30_000 });

    await command(page, 'ML Labs: Run Lab');
    // The grade arrives as a notification, and the failed checks as problems.
    await page.locator('.notifications-toasts', { hasText: 'checks passed' }).first().waitFor({ timeout: 120_000 });
    await command(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel');
    await problems.locator('text=The label is scaled').first().waitFor({ timeout: 30_000 });
    await problems.locator('text=Every TODO is done').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-grade.png') });

    // The dashboard opened on the first run and drew it (its page runs under VS Code for the web's CSP).
    const dashboardTab = page.locator('.tab', { hasText: 'Dashboard' }).first();
    await dashboardTab.waitFor({ timeout: 30_000 });
    await dashboardTab.click();
    await inWebview(page, 'figure[data-chart="loss"] .u-over', 'the dashboard draws the run');
    // The playground trains in its own process: one step shows epoch 1.
    await command(page, 'ML Labs: Open Playground');
    await page.locator('.tab', { hasText: 'Playground' }).first().waitFor({ timeout: 30_000 });
    const playground = await inWebview(page, 'button#step', 'the playground shows its controls');
    await playground.locator('button#step').click();
    await playground.locator('#epoch', { hasText: '000,001' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-panels.png') });
    console.log(`ui${vsix ? ` (installed ${path.basename(vsix)})` : ''}: passed (screenshot in ${path.relative(REPO, path.join(ARTIFACTS, 'e2e-grade.png'))})`);
    return 0;
  } catch (err) {
    if (page) await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-failure.png') }).catch(() => undefined);
    console.error(`ui: failed — ${(err as Error).message}`);
    return 1;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const missing = [CODE_SERVER_ENTRY, CHROMIUM].filter((f) => !fs.existsSync(f));
  if (missing.length) {
    const message = `VS Code integration tests skipped: missing ${missing.join(', ')}. Run "bash test/vscode/setup-code-server.sh" to install code-server and Chromium.`;
    if (process.env.CI) {
      console.error(message);
      process.exitCode = 1;
    } else console.log(message);
    return;
  }
  const only = process.env.MLLABS_VSCODE_ONLY;
  const codes: number[] = [];
  for (const suite of selectedSuites()) codes.push(await runSuite(suite));
  // MLLABS_VSIX: test the packaged extension through the UI (CI packages it first).
  if (!only || only === 'ui') codes.push(await runUiTest(process.env.MLLABS_VSIX ? path.resolve(process.env.MLLABS_VSIX) : undefined));
  process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
