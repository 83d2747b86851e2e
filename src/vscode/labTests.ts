// The Testing view: one test item per lab folder and one per check, in the lab's order, each on the
// line of the learner's code it concerns (so the editor's gutter shows ▶ there). Running an item
// runs and grades the lab; debugging it runs the learner's code under the debugger; a continuous run
// re-grades on every save. Every graded run (from here or a command) is reported as a test run,
// which VS Code keeps between sessions.
import * as path from 'path';
import * as vscode from 'vscode';
import { checkPlaces, RUN_CHECK_ID } from '../core/source/checkLocations';
import type { GradeReport } from '../core/grade/report';
import { readSources, type LabRunResult, type OpenedLab } from '../core/run/labRun';
import { runVerdict } from '../core/run/verdict';
import { debugLabRun } from './debugRun';
import { diagnosticMessage } from './gradeDiagnostics';
import { findLabFolders, labFolderOf } from './labFolders';
import type { LabRunner } from './labRunner';

const TEXT = {
  runCheck: vscode.l10n.t('The run finishes'),
  passed: (summary: string) => vscode.l10n.t('PASSED: {0}', summary),
  notYet: (summary: string) => vscode.l10n.t('NOT YET: {0}', summary),
  notGraded: (verdict: string) => vscode.l10n.t('NOT GRADED: the run {0}', verdict),
};

/** How long to wait after a save before re-running (several files saved at once run once). */
const WATCH_DEBOUNCE_MS = 300;
/** How long to wait after typing before moving the items to the new lines. */
const RANGE_DEBOUNCE_MS = 500;

export interface ReportedResults {
  labDir: string;
  results: { id: string; status: 'passed' | 'failed' | 'skipped' }[];
}

export type LabTestMode = 'run' | 'debug';

/**
 * The controller, its handlers and its run profiles come from the activation entry, which creates
 * them before this module is loaded and calls refresh() / runTests(); it also disposes the controller.
 */
export class LabTests implements vscode.Disposable {
  private readonly reported = new vscode.EventEmitter<ReportedResults>();
  /** Fires after results were reported to the Testing view. */
  readonly onDidReport = this.reported.event;
  private readonly rangesUpdated = new vscode.EventEmitter<string>();
  /** Fires with a lab folder whose items moved to follow an edit. */
  readonly onDidUpdateRanges = this.rangesUpdated.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Runs started by the Testing view report their own results. */
  private readonly fromTestView = new Set<string>();
  private readonly labs = new Map<string, OpenedLab>();
  private rangeTimer: NodeJS.Timeout | undefined;
  private readonly staleRanges = new Set<string>();

  constructor(
    private readonly runner: LabRunner,
    readonly controller: vscode.TestController,
  ) {
    this.disposables.push(
      this.reported,
      this.rangesUpdated,
      runner.onDidFinishRun((e) => {
        if (this.fromTestView.has(e.labDir)) return;
        this.reportRun(e.labDir, e.result);
      }),
      // Items follow the learner's edits: the check on `labelScale` stays on its line.
      vscode.workspace.onDidChangeTextDocument((e) => {
        const labDir = labFolderOf(e.document.uri);
        if (!labDir || !this.labs.has(labDir)) return;
        this.staleRanges.add(labDir);
        if (this.rangeTimer) clearTimeout(this.rangeTimer);
        this.rangeTimer = setTimeout(() => this.updateStaleRanges(), RANGE_DEBOUNCE_MS);
      }),
      { dispose: () => this.rangeTimer && clearTimeout(this.rangeTimer) },
    );
  }

  /** Rebuilds the tree from the lab folders of the workspace. */
  async refresh(): Promise<void> {
    const dirs = await findLabFolders();
    const items: vscode.TestItem[] = [];
    this.labs.clear();
    for (const dir of dirs) {
      const lab = this.runner.open(dir);
      if (!lab) continue;
      this.labs.set(dir, lab);
      const item = this.controller.createTestItem(dir, lab.manifest.title, vscode.Uri.file(path.join(dir, lab.manifest.files[0])));
      item.description = vscode.workspace.asRelativePath(dir);
      const checks = [{ id: RUN_CHECK_ID, title: TEXT.runCheck }, ...lab.manifest.checks];
      const places = checkPlaces(lab.manifest, this.sources(lab), lab.source === 'catalog');
      checks.forEach((check, i) => {
        const place = places.get(check.id);
        const child = this.controller.createTestItem(`${dir}#${check.id}`, check.title, vscode.Uri.file(path.join(dir, place?.file ?? lab.manifest.files[0])));
        // The lab's order (the run first), not the alphabet.
        child.sortText = String(i).padStart(4, '0');
        child.range = place?.range ? toRange(place.range) : undefined;
        item.children.add(child);
      });
      items.push(item);
    }
    this.controller.items.replace(items);
  }

  /** The learner's files as the editor has them (unsaved edits included). */
  private sources(lab: OpenedLab): Record<string, string | undefined> {
    const sources = readSources(lab.labDir, lab.manifest);
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== 'file') continue;
      const rel = path.relative(lab.labDir, doc.uri.fsPath).split(path.sep).join('/');
      if (rel in sources) sources[rel] = doc.getText();
    }
    return sources;
  }

  private updateStaleRanges(): void {
    this.rangeTimer = undefined;
    for (const dir of this.staleRanges) {
      const lab = this.labs.get(dir);
      const root = this.labItem(dir);
      if (!lab || !root) continue;
      const places = checkPlaces(lab.manifest, this.sources(lab), lab.source === 'catalog');
      root.children.forEach((child) => {
        const place = places.get(child.id.slice(dir.length + 1));
        const range = place?.range ? toRange(place.range) : undefined;
        if (!sameRange(child.range, range)) child.range = range;
      });
      this.rangesUpdated.fire(dir);
    }
    this.staleRanges.clear();
  }

  private labItem(labDir: string): vscode.TestItem | undefined {
    return this.controller.items.get(labDir);
  }

  private async roots(request: vscode.TestRunRequest): Promise<vscode.TestItem[]> {
    if (this.controller.items.size === 0) await this.refresh();
    const roots = new Set<vscode.TestItem>();
    const wanted = request.include ?? [...iterate(this.controller.items)];
    for (const item of wanted) roots.add(item.parent ?? item);
    const excluded = new Set(request.exclude ?? []);
    return [...roots].filter((r) => !excluded.has(r));
  }

  /** The run profiles' handler: runs (or debugs) the labs of the request; a continuous request then watches them. */
  async runTests(request: vscode.TestRunRequest, token: vscode.CancellationToken, mode: LabTestMode = 'run'): Promise<void> {
    const roots = await this.roots(request);
    await this.runRoots(request, roots, token, mode);
    if (request.continuous && mode === 'run' && !token.isCancellationRequested) await this.watch(request, roots, token);
  }

  private async runRoots(request: vscode.TestRunRequest, roots: vscode.TestItem[], token: vscode.CancellationToken, mode: LabTestMode): Promise<void> {
    const run = this.controller.createTestRun(request, 'ML Labs', true);
    try {
      for (const root of roots) {
        if (token.isCancellationRequested) break;
        const children = [...iterate(root.children)];
        for (const c of children) run.started(c);
        this.fromTestView.add(root.id);
        let result: LabRunResult | undefined;
        try {
          result =
            mode === 'debug'
              ? await debugLabRun(this.runner, root.id, token, (text) => run.appendOutput(text))
              : await this.runner.run(root.id, { token, showProgress: false });
        } finally {
          this.fromTestView.delete(root.id);
        }
        if (!result) {
          for (const c of children) run.skipped(c);
          continue;
        }
        this.report(run, root, result);
      }
    } finally {
      run.end();
    }
  }

  /** Re-runs a lab whenever one of its learner files is saved, until the continuous run is stopped. */
  private watch(request: vscode.TestRunRequest, roots: vscode.TestItem[], token: vscode.CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      const dirs = new Map(roots.map((r) => [r.id, r]));
      const pending = new Map<string, NodeJS.Timeout>();
      const queued = new Set<string>();
      const rerun = async (labDir: string) => {
        pending.delete(labDir);
        if (token.isCancellationRequested) return;
        // A save while the lab runs: one more run after this one, with the newest code.
        if (this.runner.isRunning(labDir)) {
          queued.add(labDir);
          return;
        }
        await this.runRoots(new vscode.TestRunRequest([dirs.get(labDir)!], undefined, request.profile, true), [dirs.get(labDir)!], token, 'run');
        if (queued.delete(labDir)) void rerun(labDir);
      };
      const subs = [
        vscode.workspace.onDidSaveTextDocument((doc) => {
          const labDir = labFolderOf(doc.uri);
          const lab = labDir ? this.labs.get(labDir) : undefined;
          if (!labDir || !lab || !dirs.has(labDir)) return;
          const rel = path.relative(labDir, doc.uri.fsPath).split(path.sep).join('/');
          if (!lab.manifest.files.includes(rel)) return;
          clearTimeout(pending.get(labDir));
          pending.set(
            labDir,
            setTimeout(() => void rerun(labDir), WATCH_DEBOUNCE_MS),
          );
        }),
        token.onCancellationRequested(() => {
          for (const t of pending.values()) clearTimeout(t);
          for (const s of subs) s.dispose();
          resolve();
        }),
      ];
    });
  }

  /** A run started elsewhere (the Run command) shows in the Testing view too. */
  private reportRun(labDir: string, result: LabRunResult): void {
    const root = this.labItem(labDir);
    if (!root) {
      void this.refresh().then(() => {
        const again = this.labItem(labDir);
        if (again) this.reportRun(labDir, result);
      });
      return;
    }
    const run = this.controller.createTestRun(new vscode.TestRunRequest([root]), 'ML Labs', true);
    this.report(run, root, result);
    run.end();
  }

  private report(run: vscode.TestRun, root: vscode.TestItem, result: LabRunResult): void {
    const labDir = root.id;
    const grade: GradeReport = result.grade;
    const verdict = runVerdict(result.record, grade);
    const reported: ReportedResults['results'] = [];
    for (const r of grade.results) {
      const item = root.children.get(`${labDir}#${r.id}`);
      if (!item) continue;
      // A cancelled run measured nothing and failed nothing.
      const status = verdict.kind === 'cancelled' || r.status === 'skip' ? 'skipped' : r.status === 'pass' ? 'passed' : 'failed';
      reported.push({ id: r.id, status });
      // The run took the time; the checks are computed from it in no time worth showing.
      const duration = r.id === RUN_CHECK_ID ? result.record.durationMs : undefined;
      if (status === 'passed') run.passed(item, duration);
      else if (status === 'skipped') run.skipped(item);
      else {
        const message = new vscode.TestMessage(diagnosticMessage(r));
        if (r.location) {
          message.location = new vscode.Location(
            vscode.Uri.file(path.join(labDir, r.location.file)),
            new vscode.Range(r.location.line - 1, r.location.column - 1, r.location.endLine - 1, r.location.endColumn - 1),
          );
        }
        run.failed(item, message, duration);
      }
    }
    const line = verdict.kind === 'passed' ? TEXT.passed(grade.summary) : verdict.graded ? TEXT.notYet(grade.summary) : TEXT.notGraded(verdict.text);
    run.appendOutput(`${line}\r\n`);
    this.reported.fire({ labDir, results: reported });
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function toRange(r: { line: number; column: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, r.endColumn - 1);
}

function sameRange(a: vscode.Range | undefined, b: vscode.Range | undefined): boolean {
  return a === b || (!!a && !!b && a.isEqual(b));
}

function* iterate(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const items: vscode.TestItem[] = [];
  collection.forEach((item) => items.push(item));
  yield* items;
}
