// The view selector in the dashboard's title: the runs, then each of the lab's studies; shown once
// the lab has a study.
import type { StudySummary } from '../../src/core/dashboard/records';
import { h } from '../common/dom';
import { studyOptionText } from './studyView';

const runsText = (n: number) => `Runs (${n})`;

export class ViewSwitch {
  private readonly select = h('select', { attrs: { id: 'view-select' } });
  private readonly runsOption = h('option', { attrs: { value: '' } });
  readonly el = h('span', { class: 'view-switch' }, h('label', { attrs: { for: 'view-select' } }, 'View'), this.select);

  /** `show` gets the study picked, or undefined for the runs. */
  constructor(show: (studyId: string | undefined) => void) {
    this.select.append(this.runsOption);
    this.select.addEventListener('change', () => show(this.select.value || undefined));
    this.el.hidden = true;
  }

  /** `shown`: the study on view, if any; `asked`: the study the view state asks for (it may not be listed yet). */
  render(runCount: number, studies: readonly StudySummary[], shown: string | undefined, asked: string | undefined): void {
    const select = this.select;
    const text = runsText(runCount);
    if (this.runsOption.textContent !== text) this.runsOption.textContent = text;
    // Options are updated in place, so a list open under the learner's pointer does not jump.
    const existing = new Map([...select.options].filter((o) => o.value).map((o) => [o.value, o]));
    const wanted = new Set(studies.map((s) => s.id));
    for (const [id, o] of existing) if (!wanted.has(id)) o.remove();
    for (const s of studies) {
      let o = existing.get(s.id);
      if (!o) {
        o = h('option', { attrs: { value: s.id } });
        select.append(o);
      }
      const optionText = studyOptionText(s);
      if (o.textContent !== optionText) o.textContent = optionText;
    }
    const value = shown ?? '';
    if (select.value !== value) select.value = value;
    this.el.hidden = studies.length === 0 && !asked;
  }
}
