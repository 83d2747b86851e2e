// The dashboard's view of the lab's hyperparameter studies: re-read from their files when they change,
// polled while a process runs one, and sent to the webview only where they changed (the list, and
// the study it shows).
import { LIMITS, type StudyDetail, type StudySummary } from './records';
import type { ApplyBestMessage, HostToWebview } from './protocol';
import type { Scheduler } from './epochBatcher';
import { studyDetail, studyIds, studySummary, studyStamp } from './studyData';
import type { LabManifest } from '../lab/manifest';
import { readStudy, type BestTrial } from '../tuner';

/** What the tracker needs of the dashboard it serves. */
export interface StudyTrackerHost {
  labDir(): string;
  manifest(): LabManifest | undefined;
  /** Whether the webview is loaded: nothing is polled otherwise. */
  ready(): boolean;
  send(message: HostToWebview): void;
  log(message: string): void;
}

interface KnownStudy {
  stamp: string;
  summary: StudySummary;
  /** The last detail built, to send only what changed. */
  detailJson: string;
  detail: StudyDetail | undefined;
}

/** The list entry of a study, from its detail. */
function summaryOf(detail: StudyDetail): StudySummary {
  const { params: _params, trials: _trials, warnings: _warnings, ...summary } = detail;
  return summary;
}

export class StudyTracker {
  private readonly studies = new Map<string, KnownStudy>();
  private shown: string | undefined;
  private poll: { cancel(): void } | undefined;

  constructor(
    private readonly host: StudyTrackerHost,
    private readonly schedule: Scheduler,
    private readonly pollMs: number,
  ) {}

  /** The study the webview shows, if it shows one. */
  get shownId(): string | undefined {
    return this.shown;
  }

  /** Forgets every study (another lab is shown). */
  clear(): void {
    this.studies.clear();
    this.shown = undefined;
  }

  /** A (re)loaded page asks for its study again once it has the list. */
  forgetShown(): void {
    this.shown = undefined;
  }

  summaries(): StudySummary[] {
    return [...this.studies.values()].map((s) => s.summary).slice(-LIMITS.studies);
  }

  /** Re-reads every study, for a snapshot of the whole lab; returns the list. */
  readAll(): StudySummary[] {
    this.read('all');
    return this.summaries();
  }

  /** Sends the shown study again (after a snapshot replaced what the webview had). */
  resendShown(): void {
    const shown = this.shown ? this.studies.get(this.shown)?.detail : undefined;
    if (shown) this.host.send({ type: 'study', study: shown });
  }

  /**
   * Re-reads studies whose files changed since last time, those a process is running (their lock's
   * owner may have died without a trace in the files), and `force` (a study's id, or "all"). Returns
   * whether the list changed and which studies' details did.
   */
  private read(force: string | undefined): { listChanged: boolean; changed: Set<string> } {
    const labDir = this.host.labDir();
    const ids = studyIds(labDir);
    const present = new Set(ids);
    let listChanged = false;
    const changed = new Set<string>();
    for (const id of [...this.studies.keys()]) {
      if (!present.has(id)) {
        this.studies.delete(id);
        listChanged = true;
      }
    }
    for (const id of ids) {
      const known = this.studies.get(id);
      const stamp = studyStamp(labDir, id);
      if (known && force !== 'all' && force !== id && known.stamp === stamp && !known.summary.active) continue;
      const next = this.readOne(id, stamp, known);
      if (!next) {
        // Not (yet) a study: e.g. its folder exists but the spec is still being written.
        if (known) {
          this.studies.delete(id);
          listChanged = true;
        }
        continue;
      }
      if (!known || JSON.stringify(known.summary) !== JSON.stringify(next.summary)) listChanged = true;
      if (!known || known.detailJson !== next.detailJson) changed.add(id);
      this.studies.set(id, next);
    }
    this.pollWhileRunning();
    return { listChanged, changed };
  }

  /** One study as its files are now; undefined when they are not a study. */
  private readOne(id: string, stamp: string, known: KnownStudy | undefined): KnownStudy | undefined {
    const snapshot = readStudy(this.host.labDir(), id);
    if (!snapshot) return undefined;
    const manifest = this.host.manifest();
    const built = studyDetail(snapshot, manifest);
    // Said once, not at every re-read of a study that stays broken.
    if (!built.ok && (!known || known.detail)) this.host.log(`dashboard: study ${id} cannot be shown (${built.reason})`);
    const detail = built.ok ? built.study : undefined;
    const summary = detail ? summaryOf(detail) : studySummary(snapshot, manifest);
    return { stamp, summary, detailJson: detail ? JSON.stringify(detail) : '', detail };
  }

  /** Reads the studies and sends what changed: the list, and the shown study. */
  sync(force?: string): void {
    const { listChanged, changed } = this.read(force);
    if (listChanged) this.host.send({ type: 'studies', studies: this.summaries() });
    if (this.shown && changed.has(this.shown)) {
      const detail = this.studies.get(this.shown)?.detail;
      if (detail) this.host.send({ type: 'study', study: detail });
    }
  }

  private pollWhileRunning(): void {
    const running = [...this.studies.values()].some((s) => s.summary.active);
    if (!this.host.ready() || !running) return this.stopPoll();
    this.poll ??= this.schedule(() => {
      this.poll = undefined;
      if (this.host.ready()) this.sync();
    }, this.pollMs);
  }

  stopPoll(): void {
    this.poll?.cancel();
    this.poll = undefined;
  }

  select(studyId: string | null): void {
    this.shown = studyId ?? undefined;
    if (studyId === null) return;
    this.read(studyId);
    const detail = this.studies.get(studyId)?.detail;
    if (detail) this.host.send({ type: 'study', study: detail });
    // An unknown id: the list the webview already has does not contain it, so it shows the runs.
    else this.host.log(`dashboard: there is no study "${studyId}" in ${this.host.labDir()}`);
  }

  /** Writes the best trial's values into the learner's code, if it is still the one the webview showed. */
  async applyBest(m: ApplyBestMessage, apply: (best: BestTrial, studyId: string) => Promise<void>): Promise<void> {
    const labDir = this.host.labDir();
    const snapshot = readStudy(labDir, m.studyId);
    if (!snapshot) {
      this.host.log(`dashboard: there is no study "${m.studyId}" in ${labDir}; nothing applied`);
      return;
    }
    if (!snapshot.best) {
      this.host.log(`dashboard: study ${m.studyId} has no completed trial yet; nothing applied`);
      return;
    }
    if (snapshot.best.number !== m.trial) {
      // The study moved on since the view was drawn: show the learner the new best rather than write it unseen.
      this.host.log(`dashboard: the best trial of study ${m.studyId} is now ${snapshot.best.number}, not ${m.trial}; nothing applied`);
      this.sync(m.studyId);
      return;
    }
    await apply(snapshot.best, m.studyId);
  }
}
