// What the dashboard says to screen readers through its live region: what the learner asked for,
// runs that start and stop, and what changes in the shown study while it runs.
import type { StudyDetail } from '../../src/core/dashboard/records';
import { formatValue } from '../../src/core/format';
import { h } from '../common/dom';
import type { RunEntry } from './store';

export class Announcer {
  readonly el = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
  /** Announcements of the last second, and when the last was made. */
  private announced: string[] = [];
  private announcedAt = 0;
  /** Each run's status as last announced. */
  private readonly statuses = new Map<string, string>();
  /** States of the shown study's trials as last announced, to announce only what changed. */
  private trialStates: { id: string; states: Map<number, string>; best?: number } | undefined;

  announce(text: string): void {
    this.announced = [text];
    this.announcedAt = performance.now();
    this.el.textContent = text;
  }

  /**
   * Like announce, but news within a second is said together: a finished trial and the next one
   * starting come as separate messages, and the second must not silence the first.
   */
  private announceNews(text: string): void {
    const now = performance.now();
    if (now - this.announcedAt > 1000) this.announced = [];
    this.announcedAt = now;
    this.announced.push(text);
    this.el.textContent = this.announced.join(' ');
  }

  /** Runs in a snapshot: their statuses are known, not news. */
  knowStatuses(runs: readonly { id: string; status: string }[]): void {
    for (const r of runs) this.statuses.set(r.id, r.status);
  }

  /** Says that a run started, or how it ended, when its status changed. */
  runStatus(runId: string, run: RunEntry | undefined): void {
    if (!run) return;
    const before = this.statuses.get(runId);
    this.statuses.set(runId, run.info.status);
    if (before === run.info.status) return;
    if (before === undefined && run.info.status === 'running') this.announce(`Run ${run.info.label} started.`);
    else if (run.info.status !== 'running') this.announce(`Run ${run.info.label}: ${run.info.marker?.message ?? run.info.status}.`);
  }

  /** Says what changed in the shown study while it runs: trials started and finished, a new best. */
  trials(study: StudyDetail): void {
    const before = this.trialStates?.id === study.id ? this.trialStates : undefined;
    const states = new Map(study.trials.map((t) => [t.number, t.state as string]));
    this.trialStates = { id: study.id, states, best: study.best?.number };
    if (!before) return;
    const format = study.format;
    const news: string[] = [];
    for (const t of study.trials) {
      const was = before.states.get(t.number);
      if (was === t.state) continue;
      if (t.state === 'running') news.push(`Trial ${t.number} started.`);
      else {
        const value = typeof t.objective === 'number' ? `: ${study.metric} ${formatValue(t.objective, format)}` : '';
        news.push(`Trial ${t.number} ${t.state}${value}.`);
      }
    }
    if (study.best && study.best.number !== before.best) news.push(`New best: trial ${study.best.number}.`);
    if (news.length) this.announceNews(news.join(' '));
  }

  /** Another study is shown (or none): its trials are not news. */
  forgetTrials(): void {
    this.trialStates = undefined;
  }
}
