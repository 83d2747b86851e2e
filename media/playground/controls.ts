// TF Playground's controls as native form elements (so they work with the keyboard and screen
// readers): data set, noise, train share, batch size, seed, features, layers and neurons,
// activation, learning rate, regularization and its rate, plus play / step / reset, preset, engine,
// speed and export. A control reports a change at once; the host's state then sets every control,
// so a refused change springs back.
import {
  DEFAULT_CONFIG,
  LEARNING_RATE_CHOICES,
  LIMITS,
  REGULARIZATION_RATE_CHOICES,
  type PlaygroundConfig,
  type PlaygroundConfigChange,
} from '../../src/core/playground/config';
import {
  CLASSIFICATION_DATASETS,
  DATASET_TITLES,
  NOISE_RANGE,
  problemOf,
  REGRESSION_DATASETS,
  TRAIN_SHARE_RANGE,
  type DatasetKind,
} from '../../src/core/playground/datasets';
import { FEATURE_IDS, FEATURES, type FeatureId } from '../../src/core/playground/features';
import { ACTIVATIONS, REGULARIZATIONS } from '../../src/core/playground/network';
import { PRESETS } from '../../src/core/playground/presets';
import { PLAYGROUND_PACE, SPEED_CHOICES, type Engine, type Speed } from '../../src/core/playground/protocol';
import { fill, h } from '../dashboard/dom';

export interface ControlEvents {
  change(changes: PlaygroundConfigChange): void;
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
  preset(id: string): void;
  engine(engine: Engine): void;
  speed(speed: Speed): void;
  exportCode(): void;
  view(patch: { showTest?: boolean; discretize?: boolean }): void;
}

export interface ControlState {
  config: PlaygroundConfig;
  playing: boolean;
  speed: Speed;
  engine: Engine;
  presetId: string | null;
}

const ACTIVATION_TITLES: Record<(typeof ACTIVATIONS)[number], string> = { relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: 'Linear' };
const REGULARIZATION_TITLES: Record<(typeof REGULARIZATIONS)[number], string> = { none: 'None', L1: 'L1', L2: 'L2' };
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

function option(value: string, text: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function select(id: string, options: HTMLOptionElement[] | HTMLOptGroupElement[], onChange: (value: string) => void): HTMLSelectElement {
  const s = h('select', { attrs: { id } });
  s.append(...options);
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

function labelled(id: string, text: string, control: HTMLElement, extra?: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, text), control, extra);
}

/** A range input whose value shows beside it; reports on release (and on each key press). */
function slider(
  id: string,
  min: number,
  max: number,
  step: number,
  format: (v: number) => string,
  onChange: (v: number) => void,
): { el: HTMLElement; input: HTMLInputElement; set(v: number): void } {
  const input = h('input', { attrs: { type: 'range', id, min: String(min), max: String(max), step: String(step) } });
  const out = h('output', { attrs: { for: id } });
  input.addEventListener('input', () => (out.value = format(Number(input.value))));
  input.addEventListener('change', () => onChange(Number(input.value)));
  return {
    el: h('div', { class: 'slider' }, input, out),
    input,
    set: (v: number) => {
      input.value = String(v);
      out.value = format(v);
    },
  };
}

function button(id: string, text: string, title: string, onClick: () => void, cls = 'secondary'): HTMLButtonElement {
  return h('button', { class: cls, attrs: { type: 'button', id, title }, on: { click: onClick } }, text);
}

export class Controls {
  readonly toolbar: HTMLElement;
  readonly dataPanel: HTMLElement;
  readonly featuresPanel: HTMLElement;
  readonly networkPanel: HTMLElement;
  readonly trainingPanel: HTMLElement;
  readonly outputToggles: HTMLElement;
  readonly presetNote = h('p', { class: 'preset-note', attrs: { id: 'preset-note' } });

  private state: ControlState = {
    config: { ...DEFAULT_CONFIG, features: [...DEFAULT_CONFIG.features], hidden: [...DEFAULT_CONFIG.hidden] },
    playing: false,
    speed: PLAYGROUND_PACE,
    engine: 'exact',
    presetId: null,
  };
  private readonly play: HTMLButtonElement;
  private readonly epoch = h('output', { class: 'epoch', attrs: { id: 'epoch', 'aria-label': 'Epoch' } }, '000,000');
  private readonly preset: HTMLSelectElement;
  private readonly engine: HTMLSelectElement;
  private readonly speed: HTMLSelectElement;
  private readonly problem: HTMLSelectElement;
  private readonly datasets = h('div', { class: 'datasets', attrs: { role: 'radiogroup', 'aria-labelledby': 'dataset-legend' } });
  private readonly trainShare;
  private readonly noise;
  private readonly batch;
  private readonly seed = h('input', { attrs: { type: 'text', id: 'seed', maxlength: '64', spellcheck: 'false', autocomplete: 'off' } });
  private readonly features = new Map<FeatureId, HTMLInputElement>();
  private readonly layers = h('div', { class: 'layers' });
  private readonly layerCount = h('output', { attrs: { id: 'layer-count', 'aria-live': 'polite' } });
  private readonly activation: HTMLSelectElement;
  private readonly learningRate: HTMLSelectElement;
  private readonly regularization: HTMLSelectElement;
  private readonly regularizationRate: HTMLSelectElement;
  readonly showTest = h('input', { attrs: { type: 'checkbox', id: 'show-test' } });
  readonly discretize = h('input', { attrs: { type: 'checkbox', id: 'discretize' } });

  constructor(private readonly on: ControlEvents) {
    // ── toolbar ──
    this.play = button('play', 'Play', 'Train continuously (again to pause)', () => (this.state.playing ? on.pause() : on.play()), 'primary');
    this.play.setAttribute('aria-pressed', 'false');
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
    this.preset = select('preset', [], (v) => v && on.preset(v));
    this.preset.append(option('', 'Your own settings'), ...groups.values());
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
    this.toolbar = h(
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

    // ── data ──
    this.problem = select('problem', [option('classification', 'Classification'), option('regression', 'Regression')], (v) => {
      const kind: DatasetKind = v === 'regression' ? REGRESSION_DATASETS[0] : CLASSIFICATION_DATASETS[0];
      on.change({ dataset: kind });
    });
    this.trainShare = slider(
      'train-share',
      TRAIN_SHARE_RANGE.min,
      TRAIN_SHARE_RANGE.max,
      10,
      (v) => `${v}%`,
      (v) => on.change({ trainShare: v }),
    );
    this.noise = slider(
      'noise',
      NOISE_RANGE.min,
      NOISE_RANGE.max,
      5,
      (v) => String(v),
      (v) => on.change({ noise: v }),
    );
    this.batch = slider(
      'batch',
      LIMITS.minBatchSize,
      LIMITS.maxBatchSize,
      1,
      (v) => String(v),
      (v) => on.change({ batchSize: v }),
    );
    this.seed.addEventListener('change', () => {
      const s = this.seed.value.trim();
      if (s.length >= 1 && s.length <= 64) on.change({ seed: s });
      else this.seed.value = this.state.config.seed;
    });
    this.dataPanel = h(
      'section',
      { class: 'panel', attrs: { 'aria-labelledby': 'data-heading' } },
      h('h2', { attrs: { id: 'data-heading' } }, 'Data'),
      labelled('problem', 'Problem type', this.problem),
      h('fieldset', {}, h('legend', { attrs: { id: 'dataset-legend' } }, 'Data set'), this.datasets),
      labelled('train-share', 'Ratio of training to test data', this.trainShare.el),
      labelled('noise', 'Noise', this.noise.el),
      labelled('batch', 'Batch size', this.batch.el),
      labelled(
        'seed',
        'Seed',
        this.seed,
        button('new-seed', 'Regenerate', 'New data from a new seed', () => on.change({ seed: Math.random().toFixed(5) })),
      ),
    );

    // ── features ──
    const boxes = FEATURE_IDS.map((id) => {
      const box = h('input', { attrs: { type: 'checkbox', id: `feature-${id}` } });
      box.addEventListener('change', () => {
        const chosen = FEATURE_IDS.filter((f) => this.features.get(f)!.checked);
        on.change({ features: chosen });
      });
      this.features.set(id, box);
      return h('label', { class: 'check', attrs: { for: `feature-${id}` } }, box, FEATURES[id].label);
    });
    this.featuresPanel = h(
      'section',
      { class: 'panel', attrs: { 'aria-labelledby': 'features-heading' } },
      h('h2', { attrs: { id: 'features-heading' } }, 'Features'),
      h('fieldset', { class: 'features' }, h('legend', { class: 'sr-only' }, 'Input features'), ...boxes),
    );

    // ── network ──
    this.activation = select(
      'activation',
      ACTIVATIONS.map((a) => option(a, ACTIVATION_TITLES[a])),
      (v) => on.change({ activation: v as PlaygroundConfig['activation'] }),
    );
    this.networkPanel = h(
      'section',
      { class: 'panel', attrs: { 'aria-labelledby': 'network-heading' } },
      h('h2', { attrs: { id: 'network-heading' } }, 'Network'),
      h(
        'div',
        { class: 'field layer-field' },
        h('span', { attrs: { id: 'layers-label' } }, 'Hidden layers'),
        button('layers-remove', '−', 'Remove the last hidden layer', () => this.changeLayers(-1)),
        this.layerCount,
        button('layers-add', '+', 'Add a hidden layer', () => this.changeLayers(1)),
      ),
      this.layers,
      labelled('activation', 'Activation', this.activation),
    );

    // ── training ──
    this.learningRate = select(
      'learning-rate',
      LEARNING_RATE_CHOICES.map((r) => option(String(r), String(r))),
      (v) => on.change({ learningRate: Number(v) }),
    );
    this.regularization = select(
      'regularization',
      REGULARIZATIONS.map((r) => option(r, REGULARIZATION_TITLES[r])),
      (v) => on.change({ regularization: v as PlaygroundConfig['regularization'] }),
    );
    this.regularizationRate = select(
      'regularization-rate',
      REGULARIZATION_RATE_CHOICES.map((r) => option(String(r), String(r))),
      (v) => on.change({ regularizationRate: Number(v) }),
    );
    this.trainingPanel = h(
      'section',
      { class: 'panel', attrs: { 'aria-labelledby': 'training-heading' } },
      h('h2', { attrs: { id: 'training-heading' } }, 'Training'),
      labelled('learning-rate', 'Learning rate', this.learningRate),
      labelled('regularization', 'Regularization', this.regularization),
      labelled('regularization-rate', 'Regularization rate', this.regularizationRate),
    );

    // ── output view toggles ──
    this.showTest.addEventListener('change', () => on.view({ showTest: this.showTest.checked }));
    this.discretize.addEventListener('change', () => on.view({ discretize: this.discretize.checked }));
    this.outputToggles = h(
      'div',
      { class: 'toggles' },
      h('label', { class: 'check', attrs: { for: 'show-test' } }, this.showTest, 'Show test data'),
      h('label', { class: 'check', attrs: { for: 'discretize' } }, this.discretize, 'Discretize output'),
    );
    this.set(this.state);
  }

  /** Sets every control from the host's state. */
  set(state: ControlState): void {
    const c = state.config;
    const prevHidden = this.state.config.hidden.join();
    const prevProblem = problemOf(this.state.config.dataset);
    this.state = state;
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
    const problem = problemOf(c.dataset);
    this.problem.value = problem;
    if (problem !== prevProblem || !this.datasets.childElementCount) this.buildDatasets(problem);
    for (const input of this.datasets.querySelectorAll('input')) input.checked = input.value === c.dataset;
    this.trainShare.set(c.trainShare);
    this.noise.set(c.noise);
    this.batch.set(c.batchSize);
    if (document.activeElement !== this.seed) this.seed.value = c.seed;
    for (const [id, box] of this.features) box.checked = c.features.includes(id);
    if (c.hidden.join() !== prevHidden || !this.layers.childElementCount) this.buildLayers(c.hidden);
    this.layerCount.value = String(c.hidden.length);
    (this.networkPanel.querySelector('#layers-remove') as HTMLButtonElement).disabled = c.hidden.length === 0;
    (this.networkPanel.querySelector('#layers-add') as HTMLButtonElement).disabled = c.hidden.length >= LIMITS.maxHiddenLayers;
    this.activation.value = c.activation;
    setChoice(this.learningRate, c.learningRate);
    this.regularization.value = c.regularization;
    setChoice(this.regularizationRate, c.regularizationRate);
    this.regularizationRate.disabled = c.regularization === 'none';
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

  setView(view: { showTest: boolean; discretize: boolean }): void {
    this.showTest.checked = view.showTest;
    this.discretize.checked = view.discretize;
  }

  private buildDatasets(problem: 'classification' | 'regression'): void {
    const kinds: readonly DatasetKind[] = problem === 'regression' ? REGRESSION_DATASETS : CLASSIFICATION_DATASETS;
    fill(
      this.datasets,
      ...kinds.map((k) => {
        const input = h('input', { attrs: { type: 'radio', name: 'dataset', id: `dataset-${k}`, value: k } });
        input.addEventListener('change', () => input.checked && this.on.change({ dataset: k }));
        return h('label', { class: 'check', attrs: { for: `dataset-${k}` } }, input, DATASET_TITLES[k]);
      }),
    );
  }

  private buildLayers(hidden: readonly number[]): void {
    // The rows are rebuilt: keep the keyboard focus on the button that was pressed.
    const focused = this.layers.contains(document.activeElement) ? document.activeElement!.id : '';
    fill(
      this.layers,
      ...hidden.map((n, i) =>
        h(
          'div',
          { class: 'field layer-row' },
          h('span', { attrs: { id: `layer-${i}-label` } }, `Layer ${i + 1}`),
          button(`neurons-remove-${i}`, '−', `One neuron fewer in layer ${i + 1}`, () => this.changeNeurons(i, -1)),
          h('output', { attrs: { id: `neurons-${i}`, 'aria-label': `Neurons in layer ${i + 1}` } }, String(n)),
          button(`neurons-add-${i}`, '+', `One neuron more in layer ${i + 1}`, () => this.changeNeurons(i, 1)),
          h('span', { class: 'muted' }, n === 1 ? 'neuron' : 'neurons'),
        ),
      ),
    );
    hidden.forEach((n, i) => {
      (this.layers.querySelector(`#neurons-remove-${i}`) as HTMLButtonElement).disabled = n <= LIMITS.minNeurons;
      (this.layers.querySelector(`#neurons-add-${i}`) as HTMLButtonElement).disabled = n >= LIMITS.maxNeurons;
    });
    if (focused) (this.layers.querySelector(`#${focused}`) as HTMLElement | null)?.focus();
  }

  private changeLayers(delta: number): void {
    const hidden = [...this.state.config.hidden];
    if (delta > 0 && hidden.length < LIMITS.maxHiddenLayers) hidden.push(2);
    else if (delta < 0 && hidden.length > 0) hidden.pop();
    else return;
    this.on.change({ hidden });
  }

  private changeNeurons(layer: number, delta: number): void {
    const hidden = [...this.state.config.hidden];
    const n = (hidden[layer] ?? 0) + delta;
    if (n < LIMITS.minNeurons || n > LIMITS.maxNeurons) return;
    hidden[layer] = n;
    this.on.change({ hidden });
  }
}

/** Selects `value`, adding it as a choice when the list lacks it (a preset or saved state may use any value). */
function setChoice(s: HTMLSelectElement, value: number): void {
  const v = String(value);
  if (![...s.options].some((o) => o.value === v)) s.append(option(v, v));
  s.value = v;
}
