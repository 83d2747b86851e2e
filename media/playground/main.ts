// The playground webview: draws what the trainer streams (data points, the output heat map, the
// network, the loss curve) and turns the learner's clicks into messages. Every message received is
// validated; a frame is drawn in the next animation frame and acked (`frameDone`) once drawn, which
// is what lets the host send the next one — so frames never pile up here. The settings survive a
// reload through VS Code's webview state.
import '../common/zodConfig';
import 'uplot/dist/uPlot.min.css';
import './playground.css';
import type { PlaygroundConfig } from '../../src/core/playground/config';
import { problemOf } from '../../src/core/playground/datasets';
import { normalizeFeatures } from '../../src/core/playground/features';
import { LossHistory } from '../../src/core/playground/session';
import {
  parseHostToWebview,
  parseViewState,
  PLAYGROUND_PACE,
  type DataPoints,
  type EngineInfo,
  type FrameData,
  type HostToWebview,
  type LossPoints,
  type PlaygroundViewState,
  type SnapshotMessage,
  type StateData,
  WebviewToHost,
} from '../../src/core/playground/protocol';
import { fill, h } from '../common/dom';
import { decodeBase64, readPalette, type Palette } from './colors';
import { watchTheme } from '../common/frames';
import { DroppedMessages } from '../../src/core/droppedMessages';
import type { ControlState } from './controlEvents';
import { Controls } from './controls';
import { HeatMapView } from './heatmapView';
import { LossChart } from './lossChart';
import { NetworkView } from './networkView';
import type { PlaygroundProbe, PlaygroundStats } from './probe';
import { Readouts } from './readouts';
import { WebviewHost } from '../common/vscodeApi';

const LOG_PREFIX = 'ML Labs playground:';
const TEXT = {
  regenerated: (p: DataPoints) => `New data: ${p.train.x1.length} training and ${p.test.x1.length} test points; the network starts again.`,
  reset: 'The network starts again from new initial weights.',
  playing: 'Training.',
  paused: 'Paused.',
};

interface Dirty {
  heat: boolean;
  points: boolean;
  network: boolean;
  chart: boolean;
  readouts: boolean;
  theme: boolean;
}

class Playground {
  private readonly dropped = new DroppedMessages((text) => console.warn(text));
  private readonly host = new WebviewHost(WebviewToHost, parseViewState);
  private palette: Palette = readPalette();
  private state: StateData | undefined;
  private points: DataPoints | undefined;
  private history = new LossHistory();
  private frame: FrameData | undefined;
  private engineInfo: EngineInfo | null = null;
  private neuronBytes: Uint8Array | undefined;
  private view: { showTest: boolean; discretize: boolean };
  private readonly dirty: Dirty = { heat: true, points: true, network: true, chart: true, readouts: true, theme: false };
  private toAck: number[] = [];
  private raf = 0;
  private renderWaiters: ((ms: number) => void)[] = [];
  readonly stats: PlaygroundStats = {
    received: 0,
    rejected: 0,
    frames: 0,
    staleFrames: 0,
    framesDrawn: 0,
    renders: 0,
    lastRenderMs: 0,
    maxRenderMs: 0,
    totalRenderMs: 0,
    acks: 0,
  };

  private readonly root = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));
  private readonly controls: Controls;
  private readonly heat = new HeatMapView('Output of the network over the plane, with the data points', () => this.resized());
  private readonly network = new NetworkView(() => this.resized());
  private readonly chart = new LossChart();
  private readonly readouts = new Readouts();
  private readonly notice = h('p', { class: 'notice', attrs: { role: 'status', id: 'notice' } });
  private readonly announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });

  constructor() {
    const saved = this.host.loadState();
    this.view = { showTest: saved?.showTest ?? false, discretize: saved?.discretize ?? false };
    this.controls = new Controls({
      change: (changes) => this.post({ type: 'change', changes }),
      play: () => this.post({ type: 'play' }),
      pause: () => this.post({ type: 'pause' }),
      step: () => this.post({ type: 'step' }),
      reset: () => this.post({ type: 'reset' }),
      preset: (id) => this.post({ type: 'preset', id }),
      engine: (engine) => this.post({ type: 'engine', engine }),
      speed: (speed) => this.post({ type: 'speed', speed }),
      exportCode: () => this.post({ type: 'export' }),
      view: (patch) => {
        this.view = { ...this.view, ...patch };
        this.dirty.points = this.dirty.heat = this.dirty.network = true;
        this.saveState();
        this.schedule();
      },
    });
    if (saved)
      this.controls.set({
        config: saved.config,
        playing: false,
        speed: saved.speed ?? PLAYGROUND_PACE,
        engine: saved.engine ?? 'exact',
        presetId: saved.presetId ?? null,
      });
    this.controls.setView(this.view);
    this.buildPage();
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    watchTheme(() => {
      this.dirty.theme = true;
      this.schedule();
    });
    this.post({ type: 'ready' });
  }

  private buildPage(): void {
    this.controls.networkPanel.append(this.network.el);
    const output = h(
      'section',
      { class: 'panel output', attrs: { 'aria-labelledby': 'output-heading' } },
      h('h2', { attrs: { id: 'output-heading' } }, 'Output'),
      this.readouts.losses,
      this.heat.el,
      this.controls.outputToggles,
      this.chart.el,
    );
    fill(
      this.root,
      h('header', {}, h('h1', {}, 'Playground'), this.controls.toolbar),
      this.controls.presetNote,
      this.notice,
      h(
        'div',
        { class: 'layout' },
        h('div', { class: 'column' }, this.controls.dataPanel, this.controls.featuresPanel),
        h('div', { class: 'column wide' }, this.controls.networkPanel, this.controls.trainingPanel),
        h('div', { class: 'column' }, output, this.readouts.engine),
      ),
      this.announcer,
    );
  }

  // ── messages ────────────────────────────────────────────────────────────────────────────────

  private receive(raw: unknown): void {
    this.stats.received++;
    const parsed = parseHostToWebview(raw);
    if (!parsed.ok) {
      this.dropped.drop(() => `${LOG_PREFIX} dropped a malformed message ${parsed.reason}`);
      this.stats.rejected = this.dropped.total;
      return;
    }
    this.apply(parsed.message);
    this.schedule();
  }

  private apply(m: HostToWebview): void {
    switch (m.type) {
      case 'snapshot':
        return this.applySnapshot(m);
      case 'state':
        return this.applyState(m);
      case 'frame':
        this.stats.frames++;
        if (!this.state || m.generation !== this.state.generation) {
          // A network that was replaced: nothing to draw, but the host waits for the ack.
          this.stats.staleFrames++;
          this.ack(m.seq);
          return;
        }
        this.frame = m;
        this.addLosses(m.losses);
        this.toAck.push(m.seq);
        this.dirty.heat = this.dirty.network = this.dirty.chart = this.dirty.readouts = true;
        return;
      case 'engine':
        this.engineInfo = m.info;
        this.dirty.readouts = true;
        return;
      case 'notice':
        this.say(m.text, m.level);
        return;
    }
  }

  private applySnapshot(m: SnapshotMessage): void {
    const { points, ...rest } = m.state;
    this.state = { type: 'state', ...rest };
    this.points = points;
    this.history = new LossHistory();
    this.addLosses(m.history);
    this.frame = m.frame ?? undefined;
    this.engineInfo = m.engineInfo;
    this.controls.set(this.controlState());
    this.root.setAttribute('aria-busy', 'false');
    this.markAll();
    this.saveState();
  }

  private applyState(m: StateData): void {
    const before = this.state;
    const { points, ...rest } = m;
    this.state = rest;
    if (points) this.points = points;
    if (m.effect === 'reset' || m.effect === 'regenerate' || m.effect === 'init' || (before && before.generation !== m.generation)) {
      this.history = new LossHistory();
      this.frame = undefined;
      this.heat.clearHeat();
      this.markAll();
      this.announce(m.effect === 'regenerate' && points ? TEXT.regenerated(points) : TEXT.reset);
    }
    if (before && before.playing !== m.playing) this.announce(m.playing ? TEXT.playing : TEXT.paused);
    this.controls.set(this.controlState());
    this.dirty.readouts = true;
    this.saveState();
  }

  private addLosses(p: LossPoints): void {
    for (let i = 0; i < p.epoch.length; i++) this.history.add(p.epoch[i]!, p.train[i] ?? NaN, p.test[i] ?? NaN);
  }

  private controlState(): ControlState {
    const s = this.state!;
    return { config: s.config, playing: s.playing, speed: s.speed, engine: s.engine, presetId: s.presetId ?? null };
  }

  private post(message: WebviewToHost): void {
    const error = this.host.post(message);
    if (error) this.say(`Could not send "${message.type}" to VS Code: ${error}`, 'error');
  }

  private ack(seq: number): void {
    this.stats.acks++;
    this.post({ type: 'frameDone', seq });
  }

  private saveState(): void {
    if (!this.state) return;
    const state: PlaygroundViewState = {
      version: 1,
      config: this.state.config,
      presetId: this.state.presetId ?? null,
      engine: this.state.engine,
      speed: this.state.speed,
      showTest: this.view.showTest,
      discretize: this.view.discretize,
    };
    this.host.saveState(state);
  }

  // ── drawing ─────────────────────────────────────────────────────────────────────────────────

  private markAll(): void {
    this.dirty.heat = this.dirty.points = this.dirty.network = this.dirty.chart = this.dirty.readouts = true;
  }

  private resized(): void {
    this.markAll();
    this.schedule();
  }

  private schedule(): void {
    if (!this.raf) this.raf = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.raf = 0;
    const t0 = performance.now();
    const d = this.dirty;
    let rebuildChart = false;
    if (d.theme) {
      this.palette = readPalette();
      this.markAll();
      rebuildChart = true;
      d.theme = false;
    }
    const config: PlaygroundConfig | undefined = this.state?.config;
    const regression = config ? problemOf(config.dataset) === 'regression' : false;
    if (d.points) {
      this.heat.drawPoints(this.palette, this.points, this.view.showTest, regression);
      d.points = false;
    }
    if (d.heat && this.frame) {
      this.heat.setHeat(this.frame.heatmap);
      this.heat.drawHeat(this.palette, this.view.discretize);
      this.stats.framesDrawn++;
    }
    d.heat = false;
    if (d.network && config) {
      const f = this.frame;
      this.neuronBytes = f ? decodeBase64(f.neurons.data, this.neuronBytes) : undefined;
      this.network.draw(this.palette, normalizeFeatures(config.features), f?.network, this.neuronBytes, f?.neurons.density ?? 10, this.view.discretize);
      d.network = false;
    }
    if (d.chart) {
      this.chart.update(this.history, this.palette, rebuildChart);
      d.chart = false;
    }
    if (d.readouts) {
      this.renderReadouts();
      d.readouts = false;
    }
    const ms = performance.now() - t0;
    this.stats.renders++;
    this.stats.lastRenderMs = ms;
    this.stats.totalRenderMs += ms;
    this.stats.maxRenderMs = Math.max(this.stats.maxRenderMs, ms);
    // Drawn: the host may send the next frame.
    const acks = this.toAck;
    this.toAck = [];
    for (const seq of acks) this.ack(seq);
    const waiters = this.renderWaiters;
    this.renderWaiters = [];
    for (const w of waiters) w(ms);
  }

  private renderReadouts(): void {
    const f = this.frame;
    const epoch = f ? f.epoch : (this.state?.epoch ?? 0);
    this.controls.setEpoch(Math.max(epoch, this.state?.epoch ?? 0));
    this.readouts.render(f, this.history, this.state?.playing ?? false, this.engineInfo);
    const c = this.state?.config;
    if (c)
      this.heat.describe(
        `Output of the network over the plane: ${c.dataset} data, ${this.points ? this.points.train.x1.length : 0} training points${this.view.showTest ? ' and the test points' : ''}.`,
      );
  }

  private say(text: string, level: 'info' | 'warn' | 'error'): void {
    this.notice.textContent = text;
    this.notice.dataset['level'] = level;
    this.announce(text);
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }

  probe(): PlaygroundProbe {
    return {
      stats: this.stats,
      state: () => {
        if (!this.state) return undefined;
        const { type: _t, ...s } = this.state;
        return { ...s, points: this.points ? this.points.train.x1.length + this.points.test.x1.length : 0 };
      },
      heatmap: () => this.heat.info(),
      colorAt: (x1, x2) => this.heat.colorAt(x1, x2),
      network: () => this.network.info(),
      chart: () => this.chart.info(),
      readouts: () => {
        const { train, test, rate } = this.readouts.values();
        return { train, test, epoch: (document.getElementById('epoch') as HTMLOutputElement).value, rate };
      },
      engineText: () => this.readouts.engineText(),
      notice: () => this.notice.textContent ?? '',
      view: () => ({ ...this.view }),
      nextRender: () => new Promise<number>((resolve) => this.renderWaiters.push(resolve)),
    };
  }
}

const playground = new Playground();
Object.defineProperty(window, 'mlLabsPlayground', { value: playground.probe(), writable: false, configurable: false });
