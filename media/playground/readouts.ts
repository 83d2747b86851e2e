// The numbers beside the output: test and training loss, epochs per second, and the engine panel
// (which engine trains, why, and how far TensorFlow.js's losses are from the exact trainer's).
import { formatLoss, NO_VALUE } from '../../src/core/format';
import type { LossHistory } from '../../src/core/playground/session';
import type { EngineInfo, FrameData } from '../../src/core/playground/protocol';
import { h } from '../common/dom';

const TEXT = {
  engineTitle: (info: EngineInfo) =>
    info.engine === 'exact' ? `Engine: exact trainer (${info.backend})` : `Engine: TensorFlow.js ${info.versions['tfjs'] ?? ''} (${info.backend} backend)`,
  agreement: (gap: number | null | undefined) =>
    gap === null || gap === undefined
      ? ''
      : `Largest gap between TensorFlow.js's losses and the exact trainer's so far: ${gap === 0 ? '0' : gap.toExponential(1)} (float32 against float64).`,
};

function nullable(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export class Readouts {
  private readonly testLoss = h('output', { attrs: { id: 'test-loss' } }, NO_VALUE);
  private readonly trainLoss = h('output', { attrs: { id: 'train-loss' } }, NO_VALUE);
  private readonly rate = h('span', { class: 'muted', attrs: { id: 'rate' } });
  private readonly engineSummary = h('summary', {}, 'Engine: starting…');
  private readonly engineReason = h('p', { class: 'muted' });
  private readonly engineAgreement = h('p', { attrs: { id: 'agreement' } });
  /** The losses and the rate, in a row. */
  readonly losses = h('div', { class: 'readouts' }, h('span', {}, 'Test loss ', this.testLoss), h('span', {}, 'Training loss ', this.trainLoss), this.rate);
  readonly engine = h('details', { class: 'panel engine', attrs: { id: 'engine-info' } }, this.engineSummary, this.engineReason, this.engineAgreement);

  /** The last frame's losses, or before any frame the history's last; the rate only while playing. */
  render(f: FrameData | undefined, history: LossHistory, playing: boolean, info: EngineInfo | null): void {
    const loss = (v: number | null | undefined) => (v === undefined ? NO_VALUE : formatLoss(v));
    const last = history.epochs.length - 1;
    this.testLoss.value = f ? loss(f.testLoss) : last >= 0 ? loss(nullable(history.test[last]!)) : NO_VALUE;
    this.trainLoss.value = f ? loss(f.trainLoss) : last >= 0 ? loss(nullable(history.train[last]!)) : NO_VALUE;
    this.rate.textContent = playing && f && f.epochsPerSecond > 0 ? `${Math.round(f.epochsPerSecond).toLocaleString('en-US')} epochs/s` : '';
    if (info) {
      this.engineSummary.textContent = TEXT.engineTitle(info);
      this.engineReason.textContent = info.reason;
      this.engineAgreement.textContent = info.engine === 'tfjs' ? TEXT.agreement(f?.agreement) : '';
    }
  }

  values(): { train: string; test: string; rate: string } {
    return { train: this.trainLoss.value, test: this.testLoss.value, rate: this.rate.textContent ?? '' };
  }

  engineText(): string {
    return `${this.engineSummary.textContent ?? ''}\n${this.engineReason.textContent ?? ''}\n${this.engineAgreement.textContent ?? ''}`;
  }
}
