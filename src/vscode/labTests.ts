// The Testing view: one test item per lab folder and one per check. Running an item runs and
// grades the lab; every graded run (from the Testing view or a command) is reported as a test run,
// which VS Code keeps between sessions.
import * as path from 'path';
import * as vscode from 'vscode';
import type { GradeReport } from '../core/gradeReport';
import type { LabRunResult } from '../core/labRun';
import { diagnosticMessage } from './gradeDiagnostics';
import { findLabFolders } from './labFolders';
import type { LabRunner } from './labRunner';

const RUN_CHECK = { id: 'run', title: 'The run finishes' };

export interface ReportedResults {
  labDir: string;
  results: { id: string; status: 'passed' | 'failed' | 'skipped' }[];
}

/**
 * The controller, its handlers and its run profile come from the activation entry, which creates
 * them before this module is loaded and calls refresh() / runTests(); it also disposes the controller.
 */
export class LabTests implements vscode.Disposable {
  private readonly reported = new vscode.EventEmitter<ReportedResults>();
  /** Fires after results were reported to the Testing view. */
  readonly onDidReport = this.reported.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Runs started by the Testing view report their own results. */
  private readonly fromTestView = new Set<string>();

  constructor(
    private readonly runner: LabRunner,
    readonly controller: vscode.TestController,
  ) {
    this.disposables.push(
      this.reported,
      runner.onDidFinishRun((e) => {
        if (this.fromTestView.has(e.labDir)) return;
        this.reportRun(e.labDir, e.result);
      }),
    );
  }

  /** Rebuilds the tree from the lab folders of the workspace. */
  async refresh(): Promise<void> {
    const dirs = await findLabFolders();
    const items: vscode.TestItem[] = [];
    for (const dir of dirs) {
      const lab = this.runner.open(dir);
      if (!lab) continue;
      const item = this.controller.createTestItem(dir, lab.manifest.title, vscode.Uri.file(path.join(dir, lab.manifest.files[0])));
      item.description = vscode.workspace.asRelativePath(dir);
      for (const check of [RUN_CHECK, ...lab.manifest.checks]) {
        const child = this.controller.createTestItem(`${dir}#${check.id}`, check.title, item.uri);
        item.children.add(child);
      }
      items.push(item);
    }
    this.controller.items.replace(items);
  }

  private labItem(labDir: string): vscode.TestItem | undefined {
    return this.controller.items.get(labDir);
  }

  async runTests(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (this.controller.items.size === 0) await this.refresh();
    const roots = new Set<vscode.TestItem>();
    const wanted = request.include ?? [...iterate(this.controller.items)];
    for (const item of wanted) roots.add(item.parent ?? item);
    const run = this.controller.createTestRun(request, 'ML Labs', true);
    try {
      for (const root of roots) {
        if (token.isCancellationRequested) break;
        const children = [...iterate(root.children)];
        for (const c of children) run.started(c);
        this.fromTestView.add(root.id);
        let result: LabRunResult | undefined;
        try {
          result = await this.runner.run(root.id, { token, showProgress: false });
        } finally {
          this.fromTestView.delete(root.id);
        }
        if (!result) {
          for (const c of children) run.skipped(c);
          continue;
        }
        this.report(run, root, result.grade, result.record.durationMs ?? 0);
      }
    } finally {
      run.end();
    }
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
    this.report(run, root, result.grade, result.record.durationMs ?? 0);
    run.end();
  }

  private report(run: vscode.TestRun, root: vscode.TestItem, grade: GradeReport, durationMs: number): void {
    const labDir = root.id;
    const reported: ReportedResults['results'] = [];
    for (const r of grade.results) {
      const item = root.children.get(`${labDir}#${r.id}`);
      if (!item) continue;
      reported.push({ id: r.id, status: r.status === 'pass' ? 'passed' : r.status === 'skip' ? 'skipped' : 'failed' });
      if (r.status === 'pass') {
        run.passed(item, durationMs);
      } else if (r.status === 'skip') {
        run.skipped(item);
      } else {
        const message = new vscode.TestMessage(diagnosticMessage(r));
        if (r.location) {
          message.location = new vscode.Location(
            vscode.Uri.file(path.join(labDir, r.location.file)),
            new vscode.Range(r.location.line - 1, r.location.column - 1, r.location.endLine - 1, r.location.endColumn - 1),
          );
        }
        run.failed(item, message, durationMs);
      }
    }
    run.appendOutput(`${grade.passed ? 'PASSED' : 'NOT YET'}: ${grade.summary}\r\n`);
    this.reported.fire({ labDir, results: reported });
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function* iterate(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const items: vscode.TestItem[] = [];
  collection.forEach((item) => items.push(item));
  yield* items;
}
