// TF Playground's controls as native form elements (so they work with the keyboard and screen
// readers): data set, noise, train share, batch size, seed, features, layers and neurons,
// activation, learning rate, regularization and its rate, plus play / step / reset, preset, engine,
// speed and export. A control reports a change at once; the host's state then sets every control,
// so a refused change springs back.
import { DEFAULT_CONFIG, LEARNING_RATE_CHOICES, REGULARIZATION_RATE_CHOICES, type PlaygroundConfig } from '../../src/core/playground/config';
import { FEATURE_IDS, FEATURES, type FeatureId } from '../../src/core/playground/features';
import { REGULARIZATIONS } from '../../src/core/playground/network';
import { PLAYGROUND_PACE } from '../../src/core/playground/protocol';
import { h } from '../common/dom';
import type { ControlEvents, ControlState } from './controlEvents';
import { DataPanel } from './dataPanel';
import { labelled, option, select, setChoice } from './formControls';
import { NetworkPanel } from './networkPanel';
import { Toolbar } from './toolbar';

const REGULARIZATION_TITLES: Record<(typeof REGULARIZATIONS)[number], string> = { none: 'None', L1: 'L1', L2: 'L2' };

export class Controls {
  readonly toolbar: HTMLElement;
  readonly dataPanel: HTMLElement;
  readonly featuresPanel: HTMLElement;
  readonly networkPanel: HTMLElement;
  readonly trainingPanel: HTMLElement;
  readonly outputToggles: HTMLElement;
  readonly presetNote: HTMLElement;

  private state: ControlState = {
    config: { ...DEFAULT_CONFIG, features: [...DEFAULT_CONFIG.features], hidden: [...DEFAULT_CONFIG.hidden] },
    playing: false,
    speed: PLAYGROUND_PACE,
    engine: 'exact',
    presetId: null,
  };
  private readonly bar: Toolbar;
  private readonly data: DataPanel;
  private readonly network: NetworkPanel;
  private readonly features = new Map<FeatureId, HTMLInputElement>();
  private readonly learningRate: HTMLSelectElement;
  private readonly regularization: HTMLSelectElement;
  private readonly regularizationRate: HTMLSelectElement;
  readonly showTest = h('input', { attrs: { type: 'checkbox', id: 'show-test' } });
  readonly discretize = h('input', { attrs: { type: 'checkbox', id: 'discretize' } });

  constructor(on: ControlEvents) {
    this.bar = new Toolbar(on, () => this.state.playing);
    this.data = new DataPanel(on, () => this.state.config);
    this.network = new NetworkPanel(on, () => this.state.config.hidden);
    this.toolbar = this.bar.el;
    this.presetNote = this.bar.presetNote;
    this.dataPanel = this.data.el;
    this.networkPanel = this.network.el;
    this.featuresPanel = this.buildFeatures(on);

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

  /** The Features panel: a box per input feature; ticking one reports every feature ticked. */
  private buildFeatures(on: ControlEvents): HTMLElement {
    const boxes = FEATURE_IDS.map((id) => {
      const box = h('input', { attrs: { type: 'checkbox', id: `feature-${id}` } });
      box.addEventListener('change', () => {
        const chosen = FEATURE_IDS.filter((f) => this.features.get(f)!.checked);
        on.change({ features: chosen });
      });
      this.features.set(id, box);
      return h('label', { class: 'check', attrs: { for: `feature-${id}` } }, box, FEATURES[id].label);
    });
    return h(
      'section',
      { class: 'panel', attrs: { 'aria-labelledby': 'features-heading' } },
      h('h2', { attrs: { id: 'features-heading' } }, 'Features'),
      h('fieldset', { class: 'features' }, h('legend', { class: 'sr-only' }, 'Input features'), ...boxes),
    );
  }

  /** Sets every control from the host's state. */
  set(state: ControlState): void {
    const c = state.config;
    const before = this.state.config;
    this.state = state;
    this.bar.set(state);
    this.data.set(c, before);
    for (const [id, box] of this.features) box.checked = c.features.includes(id);
    this.network.set(c, before);
    setChoice(this.learningRate, c.learningRate);
    this.regularization.value = c.regularization;
    setChoice(this.regularizationRate, c.regularizationRate);
    this.regularizationRate.disabled = c.regularization === 'none';
  }

  setEpoch(epoch: number): void {
    this.bar.setEpoch(epoch);
  }

  setView(view: { showTest: boolean; discretize: boolean }): void {
    this.showTest.checked = view.showTest;
    this.discretize.checked = view.discretize;
  }
}
