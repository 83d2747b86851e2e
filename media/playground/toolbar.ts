// The playground's toolbar: play / step / reset, the epoch counter, preset, engine, speed and
// export, and the note under it that says which preset is loaded.
import type { PlaygroundConfig } from '../../src/core/playground/config';
import { PRESETS } from '../../src/core/playground/presets';
import { PLAYGROUND_PACE, SPEED_CHOICES, type Engine, type Speed } from '../../src/core/playground/protocol';
import { h } from '../common/dom';
import type { ControlEvents, ControlState } from './controlEvents';
import { button, labelled, option, select } from './formControls';

const ENGINE_TITLES: Record<Engine, string> = { exact: 'Exact trainer (float64)', tfjs: 'TensorFlow.js (cpu backend)' };
const LAB_TITLES: Record<string, string> = {
  'nn-playground': 'Neural networks playground',
  'l1-sparsity': 'L1 regularization: sparsity',
  regularization: 'Regularization',
  'learning-rate': 'Learning rate',
};

function speedTitle(s: Speed): string {
  if (s === 'max') return 'As fast as possible';
  const x = s / PLAYGROUND_PACE;
  return x === 1 ? `1× (TF Playground's pace, ${s} epochs/s)` : `${x}× (${s} epochs/s)`;
}

/** The presets, grouped by the lab they belong to. */
function presetGroups(): HTMLOptGroupElement[] {
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const p of PRESETS) {
    let g = groups.get(p.lab);
    if (!g) {
      g = document.createElement('optgroup');
      g.label = LAB_TITLES[p.lab] ?? p.lab;
      groups.set(p.lab, g);
    }
    const o = option(p.id, p.title);
    o.title = p.description;
    g.append(o);
  }
  return [...groups.values()];
}

export class Toolbar {
  readonly el: HTMLElement;
  readonly presetNote = h('p', { class: 'preset-note', attrs: { id: 'preset-note' } });
  private readonly play: HTMLButtonElement;
  private readonly epoch = h('output', { class: 'epoch', attrs: { id: 'epoch', 'aria-label': 'Epoch' } }, '000,000');
  private readonly preset: HTMLSelectElement;
  private readonly engine: HTMLSelectElement;
  private readonly speed: HTMLSelectElement;

  constructor(on: ControlEvents, playing: () => boolean) {
    this.play = button('play', 'Play', 'Train continuously (again to pause)', () => (playing() ? on.pause() : on.play()), 'primary');
    this.play.setAttribute('aria-pressed', 'false');
    this.preset = select('preset', [], (v) => v && on.preset(v));
    this.preset.append(option('', 'Your own settings'), ...presetGroups());
    this.engine = select(
      'engine',
      (['exact', 'tfjs'] as const).map((e) => option(e, ENGINE_TITLES[e])),
      (v) => on.engine(v as Engine),
    );
    this.speed = select(
      'speed',
      SPEED_CHOICES.map((s) => option(String(s), speedTitle(s))),
      (v) => on.speed(v === 'max' ? 'max' : Number(v)),
    );
    this.el = h(
      'div',
      { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Training' } },
      this.play,
      button('step', 'Step', 'Train one epoch', () => on.step()),
      button('reset', 'Reset', 'New initial weights (the data stays)', () => on.reset()),
      h('span', { class: 'epoch-wrap' }, 'Epoch ', this.epoch),
      labelled('preset', 'Preset', this.preset),
      labelled('engine', 'Engine', this.engine),
      labelled('speed', 'Speed', this.speed),
      button('export', 'Export to code', "Write this network as a TensorFlow.js model into your lab's file", () => on.exportCode()),
    );
  }

  set(state: ControlState): void {
    const c = state.config;
    this.play.textContent = state.playing ? 'Pause' : 'Play';
    this.play.setAttribute('aria-pressed', String(state.playing));
    this.play.title = state.playing ? 'Pause training' : 'Train continuously';
    this.preset.value = state.presetId ?? '';
    const p = state.presetId ? PRESETS.find((x) => x.id === state.presetId) : undefined;
    const changed = p ? (Object.keys(p.config) as (keyof PlaygroundConfig)[]).some((k) => JSON.stringify(p.config[k]) !== JSON.stringify(c[k])) : false;
    this.presetNote.textContent = p ? `${changed ? 'Changed since the preset ' : ''}${p.title}: ${p.description}` : '';
    this.engine.value = state.engine;
    this.speed.value = String(state.speed);
    if (this.speed.value !== String(state.speed)) {
      this.speed.append(option(String(state.speed), speedTitle(state.speed)));
      this.speed.value = String(state.speed);
    }
  }

  setEpoch(epoch: number): void {
    // TF Playground's counter: six digits, grouped.
    this.epoch.value =
      epoch < 1e6
        ? String(epoch)
            .padStart(6, '0')
            .replace(/(\d{3})(\d{3})$/, '$1,$2')
        : epoch.toLocaleString('en-US');
  }
}
