// Playground panel benchmark, end to end on TF Playground's default setup (circle, 500 points, 50 %
// train, batch 10, [4, 2], tanh, rate 0.03), trained flat out:
//   1. the trainer child process: epochs per second while it streams heat maps, and frames per
//      second it sends (through PlaygroundHost, acked as the page acks), next to the same trainer
//      run in this process without any drawing — the cost of streaming;
//   2. the real page in headless Chromium wired to a real host and child: frames per second it
//      draws (goal ≥ 30) and how long a redraw takes;
//   3. the page alone, fed recorded frames as fast as it acks them: its ceiling.
// TF Playground's own loop is compared with the trainer in bench/playground-speed.ts (same data and
// weights, side by side); its figure on these machines is quoted here from PERFORMANCE.md.
//
//   node esbuild.js && npx tsc -p test/tsconfig.json && node out/bench/playground-panel.js
//   BENCH_SECONDS=5 node out/bench/playground-panel.js
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../src/core/playground/config';
import { PlaygroundSession } from '../src/core/playground/session';
import { PlaygroundHost } from '../src/core/playground/host';
import type { HostToWebview } from '../src/core/playground/protocol';
import { chromiumAvailable, DARK_THEME, launch } from '../test/browser/dashboardPage';
import { openPlaygroundPage, PlaygroundServer, record, type PageGlobals } from '../test/browser/playgroundPage';
import { median, printTable, REPO_ROOT } from './util';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CHILD = path.join(REPO_ROOT, 'dist', 'playground.js');
/** TF Playground's loop in Node on this setup, recorded on these machines (PERFORMANCE.md). */
const TFP_RECORDED = 3500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => boolean, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** CPU seconds a process has used (Linux; undefined elsewhere). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface InProcessResult {
  epochsPerSecond: number;
  /** Epochs per CPU second: what the trainer costs, whatever else the machine runs. */
  epochsPerCpuSecond: number;
}

/** The trainer in this process, one epoch = a pass + both losses, no drawing. */
function inProcess(seconds: number): InProcessResult {
  const s = new PlaygroundSession(resolveConfig());
  const warm = performance.now();
  while (performance.now() - warm < 300) s.step();
  const e0 = s.epoch;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) s.step();
  const c = process.cpuUsage(c0);
  return { epochsPerSecond: (s.epoch - e0) / ((performance.now() - t0) / 1000), epochsPerCpuSecond: (s.epoch - e0) / ((c.user + c.system) / 1e6) };
}

interface ChildResult {
  epochsPerSecond: number;
  epochsPerCpuSecond: number;
  childFramesPerSecond: number;
  postedPerSecond: number;
  merged: number;
}

/** The child flat out, the host acking, a stand-in page that acks each frame a display frame later. */
async function child(engine: 'exact' | 'tfjs', seconds: number): Promise<ChildResult> {
  let host!: PlaygroundHost;
  const effects = {
    post: (m: HostToWebview) => {
      if (m.type === 'frame') setTimeout(() => void host.receive({ type: 'frameDone', seq: m.seq }), 16);
    },
    exportModel: async () => undefined,
    log: () => undefined,
  };
  host = new PlaygroundHost(effects, { childScript: CHILD, speed: 'max', engine });
  let childFrames = 0;
  host.onChildMessage((m) => {
    if (m.type === 'frame') childFrames++;
  });
  try {
    await host.receive({ type: 'ready' });
    await until('the engine', () => host.engine?.engine === engine);
    host.play();
    await sleep(engine === 'tfjs' ? 1500 : 700);
    const e0 = host.epoch;
    const f0 = childFrames;
    const p0 = host.frameStats.posted;
    const cpu0 = cpuSeconds(host.childPid!);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const dt = (performance.now() - t0) / 1000;
    const cpu1 = cpuSeconds(host.childPid!);
    return {
      epochsPerSecond: (host.epoch - e0) / dt,
      epochsPerCpuSecond: cpu0 !== undefined && cpu1 !== undefined && cpu1 > cpu0 ? (host.epoch - e0) / (cpu1 - cpu0) : NaN,
      childFramesPerSecond: (childFrames - f0) / dt,
      postedPerSecond: (host.frameStats.posted - p0) / dt,
      merged: host.frameStats.merged,
    };
  } finally {
    host.dispose();
  }
}

interface PageResult {
  framesReceivedPerSecond: number;
  framesDrawnPerSecond: number;
  rafPerSecond: number;
  epochsPerSecond: number;
  renderMeanMs: number;
  renderMaxMs: number;
  rejected: number;
}

/** The real page, a real host and child: what the learner sees. */
async function endToEnd(seconds: number): Promise<PageResult> {
  const server = new PlaygroundServer();
  await server.start();
  const browser = await launch();
  let host: PlaygroundHost | undefined;
  try {
    let deliver: (m: HostToWebview) => void = () => undefined;
    host = new PlaygroundHost({ post: (m) => deliver(m), exportModel: async () => undefined, log: () => undefined }, { childScript: CHILD, speed: 'max' });
    const h = host;
    const { page } = await openPlaygroundPage(browser, server, { theme: DARK_THEME, width: 1280, height: 900, toHost: (m) => void h.receive(m) });
    deliver = (m) => void page.evaluate((msg) => (globalThis as unknown as PageGlobals).postMessage(msg, '*'), m).catch(() => undefined);
    // The page said ready before `deliver` was set: say it again now that the answer can reach it.
    await h.receive({ type: 'ready' });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).mlLabsPlayground.state() !== undefined, undefined, { timeout: 60_000 });
    h.play();
    await sleep(1000);
    const r = await page.evaluate(async (ms) => {
      const w = globalThis as unknown as PageGlobals;
      const p = w.mlLabsPlayground;
      let raf = 0;
      let on = true;
      const count = () => {
        raf++;
        if (on) w.requestAnimationFrame(count);
      };
      w.requestAnimationFrame(count);
      const s0 = { ...p.stats };
      const ep0 = Number(p.readouts().epoch.replace(/,/g, ''));
      const t0 = w.performance.now();
      await new Promise((res) => setTimeout(res, ms));
      on = false;
      const dt = (w.performance.now() - t0) / 1000;
      const s1 = p.stats;
      const ep1 = Number(p.readouts().epoch.replace(/,/g, ''));
      return {
        framesReceivedPerSecond: (s1.frames - s0.frames) / dt,
        framesDrawnPerSecond: (s1.framesDrawn - s0.framesDrawn) / dt,
        rafPerSecond: raf / dt,
        epochsPerSecond: (ep1 - ep0) / dt,
        renderMeanMs: (s1.totalRenderMs - s0.totalRenderMs) / Math.max(1, s1.renders - s0.renders),
        renderMaxMs: s1.maxRenderMs,
        rejected: s1.rejected,
      };
    }, seconds * 1000);
    h.pause();
    await page.close();
    const fs_ = h.frameStats;
    console.log(`(end to end: window ${fs_.window}, round trip min ${fs_.roundTripMin} ms, median ${fs_.roundTripMedian} ms, ${fs_.merged} frames merged)`);
    return r;
  } finally {
    host?.dispose();
    await browser.close();
    await server.stop();
  }
}

/** The page alone: recorded frames, each sent as soon as the previous one is acked. */
async function pageCeiling(seconds: number): Promise<{ framesPerSecond: number; renderMeanMs: number; renderP95Ms: number }> {
  const rec = await record({}, 30);
  const server = new PlaygroundServer();
  await server.start();
  const browser = await launch();
  try {
    const { page } = await openPlaygroundPage(browser, server, { theme: DARK_THEME, width: 1280, height: 900 });
    await page.evaluate((m) => (globalThis as unknown as PageGlobals).postMessage(m, '*'), rec.snapshot);
    await sleep(300);
    return await page.evaluate(
      async ({ frames, ms }) => {
        const w = globalThis as unknown as PageGlobals;
        const p = w.mlLabsPlayground;
        const times: number[] = [];
        const t0 = w.performance.now();
        let i = 0;
        let seq = 1000;
        while (w.performance.now() - t0 < ms) {
          const f = frames[i++ % frames.length]!;
          const drawn = p.nextRender();
          w.postMessage({ ...f, seq: seq++, losses: { epoch: [], train: [], test: [] } }, '*');
          times.push(await drawn);
        }
        const dt = (w.performance.now() - t0) / 1000;
        times.sort((a, b) => a - b);
        return {
          framesPerSecond: times.length / dt,
          renderMeanMs: times.reduce((a, b) => a + b, 0) / times.length,
          renderP95Ms: times[Math.floor(times.length * 0.95)]!,
        };
      },
      { frames: rec.frames, ms: seconds * 1000 },
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHILD)) throw new Error('dist/playground.js is missing: run `node esbuild.js` first.');
  const load0 = os.loadavg()[0]!;
  console.log(`Playground panel — Node ${process.version}, TF Playground's default setup, flat out, ${SECONDS} s per measurement`);
  console.log(`machine: ${os.cpus().length} cores, load average ${load0.toFixed(1)} at the start`);
  // Interleaved rounds, so drift in machine load reaches both alike (the machines are shared).
  const raw: InProcessResult[] = [];
  const streamed: ChildResult[] = [];
  for (let round = 0; round < 3; round++) {
    raw.push(inProcess(SECONDS / 2));
    streamed.push(await child('exact', SECONDS));
  }
  const tfjs = await child('tfjs', SECONDS);
  const med = (xs: number[]) => median(xs);
  const exact: ChildResult = {
    epochsPerSecond: med(streamed.map((r) => r.epochsPerSecond)),
    epochsPerCpuSecond: med(streamed.map((r) => r.epochsPerCpuSecond)),
    childFramesPerSecond: med(streamed.map((r) => r.childFramesPerSecond)),
    postedPerSecond: med(streamed.map((r) => r.postedPerSecond)),
    merged: med(streamed.map((r) => r.merged)),
  };
  const inProc: InProcessResult = { epochsPerSecond: med(raw.map((r) => r.epochsPerSecond)), epochsPerCpuSecond: med(raw.map((r) => r.epochsPerCpuSecond)) };
  const cps = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');
  printTable(
    'Trainer child process while the heat map streams (median of 3 interleaved rounds; tfjs: 1 round)',
    [
      [
        'exact trainer, child, streaming',
        exact.epochsPerSecond.toFixed(0),
        cps(exact.epochsPerCpuSecond),
        exact.childFramesPerSecond.toFixed(1),
        exact.postedPerSecond.toFixed(1),
      ],
      ['exact trainer, this process, no drawing', inProc.epochsPerSecond.toFixed(0), cps(inProc.epochsPerCpuSecond), '—', '—'],
      [
        'TensorFlow.js cpu, child, streaming',
        tfjs.epochsPerSecond.toFixed(0),
        cps(tfjs.epochsPerCpuSecond),
        tfjs.childFramesPerSecond.toFixed(1),
        tfjs.postedPerSecond.toFixed(1),
      ],
      [`TF Playground's loop in Node (recorded, PERFORMANCE.md)`, `~${TFP_RECORDED}`, '—', '—', '—'],
    ],
    ['engine', 'epochs/s', 'epochs per CPU s', 'frames/s from the child', 'frames/s to the page'],
  );
  console.log(
    `streaming keeps ${((100 * exact.epochsPerSecond) / inProc.epochsPerSecond).toFixed(0)} % of the trainer's speed in wall time, ` +
      `${((100 * exact.epochsPerCpuSecond) / inProc.epochsPerCpuSecond).toFixed(0)} % per CPU second (the child runs below normal priority, so a busy machine slows it first).`,
  );
  console.log("For TF Playground's own loop side by side with the trainer (same data, same weights): bench/playground-speed.ts.");

  let page: PageResult | undefined;
  let ceiling: Awaited<ReturnType<typeof pageCeiling>> | undefined;
  if (chromiumAvailable()) {
    page = await endToEnd(SECONDS);
    ceiling = await pageCeiling(SECONDS / 2);
    printTable(
      'The page in headless Chromium',
      [
        [
          'real host and child, flat out',
          page.framesReceivedPerSecond.toFixed(1),
          page.framesDrawnPerSecond.toFixed(1),
          page.rafPerSecond.toFixed(1),
          page.renderMeanMs.toFixed(2),
          page.renderMaxMs.toFixed(1),
          page.epochsPerSecond.toFixed(0),
        ],
        [
          'page alone, fed as fast as it acks',
          ceiling.framesPerSecond.toFixed(1),
          ceiling.framesPerSecond.toFixed(1),
          '—',
          ceiling.renderMeanMs.toFixed(2),
          `p95 ${ceiling.renderP95Ms.toFixed(1)}`,
          '—',
        ],
      ],
      ['setup', 'frames received/s', 'frames drawn/s', 'animation frames/s', 'redraw mean ms', 'redraw max ms', 'epochs/s shown'],
    );
    console.log(
      `goal ≥ 30 frames/s: ${page.framesDrawnPerSecond >= 30 ? 'met' : 'NOT met'} (${page.framesDrawnPerSecond.toFixed(1)}); malformed messages: ${page.rejected}`,
    );
    console.log("Messages reach this page through Playwright (one CDP call each way per frame), a longer way than a VS Code webview's.");
  } else {
    console.log('\nChromium not found: the page was not measured.');
  }
  const out = path.join(REPO_ROOT, 'bench', 'results', 'playground-panel.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const load1 = os.loadavg()[0]!;
  console.log(`load average ${load1.toFixed(1)} at the end`);
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        seconds: SECONDS,
        cores: os.cpus().length,
        loadAverage: [load0, load1],
        exact,
        inProcess: inProc,
        tfjs,
        tfPlaygroundRecorded: TFP_RECORDED,
        page,
        pageCeiling: ceiling,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwritten to ${path.relative(REPO_ROOT, out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
