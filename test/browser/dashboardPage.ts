// Loads the built dashboard (dist/media) in headless Chromium as VS Code would: the page from
// dashboardHtml() with its CSP, served from a local origin, and a stand-in for acquireVsCodeApi
// that records what the page posts. Used by the browser tests and the render benchmark.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dashboardHtml } from '../../src/core/dashboard/html';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ROOT = path.resolve(__dirname, '..', '..', '..');
const MEDIA = path.join(ROOT, 'dist', 'media');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export function bundleBuilt(): boolean {
  return fs.existsSync(path.join(MEDIA, 'dashboard.js')) && fs.existsSync(path.join(MEDIA, 'dashboard.css'));
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A local origin serving the page and the bundle; it plays the part of webview.cspSource. */
export class DashboardServer {
  private server: http.Server | undefined;
  origin = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/') {
        const html = dashboardHtml({
          nonce: randomBytes(18).toString('base64'),
          cspSource: this.origin,
          scriptUri: `${this.origin}/media/dashboard.js`,
          styleUri: `${this.origin}/media/dashboard.css`,
        });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
        return;
      }
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      const m = /^\/media\/(dashboard\.(?:js|css)(?:\.map)?)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(404);
        res.end();
        return;
      }
      const type = m[1]!.endsWith('.css') ? 'text/css' : m[1]!.endsWith('.js') ? 'text/javascript' : 'application/json';
      res.writeHead(200, { 'content-type': type });
      res.end(fs.readFileSync(path.join(MEDIA, m[1]!)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface ThemeSetup {
  bodyClass: string;
  vars: Record<string, string>;
}

/** A few of the variables VS Code's Dark Modern theme sets, enough to look like it. */
export const DARK_THEME: ThemeSetup = {
  bodyClass: 'vscode-dark',
  vars: {
    '--vscode-font-family': 'system-ui, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-sideBar-background': '#181818',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-textLink-foreground': '#4daafc',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-secondaryHoverBackground': '#3c3c3c',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-lines': 'rgba(204, 204, 204, 0.16)',
    '--vscode-testing-iconPassed': '#73c991',
    '--vscode-testing-iconFailed': '#f14c4c',
    '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-list-inactiveSelectionBackground': '#37373d',
  },
};

export const LIGHT_THEME: ThemeSetup = {
  bodyClass: 'vscode-light',
  vars: {
    '--vscode-editor-background': '#ffffff',
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-charts-blue': 'rgb(1, 2, 3)',
  },
};

export interface PageLog {
  posted: unknown[];
  console: { type: string; text: string }[];
  cspViolations: string[];
  errors: string[];
}

/**
 * Opens the dashboard. The stand-in for VS Code's API records posted messages in
 * window.__posted and keeps state like VS Code does; the theme is applied the way VS Code applies
 * it (a body class and variables set from script), before the dashboard's script runs.
 */
export async function openDashboard(
  browser: Browser,
  server: DashboardServer,
  options: { state?: unknown; theme?: ThemeSetup; width?: number; height?: number } = {},
): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1200, height: options.height ?? 900 } });
  const log: PageLog = { posted: [], console: [], cspViolations: [], errors: [] };
  page.setDefaultTimeout(8000);
  page.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => log.errors.push(String(e)));
  // Runs in the page before its own script; plain JavaScript because this program has no DOM types.
  await page.addInitScript({
    content: `(() => {
      const posted = [], violations = [], states = [];
      let saved = ${JSON.stringify(options.state ?? null)};
      const theme = ${JSON.stringify(options.theme ?? null)};
      window.__posted = posted;
      window.__csp = violations;
      window.__states = states;
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => saved === null ? undefined : saved,
        setState: (s) => { saved = s; states.push(JSON.parse(JSON.stringify(s))); },
      });
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
      if (theme) {
        const obs = new MutationObserver(() => {
          if (!document.body) return;
          obs.disconnect();
          for (const [k, v] of Object.entries(theme.vars)) document.documentElement.style.setProperty(k, v);
          document.body.classList.add(theme.bodyClass);
        });
        obs.observe(document, { childList: true, subtree: true });
      }
    })();`,
  });
  await page.goto(server.origin + '/');
  await page.waitForFunction(() => 'mlLabsDashboard' in globalThis);
  return { page, log };
}

/** Messages the page posted to the host so far. */
/** What the test reads in the page (the program has no DOM types, so it is declared here). */
export interface PageGlobals {
  __posted: Posted[];
  __csp: string[];
  __states: unknown[];
  mlLabsDashboard: Probe;
  postMessage(message: unknown, targetOrigin: string): void;
  requestAnimationFrame(cb: (t: number) => void): number;
  performance: { now(): number };
}

export interface Posted {
  type: string;
  [k: string]: unknown;
}

export interface ChartInfo {
  kind: string;
  series: string[];
  points: number[];
  drawn: number[];
  data: (number | null)[][];
  x: number[];
  yDistr: number;
  yMin: number | undefined;
  yMax: number | undefined;
  zoomed: boolean;
  width: number;
  height: number;
  lineWidths: number[];
  yTicks: string[];
  offScale: string[];
}

export interface Probe {
  stats: {
    received: number;
    rejected: number;
    lastReceiveMs: number;
    renders: number;
    lastRenderMs: number;
    maxRenderMs: number;
    totalRenderMs: number;
    epochsApplied: number;
  };
  charts(): ChartInfo[];
  runs(): { id: string; label: string; code: string; status: string; epochs: number; visible: boolean; best: boolean }[];
  view(): { smoothing: number; logScale: boolean; hidden: string[]; selected?: string; folder?: string; study?: string; studyLogScale?: boolean };
  nextRender(): Promise<number>;
  study(): StudyProbe | undefined;
}

export interface StudyChartInfo {
  kind: 'objective' | 'param';
  param?: string;
  axis: 'trial' | 'linear' | 'log' | 'category';
  xDistr: number;
  yDistr: number;
  series: string[];
  points: number[];
  trials: number[];
  categories?: string[];
  width: number;
  height: number;
}

export interface StudyProbe {
  id: string;
  loaded: boolean;
  rows: number;
  bestTrial: number | undefined;
  charts: StudyChartInfo[];
}

export async function posted(page: Page): Promise<Posted[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__posted.slice());
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__csp.slice());
}

/**
 * Runs a UI action and waits for the redraw it causes. The waiter is registered before the action,
 * so a redraw in the very next frame is not missed. Resolves with the render time, -1 on timeout.
 */
export async function afterRender(page: Page, action: () => Promise<unknown>, timeoutMs = 2000): Promise<number> {
  // `void`: evaluate would otherwise wait for the promise, i.e. for the render the action causes.
  await page.evaluate('void (window.__nextRender = window.mlLabsDashboard.nextRender())');
  await action();
  return page.evaluate(`Promise.race([window.__nextRender, new Promise((r) => setTimeout(() => r(-1), ${timeoutMs}))])`) as Promise<number>;
}

export async function probe<T>(page: Page, read: (p: Probe) => T): Promise<T> {
  return page.evaluate(`(${read.toString()})(window.mlLabsDashboard)`) as Promise<T>;
}

/**
 * Delivers messages as VS Code does (window message events) and waits for the frame that draws
 * them; resolves with that frame's render time, or -1 if nothing was redrawn within `timeoutMs`.
 */
export async function send(page: Page, messages: unknown[], timeoutMs = 2000): Promise<number> {
  return page.evaluate(
    ({ messages, timeoutMs }) => {
      const w = globalThis as unknown as PageGlobals;
      const rendered = w.mlLabsDashboard.nextRender();
      for (const m of messages) w.postMessage(m, '*');
      return Promise.race([rendered, new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs))]);
    },
    { messages, timeoutMs },
  );
}

/**
 * The suite's browser and page server, started before its tests and stopped after them (the suite
 * is skipped without Chromium, except in CI, where a missing Chromium is an error). `prepare` runs
 * first, for a suite's own fixtures. `open` opens a fresh dashboard page, in the dark theme unless told.
 */
export function useDashboardBrowser(prepare?: () => Promise<void>): {
  open: (options?: Parameters<typeof openDashboard>[2]) => Promise<{ page: Page; log: PageLog }>;
} {
  let browser: Browser | undefined;
  const server = new DashboardServer();
  before(async function () {
    if (!chromiumAvailable()) {
      if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's "chromium" package (see .ci/run).`);
      this.skip();
    }
    if (!bundleBuilt()) throw new Error('dist/media/dashboard.js is missing: run `node esbuild.js` before the browser tests.');
    await prepare?.();
    await server.start();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server.stop();
  });
  return { open: (options = {}) => openDashboard(browser!, server, { theme: DARK_THEME, ...options }) };
}
