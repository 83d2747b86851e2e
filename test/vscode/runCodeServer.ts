// Runs the VS Code integration tests in code-server, driven by headless Chromium:
//  1. the API suites (suite/extension.test.ts, suite/editor.test.ts) in a trusted workspace,
//  2. the Workspace Trust suite (suite/trust.test.ts) in an untrusted one (both listed in suites.ts),
//  3. one end-to-end test through the real UI (see runUiTest): Start Lab → three runs → grade
//     diagnostics visible in the Problems panel, with a screenshot kept in test-artifacts/.
// Exits non-zero if any of them fails. Without code-server installed it explains how to get it
// and exits 0, except under CI where that is a failure.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { format } from 'util';
import type { Frame, Locator, Page } from 'playwright-core';
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
  const server = await startCodeServer({
    workspace,
    trust: !trusted,
    env: { MLLABS_TEST_FILES: files.join(',') },
    log: verbose ? (l) => console.log(`[code-server] ${l}`) : undefined,
  });
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

/** The webview frame (nested in VS Code's own iframes) that shows `selector`, waiting for it. */
async function inWebview(page: Page, selector: string, what: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator(selector)
          .first()
          .isVisible()
          .catch(() => false)
      )
        return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${what}: nothing matches ${selector} in any webview`);
}

/** The editor title's ▶ Run Lab and ■ Stop Run actions of the active editor group. */
function titleActions(page: Page): { run: Locator; stop: Locator } {
  const actions = page.locator('.editor-group-container.active .editor-actions');
  return { run: actions.locator('a.action-label[aria-label^="Run Lab"]'), stop: actions.locator('a.action-label[aria-label^="Stop Run"]') };
}

/** After a run: ▶ Run Lab is back in the editor title and ■ Stop Run is gone. */
async function runButtonIsBack(page: Page, which: string): Promise<void> {
  const { run, stop } = titleActions(page);
  await run.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
    throw new Error(`${which}: the editor title does not show ▶ Run Lab again after the run`);
  });
  if (await stop.isVisible()) throw new Error(`${which}: ■ Stop Run is still in the editor title after the run`);
}

/** A notification toast containing `text`. */
async function toast(page: Page, text: string | RegExp, timeoutMs = 120_000): Promise<Locator> {
  const t = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await t.waitFor({ timeout: timeoutMs });
  return t;
}

/**
 * The user's path: palette → Start Lab… → hand-tuning → new folder (the focus lands in the code) →
 * Run (▶ comes back, the output shows) → a syntax error run from the editor title's ▶ (announced as
 * not trained) → the reference solution passes → dashboard → playground: a step, then Export to
 * code (a passed lab is confirmed in a modal; the preset's own lab is started and written into) →
 * the TF.js lab shows no TypeScript problem.
 * With a .vsix, the packaged extension is installed and tested instead of the source folder.
 */
async function runUiTest(vsix?: string): Promise<number> {
  const workspace = tempWorkspace('ui');
  const server = await startCodeServer({ workspace, vsix, log: verbose ? (l) => console.log(`[code-server] ${l}`) : undefined });
  const browser = await launchBrowser();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let page: Page | undefined;
  const step = (what: string) => verbose && console.log(`ui: ${what}`);
  try {
    page = await newPage(browser);
    await page.goto(workbenchUrl(server, vsix ? [] : [['extensionDevelopmentPath', remoteUri(server, REPO)]]));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The extension's contributions are in once its view container shows in the activity bar.
    await page.locator('.activitybar .action-item a[aria-label^="ML Labs"]').first().waitFor({ timeout: 60_000 });

    step('start a lab');
    await command(page, 'ML Labs: Start Lab');
    await pick(page, 'Hand-tuning a linear model');
    await pick(page, 'New folder');
    await page.locator('.tab', { hasText: 'model.ts' }).first().waitFor({ timeout: 30_000 });
    // The instructions' preview has rendered (it used to take the focus once loaded) …
    await inWebview(page, 'h1:has-text("Hand-tuning a linear model")', 'the instructions show beside the code');
    // … and the focus is in the code: the active group's editor has it, and its title shows ▶.
    // (A string: this program is compiled without the DOM's types.)
    const focus = (await page.evaluate(`(() => {
      const el = document.activeElement;
      const group = el && el.closest('.editor-group-container');
      const tab = group && group.querySelector('.tab.active');
      return { inEditor: !!(el && el.closest('.monaco-editor')), tab: tab ? tab.textContent : '' };
    })()`)) as { inEditor: boolean; tab: string };
    if (!focus.inEditor || !focus.tab.includes('model.ts')) throw new Error(`after Start Lab the focus is not in model.ts (${JSON.stringify(focus)})`);
    await titleActions(page).run.waitFor({ timeout: 10_000 });

    step('first run, from the palette');
    await command(page, 'ML Labs: Run Lab');
    // The grade arrives as a notification, and the failed checks as problems.
    await toast(page, /checks passed; the failed checks are marked in your code/);
    await runButtonIsBack(page, 'first run');
    // What the run printed is in the output, brought forward by the run.
    // (The output is an editor that renders the lines in view: its end, where the run's last line is.)
    await page.locator('.part.panel .monaco-editor', { hasText: '■ completed' }).first().waitFor({ timeout: 30_000 });
    await command(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel');
    await problems.locator('text=The label is scaled').first().waitFor({ timeout: 30_000 });
    await problems.locator('text=Every TODO is done').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-grade.png') });

    step('second run: a syntax error, from the editor title');
    const model = path.join(workspace, 'hand-tuning', 'model.ts');
    await page.locator('.tab', { hasText: 'model.ts' }).first().click();
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nexport const broken = [1, 2;\n');
    await page.keyboard.press('Control+S');
    await titleActions(page).run.click();
    await toast(page, /did not train: syntax error at model\.ts:\d+/);
    await runButtonIsBack(page, 'second run');

    step('third run: the reference solution passes');
    // Written to disk (the editor, saved and clean, follows the file); a run reads the file from disk.
    fs.writeFileSync(model, fs.readFileSync(path.join(REPO, 'lab-templates', 'hand-tuning', 'solutions', 'reference.ts'), 'utf8'));
    await command(page, 'ML Labs: Run Lab');
    await toast(page, /Hand-tuning a linear model: all \d+ checks passed/);
    await runButtonIsBack(page, 'third run');

    // The dashboard opened on the first run and drew it (its page runs under VS Code for the web's CSP).
    const dashboardTab = page.locator('.tab', { hasText: 'Dashboard' }).first();
    await dashboardTab.waitFor({ timeout: 30_000 });
    await dashboardTab.click();
    const dashboard = await inWebview(page, 'figure[data-chart="loss"] .u-over', 'the dashboard draws the run');
    // Runs that differ only in code are told apart by their code change.
    await dashboard.locator('li.run .run-code', { hasText: 'code:' }).first().waitFor({ timeout: 10_000 });

    step('playground: a step, then Export to code');
    await command(page, 'ML Labs: Open Playground');
    await page.locator('.tab', { hasText: 'Playground' }).first().waitFor({ timeout: 30_000 });
    const playground = await inWebview(page, 'button#step', 'the playground shows its controls');
    await playground.locator('button#step').click();
    await playground.locator('#epoch', { hasText: '000,001' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-panels.png') });
    await playground.locator('select#preset').selectOption('l1-sparsity');
    // The preset is the trainer's once its state comes back (it says what the preset shows).
    await playground.locator('#preset-note', { hasText: 'L1 drives useless features to zero' }).waitFor({ timeout: 30_000 });
    const passedCode = fs.readFileSync(model, 'utf8');
    // Into the lab that passed: asked in a modal first; cancelling writes nothing.
    await playground.locator('button#export').click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Export the network to code' }).waitFor({ timeout: 30_000 });
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    const first = (await rows.first().textContent()) ?? '';
    if (!first.includes('Start "L1 regularization: sparsity"')) throw new Error(`Export to code does not offer the preset's lab first: "${first}"`);
    await pick(page, 'Hand-tuning a linear model');
    const modal = page.locator('.monaco-dialog-box', { hasText: 'You have passed "Hand-tuning a linear model"' });
    await modal.waitFor({ timeout: 30_000 });
    await modal.locator('a.monaco-button', { hasText: 'Cancel' }).click();
    await modal.waitFor({ state: 'detached', timeout: 10_000 });
    if (fs.readFileSync(model, 'utf8') !== passedCode) throw new Error('Export to code changed the passed lab although the learner cancelled');
    if (await page.locator('.monaco-editor', { hasText: 'playground export: begin' }).count())
      throw new Error('Export to code edited the passed lab although the learner cancelled');
    // Into the preset's own lab, started for it: said in a notification.
    await playground.locator('button#export').click();
    await pick(page, 'Start "L1 regularization: sparsity"');
    await pick(page, 'New folder');
    await toast(page, /Wrote \d+ lines into l1-sparsity\/network\.ts: buildModel\(\) builds the network 7 inputs → 6 → 6 → 1 \(tanh\), L1 at 0\.01/, 60_000);
    // In the editor, not saved: the file on disk is still the starter.
    await page.locator('.monaco-editor', { hasText: 'playground export: begin' }).first().waitFor({ timeout: 10_000 });
    const network = path.join(workspace, 'l1-sparsity', 'network.ts');
    if (fs.readFileSync(network, 'utf8') !== fs.readFileSync(path.join(REPO, 'lab-templates', 'l1-sparsity', 'network.ts'), 'utf8'))
      throw new Error('Export to code saved the file');
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-export.png') });

    step('a TF.js lab type-checks: no TypeScript problem');
    // TypeScript is known to have read network.ts once a deliberate error shows; then the only
    // problem in the workspace is that one (TensorFlow.js and the lab's own imports resolve), and
    // once it is deleted there is none.
    const problemsCount = page.locator('.statusbar-item[id="status.problems"]');
    const counts = async () => ((await problemsCount.getAttribute('aria-label')) ?? (await problemsCount.textContent()) ?? '').replace(/\s+/g, ' ');
    const networkTab = page.locator('.tab', { hasText: 'network.ts' }).first();
    await networkTab.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type("\nexport const notANumber: number = 'text';\n");
    await command(page, 'View: Focus Problems');
    const markers = page.locator('.markers-panel');
    await markers.locator("text=Type 'string' is not assignable to type 'number'").first().waitFor({ timeout: 180_000 });
    await page
      .waitForFunction(
        `(() => { const el = document.querySelector('.statusbar-item[id="status.problems"]'); return !!el && /\\b1\\b/.test(el.getAttribute('aria-label') || el.textContent || ''); })()`,
        undefined,
        { timeout: 30_000 },
      )
      .catch(async () => {
        throw new Error(`a TF.js lab has TypeScript problems besides the deliberate one: ${await counts()} — ${(await markers.textContent())?.slice(0, 400)}`);
      });
    // The cursor is on the line after the deliberate one: delete that line.
    await networkTab.click();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Control+Shift+K');
    await markers
      .locator('text=No problems have been detected in the workspace')
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async () => {
        throw new Error(`the Problems panel is not empty for a TF.js lab: ${(await markers.textContent())?.slice(0, 400)}`);
      });
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-types.png') });
    console.log(`ui${vsix ? ` (installed ${path.basename(vsix)})` : ''}: passed (screenshots in ${path.relative(REPO, ARTIFACTS)})`);
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
