// The webview's copy of the runs and studies. Messages are applied as soon as they arrive (cheap:
// arrays grow), and what changed is recorded so the next animation frame redraws only that.
import type { GradeReport } from '../../src/core/grade/report';
import type { ChartKind, EpochColumns, LabInfo, RunInfo, StudyDetail, StudySummary } from '../../src/core/dashboard/records';
import type { HostToWebview, SnapshotMessage } from '../../src/core/dashboard/protocol';
import { emptyColumns, mergeEpochs } from '../../src/core/dashboard/epochColumns';

export interface RunEntry {
  info: RunInfo;
  epochs: EpochColumns;
  grade?: GradeReport;
  /** Stable colour slot: the order in which the run first appeared. */
  colorIndex: number;
  /** Bumped when epochs already drawn were rewritten, so cached smoothing is recomputed. */
  revision: number;
}

export interface Dirty {
  /** Lab or chart list changed: rebuild the layout. */
  layout: boolean;
  /** Run list, statuses or labels changed. */
  runs: boolean;
  /** Runs whose epochs changed. */
  data: Set<string>;
  grade: boolean;
  /** The study list changed. */
  studies: boolean;
  /** Studies whose details arrived. */
  study: Set<string>;
}

function sameSummary(detail: StudyDetail, summary: StudySummary): boolean {
  return detail.active === summary.active && detail.best?.number === summary.best?.number && JSON.stringify(detail.counts) === JSON.stringify(summary.counts);
}

const clean = (): Dirty => ({ layout: false, runs: false, data: new Set(), grade: false, studies: false, study: new Set() });

/** Epochs for a run the webview does not know yet are held briefly (bounded) rather than lost. */
const MAX_ORPHAN_BATCHES = 1000;

export class Store {
  lab: LabInfo | undefined;
  charts: ChartKind[] = [];
  readonly runs = new Map<string, RunEntry>();
  warnings: string[] = [];
  /** The lab's studies, oldest first. */
  studies: StudySummary[] = [];
  /** Studies received in full (the shown one, and those shown before). */
  readonly studyDetails = new Map<string, StudyDetail>();
  dirty: Dirty = { layout: true, runs: true, data: new Set(), grade: true, studies: true, study: new Set() };
  epochsApplied = 0;
  private nextColor = 0;
  private orphans = new Map<string, EpochColumns[]>();
  private orphanCount = 0;

  /** Runs in the order they were created. */
  ordered(): RunEntry[] {
    return [...this.runs.values()];
  }

  apply(m: HostToWebview): void {
    switch (m.type) {
      case 'snapshot':
        return this.applySnapshot(m);
      case 'run':
        return this.applyRun(m.run);
      case 'epochs':
        return this.applyEpochs(m.runId, m.epochs);
      case 'grade':
        return this.applyGrade(m.runId, m.grade);
      case 'charts':
        this.charts = m.charts;
        this.dirty.layout = true;
        return;
      case 'studies':
        return this.setStudies(m.studies);
      case 'study':
        return this.applyStudy(m.study);
    }
  }

  private applySnapshot(m: SnapshotMessage): void {
    const sameLab = this.lab?.folder === m.lab.folder;
    if (!sameLab) {
      this.nextColor = 0;
    }
    const previous = sameLab ? this.runs : new Map<string, RunEntry>();
    this.runs.clear();
    this.orphans.clear();
    this.orphanCount = 0;
    for (const r of m.runs) {
      const { epochs, grade, ...info } = r;
      const color = previous.get(r.id)?.colorIndex ?? this.nextColor++;
      const entry: RunEntry = { info, epochs, colorIndex: color, revision: (previous.get(r.id)?.revision ?? 0) + 1 };
      if (grade) entry.grade = grade;
      this.runs.set(r.id, entry);
      this.epochsApplied += epochs.epoch.length;
    }
    this.lab = m.lab;
    this.charts = m.charts;
    this.warnings = m.warnings;
    if (!sameLab) this.studyDetails.clear();
    this.dirty = { layout: true, runs: true, data: new Set(this.runs.keys()), grade: true, studies: true, study: new Set(this.dirty.study) };
    if (m.studies) this.setStudies(m.studies);
  }

  private applyRun(run: RunInfo): void {
    const existing = this.runs.get(run.id);
    if (existing) existing.info = run;
    else {
      this.runs.set(run.id, { info: run, epochs: emptyColumns(), colorIndex: this.nextColor++, revision: 0 });
      const held = this.orphans.get(run.id);
      if (held) {
        this.orphans.delete(run.id);
        this.orphanCount -= held.length;
        for (const batch of held) this.addEpochs(run.id, batch);
      }
    }
    this.dirty.runs = true;
    this.dirty.grade = true;
    // The stop marker is drawn on the charts.
    this.dirty.data.add(run.id);
  }

  private applyEpochs(runId: string, epochs: EpochColumns): void {
    if (this.runs.has(runId)) this.addEpochs(runId, epochs);
    else if (this.orphanCount < MAX_ORPHAN_BATCHES) {
      const list = this.orphans.get(runId) ?? [];
      list.push(epochs);
      this.orphans.set(runId, list);
      this.orphanCount++;
    }
  }

  private applyGrade(runId: string, grade: GradeReport): void {
    const run = this.runs.get(runId);
    if (run) {
      run.grade = grade;
      this.dirty.grade = true;
      this.dirty.runs = true;
    }
  }

  private applyStudy(study: StudyDetail): void {
    const { params: _params, trials: _trials, warnings: _warnings, ...summary } = study;
    this.studyDetails.set(study.id, study);
    // The detail is newer than the list entry it carries.
    const i = this.studies.findIndex((s) => s.id === summary.id);
    if (i >= 0) this.studies[i] = summary;
    else this.studies.push(summary);
    this.dirty.studies = true;
    this.dirty.study.add(study.id);
  }

  private setStudies(list: StudySummary[]): void {
    this.studies = list;
    const byId = new Map(list.map((s) => [s.id, s]));
    // A study that changed since it was shown is asked for again rather than shown stale.
    for (const [id, detail] of this.studyDetails) {
      const now = byId.get(id);
      if (!now || !sameSummary(detail, now)) this.studyDetails.delete(id);
    }
    this.dirty.studies = true;
  }

  private addEpochs(runId: string, batch: EpochColumns): void {
    const run = this.runs.get(runId)!;
    const newMetric = Object.keys(batch.metrics).some((k) => !Object.hasOwn(run.epochs.metrics, k));
    const r = mergeEpochs(run.epochs, batch);
    if (r.rewritten || newMetric) run.revision++;
    this.epochsApplied += r.appended;
    this.dirty.data.add(runId);
    this.dirty.runs = true;
  }

  takeDirty(): Dirty {
    const d = this.dirty;
    this.dirty = clean();
    return d;
  }
}
