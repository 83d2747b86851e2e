// Loads the built playground page (dist/media) in headless Chromium as VS Code would: the HTML from
// playgroundHtml() with its CSP, served from a local origin, and a stand-in for acquireVsCodeApi
// that records what the page posts (and, for the benchmark, hands it to a host in this process).
// Messages to feed it come from the trainer's own worker, so they are exactly what the host sends.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { PlaygroundWorker } from '../../src/child/playground/trainer';
import { resolveConfig, type PlaygroundConfig } from '../../src/core/playground/config';
import { playgroundHtml } from '../../src/core/playground/html';
import type { ChildFrameMessage, ChildStateMessage, ChildToHost, HostToWebview, SnapshotMessage } from '../../src/core/playground/protocol';
import type { ThemeSetup } from './dashboardPage';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const MEDIA = path.join(ROOT, 'dist', 'media');

export function playgroundBuilt(): boolean {
  return fs.existsSync(path.join(MEDIA, 'playground.js')) && fs.existsSync(path.join(MEDIA, 'playground.css'));
}

/** A local origin serving the page and the bundle; it plays the part of webview.cspSource. */
export class PlaygroundServer {
  private server: http.Server | undefined;
  origin = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          playgroundHtml({
            nonce: randomBytes(18).toString('base64'),
            cspSource: this.origin,
            scriptUri: `${this.origin}/media/playground.js`,
            styleUri: `${this.origin}/media/playground.css`,
          }),
        );
        return;
      }
      const m = /^\/media\/(playground\.(?:js|css)(?:\.map)?)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
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

export interface PageLog {
  console: { type: string; text: string }[];
  errors: string[];
}

export interface OpenOptions {
  state?: unknown;
  theme?: ThemeSetup;
  width?: number;
  height?: number;
  /** Called with every message the page posts (e.g. a PlaygroundHost's receive). */
  toHost?: (message: unknown) => void;
}

/** Opens the playground page; the VS Code API stand-in keeps posted messages in window.__posted. */
export async function openPlaygroundPage(browser: Browser, server: PlaygroundServer, options: OpenOptions = {}): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 } });
  const log: PageLog = { console: [], errors: [] };
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => log.errors.push(String(e)));
  if (options.toHost) {
    const deliver = options.toHost;
    await page.exposeBinding('__mlLabsToHost', (_source, message: unknown) => deliver(message));
  }
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
        postMessage: (m) => {
          const copy = JSON.parse(JSON.stringify(m));
          posted.push(copy);
          if (window.__mlLabsToHost) window.__mlLabsToHost(copy);
        },
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
  await page.waitForFunction(() => 'mlLabsPlayground' in globalThis);
  return { page, log };
}

export interface Posted {
  type: string;
  [k: string]: unknown;
}

/** What the test reads in the page (this program has no DOM types, so it is declared here). */
export interface PageGlobals {
  __posted: Posted[];
  __csp: string[];
  __states: unknown[];
  mlLabsPlayground: Probe;
  postMessage(message: unknown, targetOrigin: string): void;
  requestAnimationFrame(cb: (t: number) => void): number;
  performance: { now(): number };
}

export interface Probe {
  stats: {
    received: number;
    rejected: number;
    frames: number;
    staleFrames: number;
    framesDrawn: number;
    renders: number;
    lastRenderMs: number;
    maxRenderMs: number;
    totalRenderMs: number;
    acks: number;
  };
  state(): { config: PlaygroundConfig; playing: boolean; epoch: number; generation: number; points: number; presetId?: string | null } | undefined;
  heatmap(): { density: number; drawn: number; trainPoints: number; testPoints: number; size: number };
  colorAt(x1: number, x2: number): [number, number, number];
  network(): { sizes: number[]; links: number; linksDrawn: number; dead: number; droppedInputs: string[]; height: number };
  chart(): { points: number; width: number };
  readouts(): { train: string; test: string; epoch: string; rate: string };
  engineText(): string;
  notice(): string;
  view(): { showTest: boolean; discretize: boolean };
  nextRender(): Promise<number>;
}

export async function posted(page: Page): Promise<Posted[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__posted.slice());
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__csp.slice());
}

export async function probe<T>(page: Page, read: (p: Probe) => T): Promise<T> {
  return page.evaluate(`(${read.toString()})(window.mlLabsPlayground)`) as Promise<T>;
}

/** Delivers messages as VS Code does and waits for the frame that draws them (-1 when nothing redrew). */
export async function send(page: Page, messages: unknown[], timeoutMs = 3000): Promise<number> {
  return page.evaluate(
    ({ messages, timeoutMs }) => {
      const w = globalThis as unknown as PageGlobals;
      const rendered = w.mlLabsPlayground.nextRender();
      for (const m of messages) w.postMessage(m, '*');
      return Promise.race([rendered, new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs))]);
    },
    { messages, timeoutMs },
  );
}

/** Runs a UI action and waits for the redraw it causes (-1 on timeout). */
export async function afterRender(page: Page, action: () => Promise<unknown>, timeoutMs = 3000): Promise<number> {
  await page.evaluate('void (window.__nextRender = window.mlLabsPlayground.nextRender())');
  await action();
  return page.evaluate(`Promise.race([window.__nextRender, new Promise((r) => setTimeout(() => r(-1), ${timeoutMs}))])`) as Promise<number>;
}

// ── messages as the host sends them ───────────────────────────────────────────────────────────────

export interface Recorded {
  snapshot: SnapshotMessage;
  state: ChildStateMessage;
  /** One frame per epoch 1…epochs, each carrying that epoch's losses. */
  frames: ChildFrameMessage[];
}

/** Trains `epochs` epochs with the trainer's worker in this process and keeps what it sent. */
export async function record(config: Partial<PlaygroundConfig> = {}, epochs = 5, options: { density?: number; presetId?: string } = {}): Promise<Recorded> {
  const sent: ChildToHost[] = [];
  const worker = new PlaygroundWorker({
    send: (m) => sent.push(JSON.parse(JSON.stringify(m)) as ChildToHost),
    loadTensorFlow: () => Promise.reject(new Error('not in the page tests')),
  });
  worker.handle({
    type: 'init',
    config: resolveConfig(config),
    engine: 'exact',
    speed: 60,
    frameMs: 0,
    density: options.density ?? 100,
    nodeDensity: 10,
    presetId: options.presetId ?? null,
  });
  const frames = (): ChildFrameMessage[] => sent.filter((m): m is ChildFrameMessage => m.type === 'frame');
  const waitFrames = async (n: number) => {
    for (let i = 0; i < 200 && frames().length < n; i++) await new Promise((r) => setTimeout(r, 5));
  };
  await waitFrames(1);
  for (let e = 1; e <= epochs; e++) {
    worker.handle({ type: 'ack', seq: frames().length });
    worker.handle({ type: 'step' });
    await waitFrames(e + 1);
  }
  worker.stop();
  const state = sent.find((m): m is ChildStateMessage => m.type === 'state' && m.effect === 'init')!;
  const engine = sent.find((m) => m.type === 'engine');
  const first = frames()[0]!;
  const { type: _t, ...rest } = state;
  return {
    snapshot: {
      type: 'snapshot',
      state: { ...rest, points: state.points! },
      history: first.losses,
      frame: { ...first, seq: 0, losses: { epoch: [], train: [], test: [] } },
      engineInfo: engine && engine.type === 'engine' ? engine.info : null,
    },
    state,
    frames: frames().slice(1),
  };
}

/** A frame whose heat map is one byte everywhere (to read its colour back from the canvas). */
export function uniformFrame(frame: ChildFrameMessage, byte: number, seq: number): HostToWebview {
  const cells = frame.heatmap.density ** 2;
  return { ...frame, seq, heatmap: { density: frame.heatmap.density, data: Buffer.alloc(cells, byte).toString('base64') } };
}
