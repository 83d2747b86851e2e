// The Data panel: problem type, data set, train share, noise, batch size and seed.
import { LIMITS, type PlaygroundConfig } from '../../src/core/playground/config';
import {
  CLASSIFICATION_DATASETS,
  DATASET_TITLES,
  NOISE_RANGE,
  problemOf,
  REGRESSION_DATASETS,
  TRAIN_SHARE_RANGE,
  type DatasetKind,
} from '../../src/core/playground/datasets';
import { fill, h } from '../common/dom';
import type { ControlEvents } from './controlEvents';
import { button, labelled, option, select, slider, type Slider } from './formControls';

export class DataPanel {
  readonly el: HTMLElement;
  private readonly problem: HTMLSelectElement;
  private readonly datasets = h('div', { class: 'datasets', attrs: { role: 'radiogroup', 'aria-labelledby': 'dataset-legend' } });
  private readonly trainShare: Slider;
  private readonly noise: Slider;
  private readonly batch: Slider;
  private readonly seed = h('input', { attrs: { type: 'text', id: 'seed', maxlength: '64', spellcheck: 'false', autocomplete: 'off' } });

  /** `config` is the host's settings as last set (a refused seed springs back to its seed). */
  constructor(
    private readonly on: ControlEvents,
    config: () => PlaygroundConfig,
  ) {
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
      else this.seed.value = config().seed;
    });
    this.el = h(
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
  }

  /** Sets the panel from the host's settings; `before` were the settings it showed. */
  set(c: PlaygroundConfig, before: PlaygroundConfig): void {
    const problem = problemOf(c.dataset);
    this.problem.value = problem;
    if (problem !== problemOf(before.dataset) || !this.datasets.childElementCount) this.buildDatasets(problem);
    for (const input of this.datasets.querySelectorAll('input')) input.checked = input.value === c.dataset;
    this.trainShare.set(c.trainShare);
    this.noise.set(c.noise);
    this.batch.set(c.batchSize);
    if (document.activeElement !== this.seed) this.seed.value = c.seed;
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
}
