// The Network panel: hidden layers and their neurons (added and removed with buttons), and the
// activation. The page appends the drawing of the network below them.
import { LIMITS, type PlaygroundConfig } from '../../src/core/playground/config';
import { ACTIVATIONS } from '../../src/core/playground/network';
import { fill, h } from '../common/dom';
import type { ControlEvents } from './controlEvents';
import { button, labelled, option, select } from './formControls';

const ACTIVATION_TITLES: Record<(typeof ACTIVATIONS)[number], string> = { relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: 'Linear' };

export class NetworkPanel {
  readonly el: HTMLElement;
  private readonly layers = h('div', { class: 'layers' });
  private readonly layerCount = h('output', { attrs: { id: 'layer-count', 'aria-live': 'polite' } });
  private readonly activation: HTMLSelectElement;

  /** `hidden` is the host's hidden layers as last set: a button press changes those. */
  constructor(
    private readonly on: ControlEvents,
    private readonly hidden: () => readonly number[],
  ) {
    this.activation = select(
      'activation',
      ACTIVATIONS.map((a) => option(a, ACTIVATION_TITLES[a])),
      (v) => on.change({ activation: v as PlaygroundConfig['activation'] }),
    );
    this.el = h(
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
  }

  /** Sets the panel from the host's settings; `before` were the settings it showed. */
  set(c: PlaygroundConfig, before: PlaygroundConfig): void {
    if (c.hidden.join() !== before.hidden.join() || !this.layers.childElementCount) this.buildLayers(c.hidden);
    this.layerCount.value = String(c.hidden.length);
    (this.el.querySelector('#layers-remove') as HTMLButtonElement).disabled = c.hidden.length === 0;
    (this.el.querySelector('#layers-add') as HTMLButtonElement).disabled = c.hidden.length >= LIMITS.maxHiddenLayers;
    this.activation.value = c.activation;
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
    const hidden = [...this.hidden()];
    if (delta > 0 && hidden.length < LIMITS.maxHiddenLayers) hidden.push(2);
    else if (delta < 0 && hidden.length > 0) hidden.pop();
    else return;
    this.on.change({ hidden });
  }

  private changeNeurons(layer: number, delta: number): void {
    const hidden = [...this.hidden()];
    const n = (hidden[layer] ?? 0) + delta;
    if (n < LIMITS.minNeurons || n > LIMITS.maxNeurons) return;
    hidden[layer] = n;
    this.on.change({ hidden });
  }
}
