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
import type { ChartKind, EpochColumns, RunSnapshot } from '../../src/core/dashboard/records';
import type { HostToWebview } from '../../src/core/dashboard/protocol';
import { runLabel } from '../../src/core/dashboard/model';

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

// ── realistic runs ─────────────────────────────────────────────────────────────────────────────

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RunShape {
  id: string;
  learningRate: number;
  batchSize?: number;
  epochs: number;
  /** Loss it settles at (label in $100k, so 0.7 ≈ $84k RMSE). */
  floor?: number;
  /** Epochs to fall most of the way. */
  speed?: number;
  noise?: number;
  divergeAt?: number;
  stopAt?: number;
  seed?: number;
  rmse?: boolean;
  accuracy?: boolean;
  createdAt?: string;
}

/** Epoch columns shaped like the hand-tuning lab's curves (MSE of the price in $100k). */
export function curve(shape: RunShape): EpochColumns {
  const r = rng(shape.seed ?? 1);
  const last = Math.min(shape.epochs, shape.stopAt ?? Infinity, shape.divergeAt ?? Infinity);
  const floor = shape.floor ?? 0.7;
  const speed = shape.speed ?? 6;
  const noise = shape.noise ?? 0.03;
  const c: EpochColumns = { epoch: [], elapsedMs: [], metrics: { loss: [], val_loss: [] } };
  if (shape.rmse !== false) c.metrics['val_rmse'] = [];
  if (shape.accuracy) {
    c.metrics['acc'] = [];
    c.metrics['val_acc'] = [];
  }
  for (let e = 1; e <= last; e++) {
    c.epoch.push(e);
    c.elapsedMs.push(e * 37);
    let loss: number | null = floor + (5.6 - floor) * Math.exp(-e / speed) + noise * (r() - 0.5) * 2;
    let val: number | null = loss * 1.04 + noise * (r() - 0.5) * 2;
    if (shape.divergeAt !== undefined && e >= shape.divergeAt - 1) {
      const blow = Math.pow(30, e - shape.divergeAt + 2);
      loss = e === shape.divergeAt ? null : loss * blow;
      val = e === shape.divergeAt ? null : val * blow * 1.2;
    }
    c.metrics['loss']!.push(loss);
    c.metrics['val_loss']!.push(val);
    c.metrics['val_rmse']?.push(val === null ? null : Math.sqrt(Math.max(val, 0)) * 100000);
    if (shape.accuracy) {
      const acc = 0.5 + 0.45 * (1 - Math.exp(-e / speed)) + noise * (r() - 0.5);
      c.metrics['acc']!.push(Math.min(1, acc));
      c.metrics['val_acc']!.push(Math.min(1, acc - 0.03 + noise * (r() - 0.5)));
    }
  }
  return c;
}

export function snapshotRun(shape: RunShape, extra: Partial<RunSnapshot> = {}): RunSnapshot {
  const hyperparameters = { learningRate: shape.learningRate, batchSize: shape.batchSize ?? 32, epochs: shape.epochs };
  const epochs = curve(shape);
  const run: RunSnapshot = {
    id: shape.id,
    label: runLabel(hyperparameters, shape.id),
    hyperparameters,
    status: shape.divergeAt ? 'diverged' : shape.stopAt ? 'cancelled' : 'completed',
    createdAt: shape.createdAt ?? '2026-01-01T10:00:00.000Z',
    backend: 'cpu',
    epochsPlanned: shape.epochs,
    epochs,
    ...extra,
  };
  if (shape.divergeAt) {
    run.diagnosis = `loss diverged at epoch ${shape.divergeAt} — learning rate ${shape.learningRate} is probably too high`;
    run.marker = { kind: 'diverged', epoch: shape.divergeAt, message: run.diagnosis };
  } else if (shape.stopAt) {
    run.marker = { kind: 'cancelled', epoch: shape.stopAt, message: `the run was cancelled at epoch ${shape.stopAt}` };
  }
  return run;
}

export function snapshot(runs: RunSnapshot[], charts: ChartKind[] = ['loss', 'rmse']): HostToWebview {
  return {
    type: 'snapshot',
    lab: { id: 'hand-tuning', title: 'Hand-tuning a linear model', folder: '/labs/hand-tuning', labelUnit: 'dollars' },
    charts,
    runs,
    warnings: [],
  };
}
